"""The getting-started checklist: each step follows what the user has, asked in one query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from preceptor.accounts.models import User
from preceptor.core.checklist import Step, steps_for
from preceptor.notify import services as notify
from tests.writers.factories import make_mentor, make_request

pytestmark = pytest.mark.django_db

HAS_ANY = ("mentors_first", "letters_plan", "calendar_feed")


def _done(user: User) -> dict[str, bool]:
    return {s.key: done for s, done in steps_for(user)}


def test_steps_follow_what_each_user_has(alice: User, bob: User) -> None:
    assert {k: _done(alice)[k] for k in HAS_ANY} == dict.fromkeys(HAS_ANY, False)
    make_mentor(alice)
    assert _done(alice)["mentors_first"] is True
    make_request(alice)  # an application and a request (and its mentor)
    notify.rotate_feed_token(alice)
    assert {k: _done(alice)[k] for k in HAS_ANY} == dict.fromkeys(HAS_ANY, True)
    # Nothing of Alice's ticks Bob's steps.
    assert {k: _done(bob)[k] for k in HAS_ANY} == dict.fromkeys(HAS_ANY, False)


def test_the_has_any_steps_are_one_query(alice: User) -> None:
    # The profile steps read the profile (one query here, none on a page, where it comes
    # with the user), SmartPick's its profile, and every "has any" step one query together.
    alice = User.objects.select_related("profile").get(pk=alice.pk)
    with CaptureQueriesContext(connection) as queries:
        steps_for(alice)
    exists = [q["sql"] for q in queries.captured_queries if "EXISTS" in q["sql"]]
    assert len(exists) == 1
    assert len(queries) == 2  # that one, and SmartPick's profile


def test_a_step_needs_exactly_one_check() -> None:
    with pytest.raises(ValueError, match="is_done or done_when_any"):
        Step("both_missing", "A step", "core:dashboard")
    with pytest.raises(ValueError, match="is_done or done_when_any"):
        Step(
            "both_given",
            "A step",
            "core:dashboard",
            is_done=lambda user: True,
            done_when_any=("mentors.Mentor", "user"),
        )
