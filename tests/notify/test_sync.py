"""From letters timelines, preferences and interviews to reminder rows and calendar events."""

from __future__ import annotations

import datetime as dt
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from preceptor.accounts.models import User
from preceptor.letters import services as letters
from preceptor.notify import engine, services
from preceptor.notify.models import FeedEvent, Reminder
from preceptor.notify.sync import sync_user
from tests.letters.factories import make_request

S = Reminder.Status


def _today(user: User) -> dt.date:
    return letters.today_for(user)


def _rows(user: User, **filters: Any) -> dict[str, Reminder]:
    return {r.key: r for r in Reminder.objects.filter(user=user, **filters)}


def test_a_planned_request_gets_ask_by_reminders_and_calendar_events(alice: User) -> None:
    req = make_request(alice, "planned")
    sync_user(alice)
    rows = _rows(alice, status=S.PENDING)
    personal = req.personal_deadline
    ideal = rows[f"req:{req.public_id}:ask_by_ideal"]
    latest = rows[f"req:{req.public_id}:ask_by_latest"]
    assert ideal.due_on == personal - timedelta(weeks=6)
    assert latest.due_on == personal - timedelta(weeks=4)
    assert latest.urgent and latest.channel == Reminder.Channel.EMAIL
    # Digest mode (the default): a non-urgent item is shown in the app, not emailed alone.
    assert ideal.channel == Reminder.Channel.INAPP
    assert "Ana Patel" in ideal.context["title"]
    kinds = set(FeedEvent.objects.filter(user=alice).values_list("kind", flat=True))
    assert {"deadline", "personal_deadline", "ask_by"} <= kinds


def test_sync_is_idempotent(alice: User) -> None:
    make_request(alice, "agreed")
    first = sync_user(alice)
    assert first.created > 0
    second = sync_user(alice)
    assert (second.created, second.rescheduled, second.cancelled, second.events_changed) == (
        0,
        0,
        0,
        0,
    )


def test_changing_the_deadline_reschedules_and_bumps_the_event_sequence(alice: User) -> None:
    req = make_request(alice, "planned")
    sync_user(alice)
    key = f"req:{req.public_id}:ask_by_latest"
    before = Reminder.objects.get(user=alice, key=key)
    app = req.application
    letters.update_application(app, official_deadline=app.official_deadline + timedelta(days=14))
    result = sync_user(alice)
    after = Reminder.objects.get(user=alice, key=key)
    assert after.pk == before.pk
    assert after.due_on == before.due_on + timedelta(days=14)
    assert after.send_at == before.send_at + timedelta(days=14)
    assert result.rescheduled >= 1
    deadline = FeedEvent.objects.get(user=alice, uid=f"app:{app.public_id}:deadline")
    assert deadline.sequence == 1
    assert deadline.on == app.official_deadline + timedelta(days=14) or deadline.on == (
        letters.get_application_for_user(alice, app.public_id).official_deadline
    )


