from __future__ import annotations

import re

from django.core import mail
from django.test import Client
from django.urls import reverse

from preceptor.accounts.models import User
from tests.conftest import PASSWORD


def reset_link(body: str) -> str:
    match = re.search(r"https?://[^/\s]+(/account/password/reset/[^\s]+/)", body)
    assert match, body
    return match.group(1)


def test_password_reset_by_email(alice: User) -> None:
    client = Client()
    response = client.post(reverse("accounts:password_reset"), {"email": "alice@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    assert message.subject == "Reset your Preceptor password"
    assert "Alice Owner" in message.body
    assert message.alternatives, "the HTML part is missing"

    # The link in the email redirects once to a token-less URL, then takes a new password.
    response = client.get(reset_link(message.body), follow=True)
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url,
        {"new_password1": "another fine passphrase", "new_password2": "another fine passphrase"},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("another fine passphrase")

    # The link works once.
    response = client.get(reset_link(message.body), follow=True)
    assert "This link no longer works" in response.content.decode()


def test_unknown_email_gets_the_same_answer_and_no_mail(db: None) -> None:
    response = Client().post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_forged_reset_link_is_refused(alice: User) -> None:
    response = Client().get("/account/password/reset/MQ/forged-token/", follow=True)
    assert "This link no longer works" in response.content.decode()


def test_change_password(alice: User, alice_client: Client) -> None:
    response = alice_client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a brand new passphrase",
            "new_password2": "a brand new passphrase",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("a brand new passphrase")


def test_change_password_rejects_wrong_old_password(alice: User, alice_client: Client) -> None:
    response = alice_client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": "x" * 20, "new_password2": "x" * 20},
    )
    assert "Your old password was entered incorrectly" in response.content.decode()
