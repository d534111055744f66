"""The document library page, the API's listing and an application's packet ask the
database the same number of questions for one document as for many with many versions, uses
and writers, and never read a version's file (up to 10 MB each) to list it."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from preceptor.letters import library, services
from tests.conftest import client_for
from tests.letters.factories import make_application, make_mentor, make_request, pdf_bytes

pytestmark = pytest.mark.django_db

PAGES = {"page": reverse("letters:library"), "api": "/api/v1/letters/documents"}


def _counts(user: Any, pages: dict[str, str] = PAGES) -> dict[str, int]:
    client = client_for(user)
    counts = {}
    for name, url in pages.items():
        assert client.get(url).status_code == 200  # the next visit is the one counted
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        sql = [q["sql"] for q in queries.captured_queries]
        assert not [q for q in sql if '"letters_documentversion"."data"' in q], name
        counts[name] = len(sql)
    return counts


def _document(user: Any, kind: str, versions: int, tag: str) -> Any:
    first = library.add_document(user, kind, pdf_bytes(1, f"{tag} 1"), title=f"{tag}")
    for n in range(2, versions + 1):
        library.add_version(first.document, pdf_bytes(1, f"{tag} {n}"))
    return first


def test_the_library_asks_as_much_for_many_documents_as_for_one(alice: Any) -> None:
    # One document, one version, used by one application and sent to one writer.
    cv = _document(alice, "cv", 1, "CV")
    app = make_application(alice, title="First")
    library.use_in_application(app, cv.document)
    services.transition(make_request(alice, "agreed", app=app), "packet_sent")
    small = _counts(alice)

    # Then three documents of three versions, in three applications (one set to an old
    # version), sent to several writers, some versions to more than one.
    statement = _document(alice, "statement", 3, "Statement")
    transcript = _document(alice, "transcript", 3, "Transcript")
    library.add_version(cv.document, pdf_bytes(1, "CV 2"))
    patel = make_mentor(alice, "Ana Patel")
    for title in ("Second", "Third"):
        other = make_application(alice, title=title)
        library.use_in_application(other, cv.document, cv)
        library.use_in_application(other, statement.document)
        library.use_in_application(other, transcript.document)
        for mentor in (patel, None):
            r = make_request(alice, "agreed", app=other, mentor=mentor)
            services.transition(r, "packet_sent")
    library.add_version(statement.document, pdf_bytes(1, "Statement 4"))
    large = _counts(alice)

    assert large == small
    body = client_for(alice).get(PAGES["page"]).content.decode()
    assert "Used by 2 applications; sent to 3 writers." in body  # the statement
    listed = {d["title"]: d for d in client_for(alice).get(PAGES["api"]).json()}
    assert [v["number"] for v in listed["Statement"]["versions"]] == [4, 3, 2, 1]
    assert [v["sent_to"] for v in listed["Statement"]["versions"]] == [0, 4, 0, 0]
    assert sorted(u["version"] or 0 for u in listed["CV"]["used_by"]) == [0, 1, 1]


def test_an_applications_packet_asks_as_much_for_three_documents_as_for_one(alice: Any) -> None:
    app = make_application(alice)
    page = {"application": reverse("letters:application", args=[app.public_id])}
    cv = _document(alice, "cv", 2, "CV")
    library.use_in_application(app, cv.document)
    one = _counts(alice, page)

    statement = _document(alice, "statement", 3, "Statement")
    transcript = _document(alice, "transcript", 2, "Transcript")
    library.use_in_application(app, statement.document, statement)  # its version 1
    library.use_in_application(app, transcript.document)
    assert _counts(alice, page) == one
    body = client_for(alice).get(page["application"]).content.decode()
    assert "version 1 (1 page" in body and "version 2 (1 page" in body
