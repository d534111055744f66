"""The dashboard's writers panel counts only the user's own links, letters and deliveries."""

from __future__ import annotations

import datetime as dt
import secrets

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from preceptor.accounts.models import User
from preceptor.writers import services
from preceptor.writers.panels import panel_context
from tests.writers.factories import make_request, upload

pytestmark = pytest.mark.django_db


def _deliver(r: object, to: str) -> None:
    services.deliver(r, name="Committee", email=to, nonce=secrets.token_urlsafe(16))  # type: ignore[arg-type]


def test_an_account_with_nothing_counts_zero(alice: User) -> None:
    assert panel_context(alice) == {
        "requests": False,
        "active_links": 0,
        "letters": 0,
        "deliveries": 0,
    }


def test_counts_are_the_users_own_and_skip_revoked_and_expired_links(
    alice: User, bob: User
) -> None:
    uploaded = make_request(alice, status="agreed")
    upload(uploaded)  # a link (still open) and a letter
    _deliver(uploaded, "one@example.edu")
    _deliver(uploaded, "two@example.edu")
    revoked = make_request(alice, status="agreed")
    services.issue_link(revoked)
    for link in revoked.writer_links.all():
        services.revoke_link(link)
    expired = make_request(alice, status="agreed")
    services.issue_link(expired, expires_at=timezone.now() - dt.timedelta(days=1))
    open_link = make_request(alice, status="agreed")
    services.issue_link(open_link)

    # Bob's letter, links and delivery are nothing of Alice's.
    theirs = make_request(bob, status="agreed")
    upload(theirs)
    services.issue_link(make_request(bob, status="agreed"))
    _deliver(theirs, "three@example.edu")

    with CaptureQueriesContext(connection) as queries:
        counts = panel_context(alice)
    assert counts == {"requests": True, "active_links": 2, "letters": 1, "deliveries": 2}
    # Whether there are requests and the three counts: one query.
    assert len(queries) == 1
    assert panel_context(bob) == {
        "requests": True,
        "active_links": 2,
        "letters": 1,
        "deliveries": 1,
    }
