"""Reconcile a user's reminder rows and calendar events with what the sources say now.

``sync_user`` computes the desired set (items from :mod:`sources`, shaped by the user's
preferences and time zone), then creates what is new, reschedules what moved, and
cancels what no longer applies. It runs after every change that can move a date (model
saves and deletes, the letters app's signals, a change of preferences) and is idempotent:
running it twice changes nothing the second time.

Rows already claimed by a sender are never touched; updates to pending rows are
conditional on them still being pending, so a sync racing a sender cannot un-send or
double-send anything.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from preceptor.accounts.models import User
from preceptor.accounts.services import time_zone_name
from preceptor.notify import scheduling
from preceptor.notify.models import FeedEvent, Preferences, Reminder
from preceptor.notify.sources import KIND_LABELS, Item, collect

logger = logging.getLogger(__name__)

# Items further in the past than this are history, not reminders (a first sync of an old
# account must not send a pile of stale nudges).
LOOKBACK_DAYS = 14
# Writer reminders are only worth sending close to their day.
WRITER_LOOKBACK_DAYS = 3


@dataclass
class SyncResult:
    created: int = 0
    rescheduled: int = 0
    cancelled: int = 0
    events_changed: int = 0


def get_preferences(user: User) -> Preferences:
    prefs, _ = Preferences.objects.get_or_create(user=user)
    return prefs


def _fields_for(
    item: Item, user: User, prefs: Preferences, tz: str, now: datetime
) -> dict[str, Any]:
    send_at = scheduling.same_day_send_at(item.on, prefs.digest_hour, tz, now)
    context = {
        "title": item.title,
        "detail": item.detail,
        "url": item.url,
        "on": item.on.isoformat(),
        "label": KIND_LABELS.get(item.kind, item.kind),
    }
    if item.writer_email:
        context["request"] = item.writer_request
        return {
            "kind": item.kind,
            "audience": Reminder.Audience.WRITER,
            "channel": Reminder.Channel.EMAIL,
            "recipient": item.writer_email,
            "send_at": send_at,
            "due_on": item.on,
            "urgent": False,
            "context": context,
        }
    email_it = prefs.emails_applicant and (
        prefs.delivery == Preferences.Delivery.IMMEDIATE or item.urgent
    )
    return {
        "kind": item.kind,
        "audience": Reminder.Audience.APPLICANT,
        "channel": Reminder.Channel.EMAIL if email_it else Reminder.Channel.INAPP,
        "recipient": user.email,
        "send_at": send_at,
        "due_on": item.on,
        "urgent": item.urgent,
        "context": context,
    }


def desired_reminders(
    user: User, items: list[Item], prefs: Preferences, now: datetime, *, tz: str | None = None
) -> dict[str, dict[str, Any]]:
    tz = tz or time_zone_name(user)
    today = scheduling.local_today(now, tz)
    wanted: dict[str, dict[str, Any]] = {}
    for item in items:
        if not item.remind:
            continue
        lookback = WRITER_LOOKBACK_DAYS if item.writer_email else LOOKBACK_DAYS
        if item.on < today - timedelta(days=lookback):
            continue
        wanted[item.key] = _fields_for(item, user, prefs, tz, now)
    if prefs.emails_applicant and prefs.delivery == Preferences.Delivery.DIGEST:
        at = scheduling.next_digest_at(now, prefs.digest_weekday, prefs.digest_hour, tz)
        local_day = at.astimezone(scheduling.zone(tz)).date()
        wanted[f"digest:{local_day.isoformat()}"] = {
            "kind": "digest",
            "audience": Reminder.Audience.APPLICANT,
            "channel": Reminder.Channel.EMAIL,
            "recipient": user.email,
            "send_at": at,
            "due_on": local_day,
            "urgent": False,
            "context": {"title": "Your week ahead", "on": local_day.isoformat()},
        }
    return wanted


def _differs(row: Reminder, fields: dict[str, Any]) -> bool:
    return any(getattr(row, name) != value for name, value in fields.items())


def _reconcile_reminders(
    user: User,
    wanted: dict[str, dict[str, Any]],
    now: datetime,
    result: SyncResult,
    *,
    dry: bool = False,
) -> None:
    """Bring the reminder rows in line with ``wanted``; with ``dry``, only count in
    ``result`` what would change (for :func:`refresh_user`)."""
    existing = {r.key: r for r in Reminder.objects.filter(user=user)}
    pending = Reminder.Status.PENDING
    for key, fields in wanted.items():
        row = existing.get(key)
        if row is None:
            if not dry:
                Reminder.objects.create(user=user, key=key, **fields)
            result.created += 1
        elif row.status == pending:
            if fields["send_at"] <= now and row.send_at <= now:
                # Due now either way: keep the row's time, so a re-sync is a no-op.
                fields = {**fields, "send_at": row.send_at}
            if dry:
                result.rescheduled += _differs(row, fields)
            elif _differs(row, fields):
                # Conditional: a sender may have claimed the row since we read it.
                result.rescheduled += Reminder.objects.filter(pk=row.pk, status=pending).update(
                    **fields, updated=now
                )
        elif row.status in (Reminder.Status.CANCELLED, Reminder.Status.FAILED):
            # Wanted again (a cancelled step came back), or a failed one got a new date.
            if row.status == Reminder.Status.CANCELLED or row.send_at != fields["send_at"]:
                if dry:
                    result.rescheduled += 1
                    continue
                result.rescheduled += Reminder.objects.filter(pk=row.pk, status=row.status).update(
                    **fields,
                    status=pending,
                    attempts=0,
                    next_attempt_at=None,
                    last_error="",
                    updated=now,
                )
        elif (
            row.status == Reminder.Status.SENT
            and row.due_on != fields["due_on"]
            and (row.sent_at is None or fields["send_at"] > row.sent_at + timedelta(days=1))
        ):
            # The date moved after the reminder went out (a deadline pushed back by a
            # month): the new date deserves its own reminder.
            if dry:
                result.rescheduled += 1
                continue
            result.rescheduled += Reminder.objects.filter(
                pk=row.pk, status=Reminder.Status.SENT
            ).update(
                **fields,
                status=pending,
                attempts=0,
                next_attempt_at=None,
                last_error="",
                claimed_by="",
                claimed_at=None,
                handed_off_at=None,
                updated=now,
            )
    obsolete = [r.pk for key, r in existing.items() if key not in wanted and r.status == pending]
    if obsolete and dry:
        result.cancelled += len(obsolete)
    elif obsolete:
        result.cancelled += Reminder.objects.filter(pk__in=obsolete, status=pending).update(
            status=Reminder.Status.CANCELLED, updated=now
        )


def _fingerprint(item: Item) -> str:
    raw = json.dumps([item.on.isoformat(), item.title, item.detail, item.url, item.kind])
    return hashlib.sha256(raw.encode()).hexdigest()


def _reconcile_events(
    user: User, items: list[Item], result: SyncResult, *, dry: bool = False
) -> None:
    wanted = {item.key: item for item in items if item.calendar}
    existing = {e.uid: e for e in FeedEvent.objects.filter(user=user)}
    for key, item in wanted.items():
        fp = _fingerprint(item)
        event = existing.get(key)
        values = {
            "kind": item.kind,
            "on": item.on,
            "summary": item.title[:300],
            "description": item.detail,
            "url": item.url,
            "group": item.group,
            "fingerprint": fp,
        }
        if event is None:
            if not dry:
                FeedEvent.objects.create(user=user, uid=key, **values)
            result.events_changed += 1
        elif dry:
            result.events_changed += event.fingerprint != fp or event.group != item.group
        elif event.fingerprint != fp or event.group != item.group:
            for name, value in values.items():
                setattr(event, name, value)
            event.sequence += 1
            event.save()
            result.events_changed += 1
    gone = [e.pk for uid, e in existing.items() if uid not in wanted]
    if gone and dry:
        result.events_changed += len(gone)
    elif gone:
        FeedEvent.objects.filter(pk__in=gone).delete()
        result.events_changed += len(gone)


def _reconcile(user: User, now: datetime, result: SyncResult, *, dry: bool) -> date:
    """What :func:`sync_user` and :func:`refresh_user` share: compute what the reminders
    and events should be and reconcile the rows with it (with ``dry``, only count in
    ``result`` what would change). Returns the user's local today."""
    prefs = get_preferences(user)
    tz = time_zone_name(user)
    today = scheduling.local_today(now, tz)
    items = collect(user, today)
    wanted = desired_reminders(user, items, prefs, now, tz=tz)
    _reconcile_reminders(user, wanted, now, result, dry=dry)
    _reconcile_events(user, items, result, dry=dry)
    return today


