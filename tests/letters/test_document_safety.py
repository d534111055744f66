"""The applicant's documents: active content removed before storing, and said so."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from preceptor.accounts.models import User
from preceptor.letters.models import DocumentVersion
from tests.letters.factories import make_application
from tests.lib.pdfs import pdf_with_javascript
from tests.lib.test_pdf import everything_in

pytestmark = pytest.mark.django_db


def test_a_cv_with_javascript_is_stored_without_it(alice: User, alice_client: Client) -> None:
    app = make_application(alice)
    original = pdf_with_javascript("app.alert('from the CV')")
    f = SimpleUploadedFile("cv.pdf", original, content_type="application/pdf")
    response = alice_client.post(
        reverse("letters:document_upload", args=[app.public_id]),
        {"kind": "cv", "file": f},
        follow=True,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "“CV” version 1 uploaded and checked." in body
    assert "We removed the embedded files and JavaScript from your CV before storing it." in body
    doc = DocumentVersion.objects.get(document__uses__application=app)
    stored = bytes(doc.data)
    left = everything_in(stored)
    assert "app.alert" not in left and "/OpenAction" not in left
    assert "not for the reader" not in left
    assert doc.size == len(stored) and doc.page_count == 1
