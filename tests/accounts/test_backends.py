"""Signed-in requests read the user and the profile in one query, and the time zone from it."""

from __future__ import annotations

from typing import Any

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import MD5PasswordHasher
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from preceptor.accounts import services as accounts
from preceptor.accounts.backends import ProfileBackend
from preceptor.accounts.models import Profile, User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PROFILE_READ = 'FROM "accounts_profile"'


def _page_queries(client: Client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries]


def test_a_page_reads_the_profile_with_the_user(alice: User) -> None:
    client = Client()
    signed_in = client.post(
        reverse("accounts:login"), {"username": alice.email, "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    assert client.session["_auth_user_backend"] == "preceptor.accounts.backends.ProfileBackend"
    sql = _page_queries(client, reverse("notify:calendar"))
    user_reads = [q for q in sql if 'FROM "accounts_user"' in q]
    assert len(user_reads) == 1 and "accounts_profile" in user_reads[0]
    # Neither the time-zone middleware nor the calendar asks for the profile again.
    assert not [q for q in sql if q.lstrip().startswith("SELECT") and PROFILE_READ in q]


def test_a_session_signed_in_through_djangos_backend_stays_signed_in(alice: User) -> None:
    client = Client()
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 200
    assert response.wsgi_request.user == alice


def test_an_inactive_user_is_signed_out(alice: User) -> None:
    User.objects.filter(pk=alice.pk).update(is_active=False)
    assert ProfileBackend().get_user(alice.pk) is None
    assert ProfileBackend().get_user(10**9) is None


def test_a_user_without_a_profile_is_in_utc(db: None) -> None:
    user = User.objects.create_user(email="admin-made@example.org", password=PASSWORD)
    loaded = ProfileBackend().get_user(user.pk)
    assert loaded is not None
    with CaptureQueriesContext(connection) as queries:
        assert accounts.time_zone_name(loaded) == "UTC"
    assert len(queries) == 0


def test_the_time_zone_of_a_user_held_elsewhere_is_read_afresh(alice: User) -> None:
    # A task's or a test's user object may hold a profile read before a change.
    held = User.objects.get(pk=alice.pk)
    assert held.profile.time_zone == "America/New_York"
    Profile.objects.filter(user=alice).update(time_zone="Asia/Tokyo")
    assert accounts.time_zone_name(held) == "Asia/Tokyo"


def test_a_request_that_changes_the_zone_sees_the_new_one(alice: User) -> None:
    loaded = ProfileBackend().get_user(alice.pk)
    assert loaded is not None
    assert accounts.time_zone_name(loaded) == "America/New_York"
    accounts.update_profile(loaded, time_zone="Europe/Paris")
    with CaptureQueriesContext(connection) as queries:
        assert accounts.time_zone_name(loaded) == "Europe/Paris"
    assert len(queries) == 0


class CountingHasher(MD5PasswordHasher):
    """Django's MD5 hasher, counting each password it hashes."""

    algorithm = "counting-md5"
    calls = 0

    def encode(self, password: str, salt: str) -> str:
        CountingHasher.calls += 1
        return super().encode(password, salt)


@pytest.mark.parametrize("email", ["alice@example.org", "nobody@example.org"])
def test_a_failed_sign_in_checks_the_password_once(alice: User, settings: Any, email: str) -> None:
    # Two backends can check a password (ours, and Django's, kept for old sessions): a
    # failure must not run the costly hash twice, for a known user or an unknown one.
    settings.PASSWORD_HASHERS = ["tests.accounts.test_backends.CountingHasher"]
    alice.set_password(PASSWORD)
    alice.save()
    CountingHasher.calls = 0
    response = Client().post(
        reverse("accounts:login"), {"username": email, "password": "wrong-password-1"}
    )
    assert response.status_code == 200  # the form again, with its error
    assert CountingHasher.calls == 1
    assert AccessAttempt.objects.get().failures_since_start == 1