def test_the_letters_signals_resync_without_being_asked(
    alice: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        req = make_request(alice, "planned")
    assert f"req:{req.public_id}:ask_by_ideal" in _rows(alice)
    with django_capture_on_commit_callbacks(execute=True):
        letters.transition(req, "asked", ask_method="email")
    rows = _rows(alice)
    # Asked: the ask-by reminders are obsolete.
    assert rows[f"req:{req.public_id}:ask_by_ideal"].status == S.CANCELLED


def test_writer_reminders_only_when_the_applicant_opted_in(alice: User) -> None:
    quiet = make_request(alice, "agreed")
    opted = make_request(alice, "agreed", writer_reminders=True)
    sync_user(alice)
    writer_rows = _rows(alice, audience=Reminder.Audience.WRITER)
    assert {r.context["request"] for r in writer_rows.values()} == {str(opted.public_id)}
    assert {r.recipient for r in writer_rows.values()} == {opted.mentor.email}
    assert len(writer_rows) == 2  # three weeks and one week before the personal deadline
    assert all(r.kind == "writer_reminder" for r in writer_rows.values())
    assert quiet.pk  # the quiet request has applicant-side reminders only


def test_writer_reminders_stop_the_moment_the_letter_is_in(alice: User) -> None:
    req = make_request(alice, "agreed", writer_reminders=True)
    sync_user(alice)
    assert len(_rows(alice, audience="writer", status=S.PENDING)) == 2
    letters.transition(req, "submitted", actor="writer")
    sync_user(alice)
    assert _rows(alice, audience="writer", status=S.PENDING) == {}
    # The thank-you comes instead.
    assert f"req:{req.public_id}:thank_you" in _rows(alice, status=S.PENDING)


def test_a_writer_reminder_claimed_after_submission_is_not_sent(alice: User) -> None:
    req = make_request(alice, "agreed", writer_reminders=True)
    sync_user(alice)
    Reminder.objects.filter(user=alice, audience="writer").update(
        send_at=timezone.now() - timedelta(minutes=1)
    )
    # Submitted, but the sync has not run yet when the worker claims the row.
    letters.transition(req, "submitted", actor="writer")
    result = engine.send_due()
    assert result.moot == 2
    assert [m for m in mail.outbox if m.to == [req.mentor.email]] == []


def test_a_due_writer_reminder_is_sent_with_the_writer_link_and_recorded(alice: User) -> None:
    req = make_request(alice, "agreed", writer_reminders=True)
    sync_user(alice)
    row = Reminder.objects.filter(user=alice, audience="writer").order_by("send_at").first()
    assert row is not None
    Reminder.objects.filter(pk=row.pk).update(send_at=timezone.now() - timedelta(minutes=1))
    engine.send_due()
    sent = [m for m in mail.outbox if m.to == [req.mentor.email]]
    assert len(sent) == 1
    assert "Alice Owner" in sent[0].subject
    assert f"{req.personal_deadline:%-d %B}" in sent[0].subject
    assert "no more reminders" in sent[0].body
    # A fresh writer link from the writers app, which opens the writer's page.
    from django.test import Client

    link = next(w for w in sent[0].body.split() if "/writer/" in w)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    assert Client().get(path).status_code == 200
    req.refresh_from_db()
    assert req.status == "reminded"
    assert req.reminders_sent == 1


def test_digest_mode_schedules_a_digest_at_the_local_hour(alice: User) -> None:
    # Friday 30 October 2026; New York leaves daylight saving on Sunday 1 November.
    with time_machine.travel(datetime(2026, 10, 30, 15, tzinfo=UTC), tick=False):
        services.update_preferences(alice, digest_weekday=0, digest_hour=8)
        digest = Reminder.objects.get(user=alice, kind="digest", status=S.PENDING)
    assert digest.send_at == datetime(2026, 11, 2, 13, tzinfo=UTC)  # 08:00 EST
    assert digest.key == "digest:2026-11-02"


def test_same_day_items_follow_the_local_hour_across_the_dst_change(alice: User) -> None:
    with time_machine.travel(datetime(2026, 10, 20, 15, tzinfo=UTC), tick=False):
        services.update_preferences(alice, delivery="immediate", digest_hour=9)
        services.add_interview(alice, program="Before", on=dt.date(2026, 10, 31))
        services.add_interview(alice, program="After", on=dt.date(2026, 11, 3))
        rows = {
            r.context["title"]: r.send_at
            for r in Reminder.objects.filter(user=alice, kind="interview_prep")
        }
    assert rows["Tomorrow: interview with Before"] == datetime(2026, 10, 30, 13, tzinfo=UTC)
    assert rows["Tomorrow: interview with After"] == datetime(2026, 11, 2, 14, tzinfo=UTC)


def test_immediate_mode_emails_every_item_and_has_no_digest(alice: User) -> None:
    make_request(alice, "planned")
    services.update_preferences(alice, delivery="immediate")
    rows = Reminder.objects.filter(user=alice, status=S.PENDING)
    assert not rows.filter(kind="digest").exists()
    assert set(rows.values_list("channel", flat=True)) == {"email"}


def test_pausing_keeps_reminders_in_the_app_only(alice: User) -> None:
    make_request(alice, "planned")
    services.update_preferences(alice, paused=True)
    rows = Reminder.objects.filter(user=alice, status=S.PENDING, audience="applicant")
    assert set(rows.values_list("channel", flat=True)) == {"inapp"}
    assert not rows.filter(kind="digest").exists()
    services.update_preferences(alice, paused=False)
    assert Reminder.objects.filter(user=alice, status=S.PENDING, kind="digest").exists()


def test_the_digest_lists_the_week_and_schedules_the_next_one(alice: User) -> None:
    req = make_request(alice, "planned")
    ask_by = req.personal_deadline - timedelta(weeks=6)
    # Send the digest the Monday before the ask-by date.
    monday = ask_by - timedelta(days=ask_by.weekday())
    at = datetime(monday.year, monday.month, monday.day, 14, tzinfo=UTC)
    with time_machine.travel(at - timedelta(days=1), tick=False):
        services.update_preferences(alice, digest_weekday=0, digest_hour=8)
    with time_machine.travel(at, tick=False):
        engine.send_due()
        digests = [m for m in mail.outbox if "Your week ahead" in m.subject]
        assert len(digests) == 1
        assert "Ask Ana Patel for a letter" in digests[0].body
        nxt = Reminder.objects.get(user=alice, kind="digest", status=S.PENDING)
        assert nxt.send_at.date() == monday + timedelta(days=7)


def test_an_old_account_does_not_get_a_pile_of_stale_reminders(alice: User) -> None:
    services.add_interview(alice, program="Long ago", on=_today(alice) - timedelta(days=40))
    assert not Reminder.objects.filter(user=alice, kind="interview_prep").exists()
    assert FeedEvent.objects.filter(user=alice, kind="interview").exists()


def test_deleting_an_interview_cancels_its_reminder_and_removes_its_event(alice: User) -> None:
    interview = services.add_interview(
        alice, program="Lakeside", on=_today(alice) + timedelta(days=10)
    )
    assert Reminder.objects.filter(user=alice, kind="interview_prep", status=S.PENDING).exists()
    services.delete_interview(alice, interview)
    assert Reminder.objects.get(user=alice, kind="interview_prep").status == S.CANCELLED
    assert not FeedEvent.objects.filter(user=alice, kind="interview").exists()


@pytest.mark.usefixtures("utc_rollover")
def test_an_overdue_mentor_and_unreported_advice_become_reminders(alice: User) -> None:
    from preceptor.mentors import services as mentors

    today = mentors.today_for(alice)
    mentor = mentors.create_mentor(alice, full_name="Grace Kim", email="grace@example.edu")
    interaction = mentors.log_interaction(
        mentor,
        occurred_on=today - timedelta(days=70),
        summary="Career chat",
        action_items=["Read the review she sent"],
    )
    item = interaction.action_items.get()
    mentors.complete_action(item, on=today - timedelta(days=1))
    sync_user(alice)
    rows = _rows(alice)
    overdue = rows[f"mentor:{mentor.public_id}:overdue"]
    assert overdue.context["title"] == "Grace Kim is overdue for an update"
    report = rows[f"action:{item.public_id}:report"]
    assert report.due_on == today + timedelta(days=2)
    assert "Read the review she sent" in report.context["title"]
    # A new contact moves the cadence: the overdue reminder moves with it.
    mentors.log_interaction(mentor, occurred_on=today, summary="Update email")
    sync_user(alice)
    moved = Reminder.objects.get(pk=overdue.pk)
    assert moved.due_on > today


def test_a_visit_syncs_only_what_is_out_of_step(alice: User) -> None:
    """refresh_user (the calendar's and the feed's) changes nothing when all is in step,
    and catches a date moved behind the signals' back, as sync_user would."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from preceptor.letters.models import Application
    from preceptor.notify.sync import SyncResult, refresh_user

    req = make_request(alice, "planned")
    sync_user(alice)
    with CaptureQueriesContext(connection) as queries:
        assert refresh_user(alice) == SyncResult()
    # No write and no transaction (a savepoint here): nothing that waits for SQLite's lock.
    writes = ("INSERT", "UPDATE", "DELETE", "SAVEPOINT")
    assert not [q for q in queries.captured_queries if q["sql"].startswith(writes)]

    app = req.application
    later = app.official_deadline + timedelta(days=7)
    Application.objects.filter(pk=app.pk).update(official_deadline=later)  # no signal
    changed = refresh_user(alice)
    assert changed.events_changed and changed.rescheduled
    deadline = FeedEvent.objects.get(user=alice, uid=f"app:{app.public_id}:deadline")
    assert deadline.on == later
    assert refresh_user(alice) == SyncResult()


# --- the "in step" marker (sync.refresh_user) -------------------------------------------
# Marks are made only outside a transaction, so these tests commit as they go.


def _reads_reminders(queries: Any) -> bool:
    return any(
        "notify_reminder" in q["sql"] or "notify_feedevent" in q["sql"]
        for q in queries.captured_queries
    )


@pytest.mark.django_db(transaction=True)
def test_a_visit_after_a_sync_trusts_the_marker_until_it_expires_or_the_day_ends(
    alice: User,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from preceptor.letters.models import Application
    from preceptor.notify.sync import IN_STEP_SECONDS, SyncResult, refresh_user

    req = make_request(alice, "planned")  # its saves synced and marked alice in step
    with CaptureQueriesContext(connection) as queries:
        assert refresh_user(alice) == SyncResult()
    assert not _reads_reminders(queries)

    app = req.application
    later = app.official_deadline + timedelta(days=7)
    Application.objects.filter(pk=app.pk).update(official_deadline=later)  # no signal
    assert refresh_user(alice) == SyncResult()  # trusted, for at most IN_STEP_SECONDS
    uid = f"app:{app.public_id}:deadline"
    assert FeedEvent.objects.get(user=alice, uid=uid).on != later

    with time_machine.travel(timezone.now() + timedelta(seconds=IN_STEP_SECONDS + 5)):
        assert refresh_user(alice).events_changed
    assert FeedEvent.objects.get(user=alice, uid=uid).on == later
    with CaptureQueriesContext(connection) as queries:
        assert refresh_user(alice) == SyncResult()
    assert not _reads_reminders(queries)

    # The user's next day compares again, marker or not.
    with CaptureQueriesContext(connection) as queries:
        refresh_user(alice, now=timezone.now() + timedelta(days=1))
    assert _reads_reminders(queries)


@pytest.mark.django_db(transaction=True)
def test_a_save_forgets_the_marker_and_a_failed_sync_leaves_none(
    alice: User, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from django.db import transaction

    from preceptor.notify import sync
    from preceptor.notify.sync import SyncResult, refresh_user

    req = make_request(alice, "planned")
    assert sync._in_step(alice.pk, _today(alice))
    with transaction.atomic():
        letters.update_request(req, notes="Met at the clinic")
        # Gone at the save already, before the commit and its sync.
        assert not sync._in_step(alice.pk, _today(alice))
    assert sync._in_step(alice.pk, _today(alice))  # the sync at the commit marked it

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("database went away")

    with monkeypatch.context() as m:
        m.setattr(sync, "_reconcile", broken)
        later = req.application.official_deadline + timedelta(days=7)
        letters.update_application(req.application, official_deadline=later)  # sync fails
    assert "reminder sync failed" in caplog.text
    assert not sync._in_step(alice.pk, _today(alice))
    # So the next visit compares, finds the moved deadline and syncs it.
    assert refresh_user(alice).events_changed
    assert refresh_user(alice) == SyncResult()
    assert sync._in_step(alice.pk, _today(alice))


@pytest.mark.django_db(transaction=True)
def test_a_change_while_a_visit_compares_leaves_no_marker(alice: User) -> None:
    """A save (or its sync) that forgets the marker while a visit is comparing the data it
    read before: the visit must not mark the user in step afterwards."""
    from preceptor.notify import sync

    make_request(alice, "planned")
    sync.forget_in_step(alice.pk)
    today = _today(alice)
    token = sync._claim(alice.pk)  # a visit starts comparing
    sync.forget_in_step(alice.pk)  # a save commits meanwhile
    sync._mark(alice.pk, token, today)  # the visit found nothing to do
    assert not sync._in_step(alice.pk, today)
    # A sync that fails midway leaves its token, which is no marker either.
    token = sync._claim(alice.pk)
    assert token is not None and not sync._in_step(alice.pk, today)


def test_nothing_is_marked_inside_a_transaction(alice: User) -> None:
    """Inside a transaction (every test without transaction=True runs in one) the data
    compared may still be rolled back: neither a sync nor a visit marks."""
    from preceptor.notify import sync

    make_request(alice, "planned")
    sync.sync_user(alice)
    sync.refresh_user(alice)
    assert not sync._in_step(alice.pk, _today(alice))
