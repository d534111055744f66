"""The timing the guides stress, as reminders: ask at the end of a rotation, give likely
writers a heads-up, build relationships a year ahead."""

from __future__ import annotations

import datetime as dt
from typing import Any

from preceptor.accounts import services as accounts
from preceptor.accounts.models import User
from preceptor.letters import services as letters
from preceptor.mentors import services as mentors
from preceptor.notify.models import Reminder
from preceptor.notify.sources import collect
from tests.letters.factories import make_application, make_mentor


def _kinds(user: User, today: dt.date) -> dict[str, list]:
    out: dict[str, list] = {}
    for item in collect(user, today):
        out.setdefault(item.kind, []).append(item)
    return out


def test_the_end_of_a_rotation_says_ask_now(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    today = mentors.today_for(alice)
    brooks = make_mentor(alice, "Dana Brooks")
    with django_capture_on_commit_callbacks(execute=True):
        mentors.add_period(
            brooks,
            kind="clinical",
            title="medicine clerkship",
            start=today - dt.timedelta(days=20),
            end=today + dt.timedelta(days=10),
            today=today,
        )
    (item,) = _kinds(alice, today)["ask_now"]
    assert item.on == today + dt.timedelta(days=7)  # the final feedback session
    # The period's save resynced: the reminder is there before any calendar visit.
    assert Reminder.objects.filter(user=alice, key=item.key).exists()
    assert item.title == "Ask Dana Brooks for a letter now, while they remember your work"
    assert item.detail.startswith("Medicine clerkship ends")
    # The mentor page has no ask draft: the prompt says where the draft really is.
    assert item.detail.endswith(
        "Plan the letter on one of your applications: the letter's page has the ask draft "
        "and talking points to practise."
    )
    # Once planned on an application, the prompt has done its job.
    letters.plan_request(make_application(alice), brooks)
    assert "ask_now" not in _kinds(alice, today)


def test_an_old_rotation_does_not_prompt(alice: User) -> None:
    today = mentors.today_for(alice)
    m = make_mentor(alice, "Old Rotation")
    mentors.add_period(
        m,
        kind="clinical",
        title="surgery",
        start=dt.date(2024, 1, 1),
        end=dt.date(2024, 2, 1),
        today=today,
    )
    assert "ask_now" not in _kinds(alice, today)


def test_the_season_drives_heads_up_and_relationships(alice: User) -> None:
    today = mentors.today_for(alice)
    assert "heads_up" not in _kinds(alice, today)
    # ERAS 2029 ends with the March 2029 Match: its letters are needed from June 2028.
    accounts.update_profile(alice, target_cycle=today.year + 3)
    kinds = _kinds(alice, today)
    (build,) = kinds["build_relationships"]
    (heads_up,) = kinds["heads_up"]
    opens = dt.date(today.year + 2, 6, 1)
    assert build.on == opens - dt.timedelta(days=365)
    assert heads_up.on == opens - dt.timedelta(days=90)
    # For a cycle under way the prompts' moments have passed: no stale reminders.
    accounts.update_profile(alice, target_cycle=today.year)
    kinds = _kinds(alice, today)
    assert "build_relationships" not in kinds and "heads_up" not in kinds
