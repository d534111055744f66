from __future__ import annotations

from django.test import Client
from django.urls import reverse

from preceptor.accounts.models import User
from tests.conftest import PASSWORD


def test_it_logs_in_with_email_in_any_case(alice: User) -> None:
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": "Alice@Example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("core:dashboard")


def test_it_honours_next(alice: User) -> None:
    response = Client().post(
        reverse("accounts:login") + "?next=/account/profile/",
        {"username": "alice@example.org", "password": PASSWORD, "next": "/account/profile/"},
    )
    assert response["Location"] == "/account/profile/"


def test_it_refuses_next_to_another_site(alice: User) -> None:
    response = Client().post(
        reverse("accounts:login"),
        {"username": "alice@example.org", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("core:dashboard")


def test_wrong_password_keeps_email_and_says_so(alice: User) -> None:
    response = Client().post(
        reverse("accounts:login"), {"username": "alice@example.org", "password": "nope"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "That email and password do not match an account" in body
    assert 'value="alice@example.org"' in body


def test_it_locks_out_after_five_failures_with_a_clear_message(alice: User) -> None:
    client = Client()
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "alice@example.org", "password": "x"})
    # Even the right password is refused while locked out.
    response = client.post(
        reverse("accounts:login"), {"username": "alice@example.org", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_of_one_account_does_not_lock_another(alice: User, bob: User) -> None:
    client = Client()
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "alice@example.org", "password": "x"})
    response = client.post(
        reverse("accounts:login"), {"username": "bob@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_logout_requires_post(alice_client: Client) -> None:
    assert alice_client.get(reverse("accounts:logout")).status_code == 405
    response = alice_client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert alice_client.get(reverse("core:dashboard")).status_code == 302