# --- "in step" marker -------------------------------------------------------------------
#
# The calendar and the feed used to compare every reminder and event with its sources on
# each visit (half the calendar's time), although saves resync already (signals.py). A
# sync or a clean comparison now leaves a marker in the shared cache: the user's local
# today. A visit that finds today's marker skips the comparison. The marker goes
#   - when anything that dates a reminder is saved or deleted (signals._resync forgets it
#     at the save and again at the commit, before its sync);
#   - at the user's midnight (a new day moves items and lookbacks: the value no longer
#     matches);
#   - after IN_STEP_SECONDS, so a change that bypassed the signals (a queryset update, a
#     service rule edited in the admin, the next weekly digest coming due) is caught
#     within minutes, as the daily ``sync_reminders`` catches it at the latest.
# Races: before comparing or syncing, the visit writes a "checking" token of its own, and
# turns it into the marker only if the token is still there afterwards. A save that
# forgets the marker in between (its data may be newer than what was compared) removes
# the token, so no marker is left; a sync that fails leaves the token, which is no marker.
# Marks are only made outside a transaction: inside one, the data compared may still be
# rolled back.

IN_STEP_SECONDS = 300


def _in_step_key(user_id: int) -> str:
    return f"notify:in-step:{user_id}"


def forget_in_step(user_id: int) -> None:
    """Something that dates the user's reminders changed: the next visit compares again."""
    try:
        cache.delete(_in_step_key(user_id))
    except Exception:
        # The marker expires on its own within IN_STEP_SECONDS; a save must not fail here.
        logger.exception("could not forget the in-step marker of user %s", user_id)


