"""The password reset email over a real SMTP conversation, sent by the task machinery."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from preceptor.accounts.models import User
from tests.accounts.test_password import reset_link
from tests.smtp import smtp_server, text_body


def test_reset_email_travels_over_smtp_and_its_link_works(
    alice: User, settings: pytest.FixtureRequest
) -> None:
    with smtp_server() as (collector, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_USE_SSL = False
        client = Client()
        client.post(reverse("accounts:password_reset"), {"email": "alice@example.org"})
    assert len(collector.messages) == 1
    msg = collector.messages[0]
    assert msg["To"] == "alice@example.org"
    assert msg["Subject"] == "Reset your Preceptor password"
    assert msg.get_body(preferencelist=("html",)) is not None
    response = client.get(reset_link(text_body(msg)), follow=True)
    assert "Choose a new password" in response.content.decode()
