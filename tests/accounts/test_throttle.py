"""Login throttling per address, beside the per-account one, and the lockout page's words."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from preceptor.accounts.models import User
from preceptor.accounts.throttle import duration_in_words
from tests.conftest import PASSWORD, make_user

GUESS = "Winter2026!"


def _try(client: Client, email: str, password: str = GUESS) -> Any:
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_password_spraying_from_one_address_is_locked_out(alice: User, settings: Any) -> None:
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 20
    sprayer = Client(REMOTE_ADDR="203.0.113.9")
    # One guess on each of 20 accounts: never five on any one of them. The 20th failure
    # is answered with the lockout page.
    statuses = [_try(sprayer, f"user{i}@example.org").status_code for i in range(20)]
    assert statuses == [200] * 19 + [429]
    # Now any account, even Alice's with her right password, is refused from there.
    response = _try(sprayer, "alice@example.org", PASSWORD)
    assert response.status_code == 429
    body = response.content.decode()
    assert "too many failed log-ins from your network" in body
    assert "paused for 15 minutes" in body
    assert "_auth_user_id" not in sprayer.session
    # Alice from her own address is not affected.
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert _try(elsewhere, "alice@example.org", PASSWORD).status_code == 302
    # After the cool-off the address may try again.
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16)):
        assert _try(sprayer, "alice@example.org", PASSWORD).status_code == 302


def test_a_few_failures_on_several_accounts_do_not_lock_the_address(
    db: None, settings: Any
) -> None:
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 20
    bob = make_user("bob@example.org", "Bob Second")
    office = Client(REMOTE_ADDR="192.0.2.44")  # a shared office address
    for i in range(19):
        _try(office, f"colleague{i}@example.org")
    assert _try(office, bob.email, PASSWORD).status_code == 302


def test_the_lockout_page_says_the_time_in_words(alice: User) -> None:
    client = Client()
    for _ in range(5):
        _try(client, "alice@example.org")
    body = _try(client, "alice@example.org", PASSWORD).content.decode()
    assert "paused for 15 minutes." in body
    assert "PT15M" not in body


def test_durations_are_said_in_words_with_plurals() -> None:
    assert duration_in_words(dt.timedelta(minutes=15)) == "15 minutes"
    assert duration_in_words(dt.timedelta(minutes=1)) == "1 minute"
    assert duration_in_words(dt.timedelta(hours=1)) == "1 hour"
    assert duration_in_words(dt.timedelta(minutes=150)) == "2 hours and 30 minutes"
    assert duration_in_words(dt.timedelta(minutes=61)) == "1 hour and 1 minute"
