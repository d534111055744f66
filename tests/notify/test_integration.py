"""What notify adds to the dashboard, the checklist and the demo account."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client
from django.urls import reverse

from preceptor.accounts.models import User
from preceptor.core import demo
from preceptor.letters import services as letters
from preceptor.notify import services
from preceptor.notify.models import FeedEvent, Interview, Notification, Reminder
from preceptor.notify.sync import sync_user


def test_the_dashboard_shows_the_next_two_weeks(alice: User, alice_client: Client) -> None:
    services.add_interview(
        alice, program="Dash Hospital", on=letters.today_for(alice) + timedelta(days=3)
    )
    sync_user(alice)
    body = alice_client.get(reverse("core:dashboard")).content.decode()
    assert "Next two weeks" in body
    assert "Interview: Dash Hospital" in body
    assert "Subscribe to your calendar feed" in body


def test_the_checklist_step_is_done_once_the_feed_exists(alice: User, alice_client: Client) -> None:
    from preceptor.core.checklist import steps_for

    step = {s.key: done for s, done in steps_for(alice)}
    assert step["calendar_feed"] is False
    services.rotate_feed_token(alice)
    step = {s.key: done for s, done in steps_for(alice)}
    assert step["calendar_feed"] is True


def test_the_demo_account_has_a_living_calendar(db: None, monkeypatch: Any) -> None:
    from cryptography.fernet import Fernet

    # The writers app's demo stores a file; outside DEBUG it wants a key from the environment.
    monkeypatch.setenv("PRECEPTOR_FILE_KEYS", Fernet.generate_key().decode())
    user, _ = demo.seed()
    assert Interview.objects.filter(user=user).count() == 2
    assert FeedEvent.objects.filter(user=user, kind="interview").count() == 2
    assert Reminder.objects.filter(user=user, kind="digest", status="pending").count() == 1
    assert Notification.objects.filter(user=user).exists()
    # With the letters and mentors demo data, their dates are in the calendar too.
    kinds = set(FeedEvent.objects.filter(user=user).values_list("kind", flat=True))
    assert {"deadline", "personal_deadline"} <= kinds
    # Seeding again gives the same account, not twice the data.
    user, _ = demo.seed()
    assert Interview.objects.filter(user=user).count() == 2


def test_sync_reminders_command_is_idempotent(alice: User, bob: User) -> None:
    from io import StringIO

    from django.core.management import call_command

    services.add_interview(alice, program="Cmd", on=letters.today_for(alice) + timedelta(days=5))
    Reminder.objects.all().delete()
    out = StringIO()
    call_command("sync_reminders", stdout=out)
    assert "Synced 2 users" in out.getvalue()
    assert Reminder.objects.filter(user=alice, kind="interview_prep").exists()
    out = StringIO()
    call_command("sync_reminders", stdout=out)
    assert "0 reminders created, 0 rescheduled, 0 cancelled" in out.getvalue()
