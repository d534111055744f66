"""Migration 0008 moves every per-application Document into the library, same bytes, and
0008 reversed writes them back."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("letters", "0007_document_library")]
AFTER = [("letters", "0008_documents_into_library")]


def _migrate(target: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def test_documents_move_into_the_library_and_back() -> None:
    apps = _migrate(BEFORE)
    try:
        User = apps.get_model("accounts", "User")
        Application = apps.get_model("letters", "Application")
        Document = apps.get_model("letters", "Document")
        deadline = timezone.localdate()

        def app(user: Any, title: str) -> Any:
            return Application.objects.create(
                user=user, service="eras", cycle=2027, title=title, official_deadline=deadline
            )

        ana = User.objects.create(email="ana@example.org")
        ben = User.objects.create(email="ben@example.org")
        a1, a2, a3 = app(ana, "One"), app(ana, "Two"), app(ana, "Three")
        b1 = app(ben, "Ben's")

        def doc(application: Any, kind: str, data: bytes, name: str) -> None:
            Document.objects.create(
                application=application,
                kind=kind,
                data=data,
                size=len(data),
                page_count=1,
                original_name=name,
            )

        doc(a1, "cv", b"%PDF-cv-old", "cv-old.pdf")
        doc(a2, "cv", b"%PDF-cv-new", "cv-new.pdf")
        doc(a3, "cv", b"%PDF-cv-old", "cv-old-again.pdf")  # the same bytes as One's
        doc(a1, "statement", b"%PDF-ps", "ps.pdf")
        doc(b1, "cv", b"%PDF-ben", "ben.pdf")

        apps = _migrate(AFTER)
        LibraryDocument = apps.get_model("letters", "LibraryDocument")
        ApplicationDocument = apps.get_model("letters", "ApplicationDocument")

        # Ana: one CV with two versions (identical bytes kept once), one statement; Ben: his.
        ana_docs = {
            d.kind: sorted(bytes(v.data) for v in d.versions.all())
            for d in LibraryDocument.objects.filter(user_id=ana.pk)
        }
        assert ana_docs == {"cv": [b"%PDF-cv-new", b"%PDF-cv-old"], "statement": [b"%PDF-ps"]}
        assert LibraryDocument.objects.get(user_id=ben.pk).title == "CV"

        # Every application sends exactly the bytes it had, named as they were.
        sends = {
            (u.application.title, u.kind): (bytes(u.version.data), u.version.original_name)
            for u in ApplicationDocument.objects.select_related("application", "version")
        }
        assert sends == {
            ("One", "cv"): (b"%PDF-cv-old", "cv-old.pdf"),
            ("Two", "cv"): (b"%PDF-cv-new", "cv-new.pdf"),
            ("Three", "cv"): (b"%PDF-cv-old", "cv-old.pdf"),
            ("One", "statement"): (b"%PDF-ps", "ps.pdf"),
            ("Ben's", "cv"): (b"%PDF-ben", "ben.pdf"),
        }

        apps = _migrate(BEFORE)
        Document = apps.get_model("letters", "Document")
        back = {
            (d.application.title, d.kind): bytes(d.data)
            for d in Document.objects.select_related("application")
        }
        assert back == {
            ("One", "cv"): b"%PDF-cv-old",
            ("Two", "cv"): b"%PDF-cv-new",
            ("Three", "cv"): b"%PDF-cv-old",
            ("One", "statement"): b"%PDF-ps",
            ("Ben's", "cv"): b"%PDF-ben",
        }
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
