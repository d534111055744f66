"""Shared fixtures: alice owns things, bob is another user, charlie must see nothing of alice's."""

from __future__ import annotations

import pytest
from django.test import Client

from preceptor.accounts import services as accounts
from preceptor.accounts.models import User

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fast_and_synchronous(settings: pytest.FixtureRequest) -> None:
    # Hashing with a real hasher costs ~0.3 s a login; the tests check behaviour, not hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tasks run inline so that a test sees their effect (the worker has its own tests).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


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
