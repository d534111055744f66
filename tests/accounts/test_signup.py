from __future__ import annotations

from django.test import Client
from django.urls import reverse

from preceptor.accounts.models import Profile, User


def test_it_signs_up_and_logs_in(db: None) -> None:
    client = Client()
    response = client.post(
        reverse("accounts:signup"),
        {
            "full_name": "Dana Lee",
            "email": "Dana@Example.org",
            "password1": "a long enough passphrase",
            "password2": "a long enough passphrase",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    user = User.objects.get()
    assert user.email == "dana@example.org"
    assert Profile.objects.get(user=user).full_name == "Dana Lee"
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_it_keeps_what_was_typed_and_shows_errors_next_to_fields(db: None) -> None:
    response = Client().post(
        reverse("accounts:signup"),
        {"full_name": "Dana Lee", "email": "not-an-email", "password1": "x", "password2": "y"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="Dana Lee"' in body
    assert 'value="not-an-email"' in body
    assert "Enter a valid email address." in body
    assert "The two passwords are not the same." in body
    assert 'aria-invalid="true"' in body
    assert not User.objects.exists()


def test_it_rejects_weak_password(db: None) -> None:
    response = Client().post(
        reverse("accounts:signup"),
        {"email": "d@example.org", "password1": "password", "password2": "password"},
    )
    assert "This password is too common." in response.content.decode()
    assert not User.objects.exists()


def test_it_rejects_existing_email_case_insensitively(alice: User) -> None:
    response = Client().post(
        reverse("accounts:signup"),
        {
            "email": "ALICE@example.org",
            "password1": "a long enough passphrase",
            "password2": "a long enough passphrase",
        },
    )
    assert "An account with this email already exists" in response.content.decode()
    assert User.objects.count() == 1


def test_signed_in_user_is_sent_to_dashboard(alice_client: Client) -> None:
    response = alice_client.get(reverse("accounts:signup"))
    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")
