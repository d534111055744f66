"""A letter with active content (JavaScript, an embedded file) is stored without it, and the
writer's page and the applicant's activity log say what was removed."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from preceptor.accounts.models import User
from preceptor.writers import storage
from preceptor.writers.models import AuditEvent, VaultLetter
from tests.conftest import client_for
from tests.lib.pdfs import pdf_with_javascript
from tests.lib.test_pdf import everything_in
from tests.writers.factories import link_for, make_request

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_letter_with_javascript_is_stored_without_it(alice: User, vault: Path) -> None:
    r = make_request(alice, status="agreed")
    token, _ = link_for(r)
    original = pdf_with_javascript("app.alert('from the letter')")
    url = reverse("writers:writer_upload", kwargs={"token": token})
    f = SimpleUploadedFile("letter.pdf", original, content_type="application/pdf")
    client = Client()
    response = client.post(url, {"letter": f, "nonce": secrets.token_urlsafe(16)}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "We removed the embedded files and JavaScript from the letter before storing it." in page

    letter = VaultLetter.objects.get()
    stored = storage.read(letter.stored_name)  # decrypted: what a recipient downloads
    assert stored != original
    left = everything_in(stored)
    assert "app.alert" not in left and "/OpenAction" not in left
    assert "not for the reader" not in left
    assert letter.size == len(stored)
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.UPLOADED)
    assert "embedded files and JavaScript removed" in event.detail
    applicant_page = client_for(alice).get(reverse("writers:request", args=[r.public_id]))
    assert "embedded files and JavaScript removed" in applicant_page.content.decode()


def test_letter_uploads_through_one_link_are_rate_limited(
    alice: User, vault: Path, settings: Any
) -> None:
    from tests.lib.test_pdf import make_pdf

    settings.RATE_LIMITS = {"upload": (1, 3600)}
    r = make_request(alice, status="agreed")
    token, _ = link_for(r)
    url = reverse("writers:writer_upload", kwargs={"token": token})

    def post() -> Any:
        f = SimpleUploadedFile("letter.pdf", make_pdf(1), content_type="application/pdf")
        return Client().post(url, {"letter": f, "nonce": secrets.token_urlsafe(16)})

    assert post().status_code == 302
    refused = post()
    assert refused.status_code == 429
    assert "Too many uploads in a short time" in refused.content.decode()
    assert VaultLetter.objects.count() == 1
