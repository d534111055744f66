"""Sending due reminders exactly once, with any number of workers.

One pass of a worker:

1. **Recover** rows left in ``sending`` by a worker that died (older than the stale
   limit). A row whose ``handed_off_at`` is empty never reached the point of no return
   (see :mod:`preceptor.notify.delivery`): it goes back to ``pending`` — sending it again
   cannot duplicate it, because the server never completed it. A row that was handed off
   is counted as sent: its final "." was on its way when the worker died.
2. **Claim** up to ``batch`` due rows: ``UPDATE reminder SET status='sending',
   claimed_by=<token> WHERE id IN (...) AND status='pending'``. The condition makes the
   claim atomic on SQLite (one writer at a time) and on PostgreSQL (a second UPDATE of the
   same row waits for the first and re-checks the condition). Each worker then reads back
   only the rows carrying its own fresh token: the rows it won.
3. **Deliver** each row: render, talk SMTP up to the last ".", then the *fenced* handoff
   ``UPDATE ... SET handed_off_at=now WHERE id=? AND claimed_by=<token> AND
   status='sending'``. If recovery released the row meanwhile (a worker too slow, not
   dead), this matches nothing and the worker hangs up without the ".": only one worker
   can ever pass the handoff for a row.
4. **Record**: ``sent`` (plus an in-app notification, in the same transaction), or on
   failure ``pending`` again with ``attempts`` + 1 and an exponential ``next_attempt_at``,
   or ``failed`` after :data:`MAX_ATTEMPTS` or a permanent (5xx) refusal.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from preceptor.lib.env import env_int
from preceptor.notify import scheduling
from preceptor.notify.delivery import Abandoned, Courier, DeliveryError
from preceptor.notify.models import Notification, Reminder
from preceptor.notify.render import Moot, build_message
from preceptor.notify.signals import reminder_sent

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
S = Reminder.Status


def stale_after() -> timedelta:
    """How long a claimed row may sit in ``sending`` before another worker recovers it.

    It must exceed the longest a live worker can spend between its handoff and the
    server's answer (EMAIL_TIMEOUT); the fenced handoff protects everything before that.
    """
    seconds = getattr(settings, "NOTIFY_STALE_SECONDS", None) or env_int(
        "NOTIFY_STALE_SECONDS", 600
    )
    return timedelta(seconds=seconds)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class PassResult:
    claimed: int = 0
    # Due rows existed but other workers won them all: try again at once.
    contended: bool = False
    sent: int = 0
    in_app: int = 0
    retried: int = 0
    failed: int = 0
    moot: int = 0
    recovered: int = 0
    errors: list[str] = field(default_factory=list)


def recover_stale(now: datetime, worker: str | None = None) -> int:
    """Recover rows left in ``sending`` past the stale limit; with ``worker``, that
    worker's own rows of any age instead: after a pass that failed (the database refused a
    write), the worker knows none of its claims is still being delivered."""
    held = Reminder.objects.filter(status=S.SENDING)
    if worker is None:
        cutoff = now - stale_after()
    else:
        cutoff = now
        held = held.filter(claimed_by__startswith=f"{worker}:")
    released = held.filter(claimed_at__lt=cutoff, handed_off_at__isnull=True).update(
        status=S.PENDING,
        claimed_by="",
        claimed_at=None,
        last_error="Released: the worker that claimed it stopped before sending it.",
        updated=now,
    )
    assumed = held.filter(handed_off_at__lt=cutoff).update(
        status=S.SENT,
        sent_at=F("handed_off_at"),
        last_error="Its worker stopped just after handing it to the mail server; counted as sent.",
        updated=now,
    )
    if released or assumed:
        logger.warning("recovered %s stale reminders (%s counted as sent)", released, assumed)
    return released + assumed


def claim(
    worker: str, now: datetime, batch: int, result: PassResult | None = None
) -> list[Reminder]:
    due = (
        Reminder.objects.filter(status=S.PENDING, send_at__lte=now)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("send_at", "id")
        .values_list("id", flat=True)[: batch * 4]
    )
    candidates = list(due)
    if not candidates:
        return []
    # Workers reading at the same moment see the same rows; a random subset each keeps
    # them from all fighting over the same first rows.
    if len(candidates) > batch:
        candidates = random.sample(candidates, batch)
    token = f"{worker}:{uuid.uuid4().hex[:12]}"
    targets = Reminder.objects.filter(id__in=candidates, status=S.PENDING)
    if connection.features.has_select_for_update_skip_locked:
        # PostgreSQL: lock in id order and skip rows another worker is claiming right
        # now, so concurrent claims neither deadlock nor wait on each other. The
        # status condition is still what makes the claim exclusive.
        locked = targets.order_by("id").select_for_update(skip_locked=True).values("id")
        with transaction.atomic():
            won = Reminder.objects.filter(id__in=locked, status=S.PENDING).update(
                status=S.SENDING, claimed_by=token, claimed_at=now, handed_off_at=None
            )
    else:
        # SQLite: one writer at a time; the conditional UPDATE alone is exclusive.
        won = targets.update(status=S.SENDING, claimed_by=token, claimed_at=now, handed_off_at=None)
    if not won:
        if result is not None:
            result.contended = True
        return []
    return list(
        Reminder.objects.filter(claimed_by=token, status=S.SENDING)
        .select_related("user__profile")
        .order_by("send_at", "id")
    )


def _mark_sent(rows: list[Reminder], now: datetime) -> int:
    """Record delivered rows as sent, with their in-app notifications, in one transaction.

    Rows emailed through SMTP were already marked ``handed_off_at`` before their final
    ".", so recording them a few at a time is safe: if the worker dies first, recovery
    counts them as sent instead of sending them again.
    """
    if not rows:
        return 0
    token = rows[0].claimed_by
    with transaction.atomic():
        # Only rows still held by this claim (a stopped-and-recovered row is not ours).
        ours = set(
            Reminder.objects.select_for_update()
            .filter(pk__in=[r.pk for r in rows], claimed_by=token, status=S.SENDING)
            .values_list("pk", flat=True)
        )
        if not ours:
            return 0
        Reminder.objects.filter(pk__in=ours).update(
            status=S.SENT, sent_at=now, attempts=F("attempts") + 1, last_error=""
        )
        Notification.objects.bulk_create(
            Notification(
                user_id=row.user_id,
                kind=row.kind,
                title=row.context.get("title", "")[:300],
                body=row.context.get("detail", ""),
                url=row.context.get("url", ""),
                reminder=row,
            )
            for row in rows
            if row.pk in ours
            and row.audience == Reminder.Audience.APPLICANT
            and row.kind != "digest"
        )
    return len(ours)


def _after_sent(rows: list[Reminder]) -> None:
    for row in rows:
        if row.channel == Reminder.Channel.EMAIL:
            reminder_sent.send(sender=Reminder, reminder=row)
        if row.kind == "digest":
            _schedule_next_digest(row)


def _mark_failed(row: Reminder, now: datetime, error: str, permanent: bool) -> str:
    attempts = row.attempts + 1
    give_up = permanent or attempts >= MAX_ATTEMPTS
    fields = {
        "attempts": attempts,
        "last_error": error[:2000],
        "claimed_by": "",
        "claimed_at": None,
        "handed_off_at": None,
        "updated": now,
    }
    if give_up:
        fields.update(status=S.FAILED, next_attempt_at=None)
    else:
        delay = timedelta(seconds=scheduling.backoff_seconds(attempts))
        fields.update(status=S.PENDING, next_attempt_at=now + delay)
    Reminder.objects.filter(pk=row.pk, claimed_by=row.claimed_by, status=S.SENDING).update(**fields)
    return "failed" if give_up else "retried"


def _release(rows: list[Reminder], now: datetime) -> None:
    """Give back claimed rows not yet attempted (a worker asked to stop)."""
    for row in rows:
        Reminder.objects.filter(
            pk=row.pk, claimed_by=row.claimed_by, status=S.SENDING, handed_off_at__isnull=True
        ).update(status=S.PENDING, claimed_by="", claimed_at=None, updated=now)


# Delivered rows are recorded as sent this many at a time (one transaction each).
FLUSH_EVERY = 25


def deliver(
    rows: list[Reminder], courier: Courier, result: PassResult, should_stop: object = None
) -> None:
    stop = should_stop if callable(should_stop) else (lambda: False)
    delivered: list[Reminder] = []

    def flush() -> None:
        if delivered:
            _mark_sent(delivered, timezone.now())
            _after_sent(delivered)
            delivered.clear()

    try:
        for index, row in enumerate(rows):
            if stop():
                _release(rows[index:], timezone.now())
                return
            if row.channel == Reminder.Channel.INAPP:
                # Nothing leaves the building: record it at once.
                if _mark_sent([row], timezone.now()):
                    result.in_app += 1
                    _after_sent([row])
                continue
            if _deliver_one(row, courier, result):
                delivered.append(row)
                result.sent += 1
                if len(delivered) >= FLUSH_EVERY:
                    flush()
    finally:
        flush()


def _deliver_one(row: Reminder, courier: Courier, result: PassResult) -> bool:
    now = timezone.now()
    try:
        message = build_message(row)
    except Moot as e:
        Reminder.objects.filter(pk=row.pk, claimed_by=row.claimed_by).update(
            status=S.CANCELLED, last_error=str(e), updated=now
        )
        result.moot += 1
        return False
    except Exception as e:
        logger.exception("could not render reminder %s", row.pk)
        outcome = _mark_failed(row, now, f"rendering failed: {e}", permanent=False)
        setattr(result, outcome, getattr(result, outcome) + 1)
        return False

    def handoff() -> bool:
        # Fenced: only the holder of this claim, and only while it still holds it. Plain
        # SQL: it runs once per message, and the ORM's query building was a tenth of the
        # sender's CPU.
        with connection.cursor() as cursor:
            now = connection.ops.adapt_datetimefield_value(timezone.now())  # as the ORM stores it
            cursor.execute(HANDOFF_SQL, [now, row.pk, row.claimed_by, S.SENDING])
            return cursor.rowcount == 1

    try:
        courier.send(message, handoff)
    except Abandoned:
        logger.warning("reminder %s was taken back before sending; skipped", row.pk)
        return False
    except DeliveryError as e:
        outcome = _mark_failed(row, timezone.now(), str(e), permanent=e.permanent)
        setattr(result, outcome, getattr(result, outcome) + 1)
        result.errors.append(str(e))
        return False
    return True


HANDOFF_SQL = (
    "UPDATE notify_reminder SET handed_off_at = %s "
    "WHERE id = %s AND claimed_by = %s AND status = %s"
)
assert Reminder._meta.db_table == "notify_reminder"


def _schedule_next_digest(row: Reminder) -> None:
    from preceptor.notify.sync import sync_user

    try:
        sync_user(row.user)
    except Exception:
        logger.exception("could not schedule the next digest for user %s", row.user_id)


def run_pass(worker: str, batch: int = 100, should_stop: object = None) -> PassResult:
    """Recover, claim and deliver one batch. Returns what happened."""
    result = PassResult()
    now = timezone.now()
    result.recovered = recover_stale(now)
    rows = claim(worker, now, batch, result)
    result.claimed = len(rows)
    if not rows:
        return result
    courier = Courier()
    try:
        deliver(rows, courier, result, should_stop)
    finally:
        courier.close()
    return result


def send_due(batch: int = 100, worker: str | None = None) -> PassResult:
    """Send everything due now, pass after pass, until nothing is left (one process)."""
    worker = worker or worker_name()
    total = PassResult()
    while True:
        result = run_pass(worker, batch)
        for name in ("claimed", "sent", "in_app", "retried", "failed", "moot", "recovered"):
            setattr(total, name, getattr(total, name) + getattr(result, name))
        total.errors.extend(result.errors)
        if not result.claimed and not result.contended and not _anything_due():
            return total


def _anything_due() -> bool:
    now = timezone.now()
    return (
        Reminder.objects.filter(status=S.PENDING, send_at__lte=now)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .exists()
    )