def _in_step(user_id: int, today: date) -> bool:
    try:
        return bool(cache.get(_in_step_key(user_id)) == today.isoformat())
    except Exception:
        logger.exception("could not read the in-step marker of user %s", user_id)
        return False


def _claim(user_id: int) -> str | None:
    """Write a fresh "checking" token (None inside a transaction: nothing will be marked)."""
    if transaction.get_connection().in_atomic_block:
        return None
    token = f"checking:{secrets.token_hex(8)}"
    try:
        cache.set(_in_step_key(user_id), token, IN_STEP_SECONDS)
    except Exception:
        logger.exception("could not claim the in-step marker of user %s", user_id)
        return None
    return token


def _mark(user_id: int, token: str | None, today: date) -> None:
    """Turn the token into today's marker, unless a change forgot it meanwhile."""
    if token is None:
        return
    key = _in_step_key(user_id)
    try:
        if cache.get(key) == token:
            cache.set(key, today.isoformat(), IN_STEP_SECONDS)
    except Exception:
        logger.exception("could not mark user %s in step", user_id)


def sync_user(user: User, now: datetime | None = None) -> SyncResult:
    """Bring the user's reminders and calendar events in line with their data."""
    now = now or timezone.now()
    result = SyncResult()
    token = _claim(user.pk)
    with transaction.atomic():
        today = _reconcile(user, now, result, dry=False)
    _mark(user.pk, token, today)
    return result


def refresh_user(user: User, now: datetime | None = None) -> SyncResult:
    """:func:`sync_user` for the pages that show reminders and events: nothing when the
    user is marked in step for today; else compare first, without a transaction, and
    sync only when something is out of step.

    Nearly every visit finds the marker or nothing to do (saves sync already); comparing
    needs only reads, so the visit neither takes SQLite's write lock nor waits for one.
    Returns what the sync changed (nothing when nothing was out of step).
    """
    now = now or timezone.now()
    if _in_step(user.pk, scheduling.local_today(now, time_zone_name(user))):
        return SyncResult()
    token = _claim(user.pk)
    check = SyncResult()
    today = _reconcile(user, now, check, dry=True)
    if check == SyncResult():
        _mark(user.pk, token, today)
        return check
    return sync_user(user, now)


def items_between(user: User, start: date, end: date) -> list[Item]:
    """The user's items dated ``start`` to ``end`` inclusive (for digests and pages)."""
    return [i for i in collect(user, start) if start <= i.on <= end]
