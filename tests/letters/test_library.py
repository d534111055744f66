"""The document library: a CV uploaded once, used by many applications, versioned, and the
record of which version each writer received."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from preceptor.letters import library, packets, services
from preceptor.letters.models import (
    ApplicationDocument,
    DocumentVersion,
    LibraryDocument,
    SentDocument,
)
from tests.conftest import client_for
from tests.letters.factories import make_application, make_request, pdf_bytes

pytestmark = pytest.mark.django_db


def _text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def _packet_text(r: Any) -> str:
    return _text(packets.build_packet_pdf(r))


def test_one_cv_serves_two_applications_and_a_new_version_reaches_both(alice: Any) -> None:
    first = make_request(alice, "agreed")
    second = make_request(alice, "agreed", app=make_application(alice, title="Second list"))
    v1 = library.add_document(alice, "cv", pdf_bytes(1, "CVONE"), filename="cv.pdf")
    for r in (first, second):
        library.use_in_application(r.application, v1.document)
    assert "CVONE" in _packet_text(first) and "CVONE" in _packet_text(second)

    v2 = library.add_version(v1.document, pdf_bytes(1, "CVTWO"))
    assert (v1.number, v2.number) == (1, 2)
    for r in (first, second):
        text = _packet_text(r)
        assert "CVTWO" in text and "CVONE" not in text
    assert LibraryDocument.objects.filter(user=alice).count() == 1


def test_an_application_set_to_one_version_keeps_sending_it(alice: Any) -> None:
    r = make_request(alice, "agreed")
    v1 = library.add_document(alice, "cv", pdf_bytes(1, "CVONE"))
    library.use_in_application(r.application, v1.document, v1)
    library.add_version(v1.document, pdf_bytes(1, "CVTWO"))
    text = _packet_text(r)
    assert "CVONE" in text and "CVTWO" not in text


def test_uploading_on_the_application_adds_a_version_and_follows_it(alice: Any) -> None:
    app = make_application(alice)
    first = services.upload_document(app, "cv", pdf_bytes(1, "A"), filename="a.pdf")
    library.use_in_application(app, first.document, first)
    second = services.upload_document(app, "cv", pdf_bytes(1, "B"), filename="b.pdf")
    assert second.document == first.document and second.number == 2
    use = ApplicationDocument.objects.get(application=app)
    assert use.version is None and library.resolve(use) == second


def test_the_same_file_again_is_refused_and_adds_nothing(alice: Any) -> None:
    data = pdf_bytes(1, "PS")
    v1 = library.add_document(alice, "statement", data)
    with pytest.raises(ValidationError, match="same as version 1"):
        library.add_version(v1.document, data)
    assert DocumentVersion.objects.count() == 1


def test_a_bad_file_adds_no_document(alice: Any) -> None:
    with pytest.raises(ValidationError, match="is not a PDF"):
        library.add_document(alice, "cv", b"plain text")
    assert not LibraryDocument.objects.exists()


def test_each_writer_keeps_the_version_they_received(alice: Any) -> None:
    r = make_request(alice, "agreed")
    v1 = library.add_document(alice, "cv", pdf_bytes(1, "CVONE"))
    library.use_in_application(r.application, v1.document)
    services.transition(r, "packet_sent")
    v2 = library.add_version(v1.document, pdf_bytes(1, "CVTWO"))
    assert [s.version for s in library.sent_to(r)] == [v1]

    # The version a writer received cannot be deleted; the new one can.
    with pytest.raises(ValidationError, match="went to 1 writer"):
        library.delete_version(v1)
    assert library.delete_version(v2) is False
    assert DocumentVersion.objects.filter(pk=v1.pk).exists()


def test_downloading_from_the_writer_link_records_what_was_sent(alice: Any) -> None:
    from tests.writers.factories import link_for

    r = make_request(alice, "agreed")
    v1 = library.add_document(alice, "cv", pdf_bytes(1, "CVONE"))
    library.use_in_application(r.application, v1.document)
    token, _ = link_for(r)
    page = client_for(None).get(reverse("writers:writer", kwargs={"token": token}))
    assert "CV, version 1 (1 page," in page.content.decode()
    client_for(None).get(reverse("writers:writer_packet", kwargs={"token": token}))
    client_for(None).get(reverse("writers:writer_packet", kwargs={"token": token}))
    assert list(SentDocument.objects.values_list("version", flat=True)) == [v1.pk]


def test_a_version_an_application_is_set_to_is_not_deleted(alice: Any) -> None:
    app = make_application(alice, title="Pinned list")
    v1 = library.add_document(alice, "cv", pdf_bytes(1, "CVONE"))
    library.add_version(v1.document, pdf_bytes(1, "CVTWO"))
    library.use_in_application(app, v1.document, v1)
    with pytest.raises(ValidationError, match="the one Pinned list uses"):
        library.delete_version(v1)


def test_deleting_the_last_version_deletes_the_document_and_its_uses(alice: Any) -> None:
    app = make_application(alice)
    v1 = library.add_document(alice, "transcript", pdf_bytes())
    library.use_in_application(app, v1.document)
    assert library.delete_version(v1) is True
    assert not LibraryDocument.objects.exists() and not app.documents.exists()


def test_another_users_document_cannot_be_used(alice: Any, bob: Any) -> None:
    v = library.add_document(bob, "cv", pdf_bytes())
    with pytest.raises(ValidationError, match="not in your library"):
        library.use_in_application(make_application(alice), v.document)


def test_a_version_of_another_document_cannot_be_chosen(alice: Any) -> None:
    cv = library.add_document(alice, "cv", pdf_bytes(1, "CV"))
    ps = library.add_document(alice, "statement", pdf_bytes(1, "PS"))
    with pytest.raises(ValidationError, match="another document"):
        library.use_in_application(make_application(alice), cv.document, ps)


@pytest.mark.parametrize("title", ["", "   ", "x" * 121])
def test_a_bad_name_is_refused_and_the_old_one_kept(alice: Any, title: str) -> None:
    v = library.add_document(alice, "cv", pdf_bytes(), title="CV (research)")
    with pytest.raises(ValidationError):
        library.rename(v.document, title)
    v.document.refresh_from_db()
    assert v.document.title == "CV (research)"


def test_a_new_document_from_an_application_gets_a_name_of_its_own(alice: Any) -> None:
    library.add_document(alice, "cv", pdf_bytes(1, "OLD"))
    v = services.upload_document(make_application(alice), "cv", pdf_bytes(1, "NEW"))
    assert v.document.title == "CV 2"


@pytest.mark.parametrize(
    ("uses", "sent", "sentence"),
    [
        (0, 0, "Not used by an application."),
        (1, 0, "Used by 1 application."),
        (2, 1, "Used by 2 applications; sent to 1 writer."),
        (1, 3, "Used by 1 application; sent to 3 writers."),
        (0, 2, "Not used by an application; sent to 2 writers."),
    ],
)
def test_where_used_reads_right(uses: int, sent: int, sentence: str) -> None:
    assert library.used_by_sentence(uses, sent) == sentence


def test_deleting_the_account_deletes_the_library_and_what_was_sent(alice: Any) -> None:
    r = make_request(alice, "agreed")
    v1 = library.add_document(alice, "cv", pdf_bytes())
    library.use_in_application(r.application, v1.document, v1)
    services.transition(r, "packet_sent")
    alice.delete()
    assert not DocumentVersion.objects.exists() and not SentDocument.objects.exists()


# ---------------------------------------------------------------- the pages


def _pdf(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(1, text), content_type="application/pdf")


def test_the_library_page_adds_renames_and_shows_where_used(alice: Any) -> None:
    client = client_for(alice)
    app = make_application(alice, title="IM categorical")
    response = client.post(
        reverse("letters:library_add"),
        {"kind": "cv", "title": "", "file": _pdf("cv.pdf", "ONE")},
        follow=True,
    )
    assert "“CV” version 1 uploaded and checked." in response.content.decode()
    doc = LibraryDocument.objects.get(user=alice)
    response = client.post(
        reverse("letters:document_use", args=[app.public_id]), {"choice": str(doc.public_id)}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("letters:library_version_add", args=[doc.public_id]),
        {"file": _pdf("cv2.pdf", "TWO")},
        follow=True,
    )
    body = response.content.decode()
    assert (
        "“CV” version 2 uploaded and checked. "
        "Sent from now on by 1 application that follows the latest." in body
    )
    assert "Used by 1 application." in body and "IM categorical" in body

    bad = client.post(reverse("letters:library_rename", args=[doc.public_id]), {"title": " "})
    assert bad.status_code == 400 and "This field is required." in bad.content.decode()
    client.post(reverse("letters:library_rename", args=[doc.public_id]), {"title": "CV 2027"})
    doc.refresh_from_db()
    assert doc.title == "CV 2027"


def test_deleting_a_sent_version_on_the_page_says_why_not(alice: Any) -> None:
    r = make_request(alice, "agreed")
    v1 = library.add_document(alice, "cv", pdf_bytes())
    library.use_in_application(r.application, v1.document)
    services.transition(r, "packet_sent")
    response = client_for(alice).post(
        reverse("letters:library_version_delete", args=[v1.public_id]), follow=True
    )
    body = response.content.decode()
    assert "it is kept so your history shows what they received" in body
    assert "Sent to Dr. Ana Patel" in body or "Sent to Ana Patel" in body
    assert DocumentVersion.objects.filter(pk=v1.pk).exists()


def test_use_form_refuses_an_unknown_choice(alice: Any) -> None:
    app = make_application(alice)
    library.add_document(alice, "cv", pdf_bytes())
    response = client_for(alice).post(
        reverse("letters:document_use", args=[app.public_id]),
        {"choice": "00000000-0000-4000-8000-000000000000"},
    )
    assert response.status_code == 400
    assert not app.documents.exists()


def test_taking_a_document_out_keeps_it_in_the_library(alice: Any) -> None:
    app = make_application(alice)
    services.upload_document(app, "cv", pdf_bytes())
    response = client_for(alice).post(
        reverse("letters:document_delete", args=[app.public_id, "cv"]), follow=True
    )
    assert "CV taken out of this packet; it stays in your documents." in response.content.decode()
    assert not app.documents.exists() and LibraryDocument.objects.filter(user=alice).exists()


def test_the_api_lists_renames_and_chooses_versions(alice: Any) -> None:
    client = client_for(alice)
    app = make_application(alice)
    v1 = library.add_document(alice, "cv", pdf_bytes(1, "ONE"))
    v2 = library.add_version(v1.document, pdf_bytes(1, "TWO"))
    put = client.put(
        f"/api/v1/letters/applications/{app.public_id}/documents/cv",
        data={"document_id": str(v1.document.public_id), "version_id": str(v1.public_id)},
        content_type="application/json",
    )
    assert put.status_code == 200
    assert put.json()["used_by"] == [{"application": str(app.public_id), "version": 1}]
    wrong = client.put(
        f"/api/v1/letters/applications/{app.public_id}/documents/statement",
        data={"document_id": str(v1.document.public_id)},
        content_type="application/json",
    )
    assert wrong.status_code == 422 and "that document is a CV" in wrong.json()["detail"]
    listed = client.get("/api/v1/letters/documents").json()
    assert [v["number"] for v in listed[0]["versions"]] == [2, 1]
    refused = client.delete(f"/api/v1/letters/versions/{v1.public_id}")
    assert refused.status_code == 409
    assert client.delete(f"/api/v1/letters/versions/{v2.public_id}").status_code == 204


def test_one_writer_for_two_applications_is_one_writer(alice: Any) -> None:
    from tests.letters.factories import make_mentor

    patel = make_mentor(alice, "Ana Patel")
    v1 = library.add_document(alice, "cv", pdf_bytes())
    for title in ("IM categorical", "IM preliminary"):
        app = make_application(alice, title=title)
        library.use_in_application(app, v1.document)
        services.transition(make_request(alice, "agreed", app=app, mentor=patel), "packet_sent")
    body = client_for(alice).get(reverse("letters:library")).content.decode()
    assert "Used by 2 applications; sent to 1 writer." in body


def test_a_document_reads_by_its_kind_unless_the_user_named_it(alice: Any) -> None:
    plain = library.add_document(alice, "cv", pdf_bytes(1, "A")).document
    named = library.add_document(alice, "cv", pdf_bytes(1, "B"), title="CV (research)").document
    assert (plain.label, named.label) == ("CV", "CV “CV (research)”")


@pytest.mark.parametrize(
    ("apps", "message"),
    [
        (0, "“Transcript” deleted: it had no other version."),
        (1, "“Transcript” deleted: it had no other version; 1 application no longer sends it."),
        (2, "“Transcript” deleted: it had no other version; 2 applications no longer send it."),
    ],
)
def test_deleting_the_only_version_says_which_packets_lose_it(
    alice: Any, apps: int, message: str
) -> None:
    v1 = library.add_document(alice, "transcript", pdf_bytes())
    for i in range(apps):
        library.use_in_application(make_application(alice, title=f"List {i}"), v1.document)
    response = client_for(alice).post(
        reverse("letters:library_version_delete", args=[v1.public_id]), follow=True
    )
    assert message in response.content.decode()
