"""The sender: claims, fencing, recovery, retries — in one process, real SQLite/PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from preceptor.accounts.models import User
from preceptor.notify import engine
from preceptor.notify.delivery import Courier
from preceptor.notify.models import Notification, Reminder
from tests.notify.helpers import make_reminders

S = Reminder.Status


def test_it_sends_each_due_reminder_once(alice: User) -> None:
    make_reminders(alice, 3)
    future = make_reminders(alice, 1, send_at=timezone.now() + timedelta(hours=1), prefix="future")[
        0
    ]
    result = engine.send_due()
    assert result.sent == 3
    assert len(mail.outbox) == 3
    assert engine.send_due().sent == 0
    assert len(mail.outbox) == 3
    assert Reminder.objects.filter(status=S.SENT).count() == 3
    future.refresh_from_db()
    assert future.status == S.PENDING


def test_a_sent_reminder_also_appears_in_the_notification_list(alice: User) -> None:
    make_reminders(alice, 1)
    engine.send_due()
    note = Notification.objects.get(user=alice)
    assert note.title == "Ask Dr Number0 for a letter"
    assert note.reminder is not None


def test_in_app_rows_make_a_notification_and_no_email(alice: User) -> None:
    make_reminders(alice, 2, channel=Reminder.Channel.INAPP)
    result = engine.send_due()
    assert result.in_app == 2
    assert mail.outbox == []
    assert Notification.objects.filter(user=alice).count() == 2


def test_claims_are_exclusive(alice: User) -> None:
    make_reminders(alice, 5)
    now = timezone.now()
    first = engine.claim("a", now, 10)
    second = engine.claim("b", now, 10)
    assert len(first) == 5
    assert second == []
    assert {r.claimed_by for r in first} == {first[0].claimed_by}


def test_a_worker_that_lost_its_claim_sends_nothing(alice: User) -> None:
    make_reminders(alice, 2)
    rows = engine.claim("slow", timezone.now(), 10)
    # Recovery (or anything else) took the rows back while the slow worker was busy.
    Reminder.objects.update(status=S.PENDING, claimed_by="", claimed_at=None)
    result = engine.PassResult()
    courier = Courier()
    engine.deliver(rows, courier, result)
    courier.close()
    assert mail.outbox == []
    assert result.sent == 0
    assert Reminder.objects.filter(status=S.PENDING).count() == 2


def test_stale_rows_never_handed_off_are_released_and_sent_once(alice: User) -> None:
    make_reminders(alice, 3)
    old = timezone.now() - timedelta(hours=1)
    Reminder.objects.update(status=S.SENDING, claimed_by="dead:1", claimed_at=old)
    result = engine.send_due()
    assert result.recovered == 3
    assert result.sent == 3
    assert len(mail.outbox) == 3


def test_stale_rows_already_handed_off_are_counted_as_sent_not_sent_again(alice: User) -> None:
    make_reminders(alice, 2)
    old = timezone.now() - timedelta(hours=1)
    Reminder.objects.update(
        status=S.SENDING, claimed_by="dead:1", claimed_at=old, handed_off_at=old
    )
    engine.send_due()
    assert mail.outbox == []
    for row in Reminder.objects.all():
        assert row.status == S.SENT
        assert row.sent_at == old
        assert "counted as sent" in row.last_error


def test_recent_claims_of_a_live_worker_are_left_alone(alice: User) -> None:
    make_reminders(alice, 2)
    Reminder.objects.update(status=S.SENDING, claimed_by="live:1", claimed_at=timezone.now())
    assert engine.send_due().sent == 0
    assert Reminder.objects.filter(status=S.SENDING).count() == 2


def test_stopping_gives_back_the_rest_of_the_batch(alice: User) -> None:
    make_reminders(alice, 4)
    rows = engine.claim("w", timezone.now(), 10)
    calls = iter([False, True])
    result = engine.PassResult()
    courier = Courier()
    engine.deliver(rows, courier, result, should_stop=lambda: next(calls, True))
    courier.close()
    assert result.sent == 1
    assert Reminder.objects.filter(status=S.PENDING, claimed_by="").count() == 3


def test_every_email_carries_a_working_unsubscribe_link(alice: User, client: Any) -> None:
    make_reminders(alice, 1)
    engine.send_due()
    msg = mail.outbox[0]
    link = msg.extra_headers["List-Unsubscribe"].strip("<>")
    assert link in msg.body
    assert msg.extra_headers["Message-ID"].startswith("<reminder-")
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.post("/" + path)
    assert response.status_code == 200
    alice.notify_preferences.refresh_from_db()
    assert alice.notify_preferences.unsubscribed


def test_a_render_error_is_recorded_and_retried(alice: User, settings: Any) -> None:
    row = make_reminders(alice, 1)[0]
    Reminder.objects.filter(pk=row.pk).update(kind="digest", audience="applicant")
    # A digest for a user without a profile-less path still renders; break the template.
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": ["/nonexistent"], "APP_DIRS": False}]
    result = engine.send_due()
    row.refresh_from_db()
    assert result.retried == 1
    assert row.status == S.PENDING
    assert row.attempts == 1
    assert "rendering failed" in row.last_error


@pytest.mark.parametrize("attempts", [engine.MAX_ATTEMPTS - 1])
def test_the_last_attempt_marks_the_row_failed(alice: User, attempts: int) -> None:
    row = make_reminders(alice, 1)[0]
    Reminder.objects.filter(pk=row.pk).update(attempts=attempts)
    row = engine.claim("w", timezone.now(), 1)[0]
    assert engine._mark_failed(row, timezone.now(), "boom", permanent=False) == "failed"
    row.refresh_from_db()
    assert row.status == S.FAILED
    assert row.next_attempt_at is None


def test_retries_wait_for_their_backoff(alice: User) -> None:
    row = make_reminders(alice, 1)[0]
    claimed = engine.claim("w", timezone.now(), 1)[0]
    engine._mark_failed(claimed, timezone.now(), "451 later", permanent=False)
    assert engine.send_due().sent == 0
    with time_machine.travel(timezone.now() + timedelta(seconds=61), tick=False):
        assert engine.send_due().sent == 1
    row.refresh_from_db()
    assert row.attempts == 2
    assert row.status == S.SENT
