"""Shared fixtures: alice owns things, bob is another user, charlie must see nothing of alice's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from preceptor.accounts import services as accounts
from preceptor.accounts.models import User
from preceptor.core import services as core_services
from preceptor.letters import rulebook
from preceptor.smartpick import services as smartpick

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fast_and_synchronous(settings: pytest.FixtureRequest) -> None:
    # Hashing with a real hasher costs ~0.3 s a login; the tests check behaviour, not hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tasks run inline so that a test sees their effect (the worker has its own tests).
    settings.TASKS = {
        "default": {
            **settings.TASKS["default"],
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        }
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _fresh_process_caches() -> None:
    # The process keeps the shared catalogue and service rules, trusting them for a minute
    # (docs/speed.md). Between tests the database is rolled back or flushed behind that
    # trust: a test must start by asking the tables again, as a new process would.
    smartpick.forget_catalogue()
    rulebook.forget_rules()
    # /healthz keeps each part's answer for seconds: a test's vault is asked afresh.
    core_services.forget_parts()


@pytest.fixture(params=["server clock", "02:00 UTC"])
def utc_rollover(request: pytest.FixtureRequest) -> Iterator[None]:
    """Run the test twice: at the real time, and at 02:00 UTC today, when the test users
    (New York) are still on yesterday's date. A "today" taken from the server's clock
    instead of the user's fails the second run; CI started after 00:00 UTC once did."""
    if request.param == "server clock":
        yield
        return
    at = dt.datetime.combine(timezone.now().date(), dt.time(2), tzinfo=dt.UTC)
    with time_machine.travel(at, tick=True):
        yield


def make_user(email: str, full_name: str) -> User:
    user = accounts.sign_up(email=email, password=PASSWORD, full_name=full_name)
    accounts.update_profile(user, time_zone="America/New_York")
    return user


@pytest.fixture
def alice(db: None) -> User:
    return make_user("alice@example.org", "Alice Owner")


@pytest.fixture
def bob(db: None) -> User:
    return make_user("bob@example.org", "Bob Second")


@pytest.fixture
def charlie(db: None) -> User:
    return make_user("charlie@example.org", "Charlie Stranger")


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def alice_client(alice: User) -> Client:
    return client_for(alice)


@pytest.fixture
def charlie_client(charlie: User) -> Client:
    return client_for(charlie)
