"""The whole round over a real SMTP server: every link followed is one that arrived by email."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from preceptor.accounts.models import User
from preceptor.writers.models import VaultLetter
from tests.conftest import client_for
from tests.smtp import smtp_server, text_body
from tests.writers.factories import LETTER_MARKER, letter_pdf, make_request

pytestmark = pytest.mark.django_db(transaction=True)


def nonce(response: Any, index: int = 0) -> str:
    return re.findall(r'name="nonce" value="([^"]+)"', response.content.decode())[index]


def one_link(collector: Any, to: str, path: str) -> str:
    messages = [m for m in collector.messages if m["To"] == to]
    assert messages, f"nothing arrived for {to}"
    found = re.findall(rf"http://testserver/{path}/[A-Za-z0-9_-]+/", text_body(messages[-1]))
    assert len(set(found)) == 1, found
    return found[0]


def subjects_for(collector: Any, to: str) -> list[str]:
    return [str(m["Subject"]) for m in collector.messages if m["To"] == to]


def test_writer_link_upload_and_delivery_over_smtp(alice: User, settings: Any) -> None:
    r = make_request(alice, status="planned", waived=True)
    with smtp_server() as (collector, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False

        # The applicant has the app email the writer their link.
        applicant = client_for(alice)
        page = applicant.get(reverse("writers:request", kwargs={"public_id": r.public_id}))
        applicant.post(
            reverse("writers:link_create", kwargs={"public_id": r.public_id}),
            {"action": "email", "nonce": nonce(page)},
        )
        link = one_link(collector, "dana@example.edu", "writer")
        (invite,) = [m for m in collector.messages if m["To"] == "dana@example.edu"]
        assert "Alice Owner" in invite["Subject"]
        assert invite.get_body(preferencelist=("html",)) is not None

        # The writer, with no session, follows it, says yes and uploads.
        writer = Client()
        page = writer.get(link)
        assert page.status_code == 200
        writer.post(link + "answer/", {"answer": "agreed", "note": "Gladly.", "nonce": nonce(page)})
        page = writer.get(link)
        assert "Upload your letter" in page.content.decode()
        data = letter_pdf(pages=2)
        from django.core.files.uploadedfile import SimpleUploadedFile

        response = writer.post(
            link + "upload/",
            {"letter": SimpleUploadedFile("letter.pdf", data), "nonce": nonce(page)},
        )
        assert response.status_code == 302
        assert VaultLetter.objects.get().page_count == 2
        to_alice = subjects_for(collector, "alice@example.org")
        assert any("said yes" in s for s in to_alice)
        assert any("arrived in the vault" in s for s in to_alice)
        assert any("is stored" in s for s in subjects_for(collector, "dana@example.edu"))

        # The applicant delivers it; the recipient follows their own emailed link.
        page = applicant.get(reverse("writers:request", kwargs={"public_id": r.public_id}))
        assert "received" in page.content.decode()
        applicant.post(
            reverse("writers:deliver", kwargs={"public_id": r.public_id}),
            {
                "name": "Fellowship committee",
                "email": "committee@example.edu",
                "max_downloads": 2,
                "valid_days": 14,
                "nonce": nonce(page, -1),
            },
        )
        delivery_link = one_link(collector, "committee@example.edu", "d")
        recipient = Client()
        assert recipient.get(delivery_link).status_code == 200
        download = recipient.post(delivery_link + "download/")
        assert download.status_code == 200 and download.content == data

    # Nothing that travelled to the applicant carried the letter.
    for m in collector.messages:
        if m["To"] == "alice@example.org":
            assert LETTER_MARKER not in m.as_string()
            assert not list(m.iter_attachments())
