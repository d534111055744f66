"""Every change the notify app makes, as functions (views, API and commands call these)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from preceptor.accounts.models import Profile, User
from preceptor.notify.models import (
    CalendarFeed,
    Interview,
    Notification,
    Preferences,
    WriterOptOut,
)
from preceptor.notify.sync import get_preferences, sync_user
from preceptor.notify.tokens import UnsubscribeTarget, hash_feed_token, new_feed_token

PREFERENCE_FIELDS = ("delivery", "digest_weekday", "digest_hour", "paused", "feed_alarms")


@transaction.atomic
def update_preferences(user: User, **fields: Any) -> Preferences:
    """Change delivery preferences; an invalid value raises ValidationError, saving nothing."""
    prefs = get_preferences(user)
    changed = []
    for name, value in fields.items():
        if name not in PREFERENCE_FIELDS:
            raise ValueError(f"{name} is not a preference")
        if getattr(prefs, name) != value:
            setattr(prefs, name, value)
            changed.append(name)
    if changed:
        prefs.full_clean()
        prefs.save(update_fields=[*changed, "updated"])
    sync_user(user)
    return prefs


@transaction.atomic
def resubscribe(user: User) -> Preferences:
    prefs = get_preferences(user)
    if prefs.unsubscribed:
        prefs.unsubscribed = False
        prefs.save(update_fields=["unsubscribed", "updated"])
        sync_user(user)
    return prefs


@transaction.atomic
def unsubscribe(target: UnsubscribeTarget) -> str:
    """Act on a verified unsubscribe token; returns who was unsubscribed (for the page).
    A token naming an account that no longer exists raises Http404."""
    if target.writer:
        WriterOptOut.objects.get_or_create(email=target.writer.lower())
        return target.writer
    profile = (
        Profile.objects.select_related("user").filter(public_id=target.applicant or "").first()
    )
    if profile is None:
        raise Http404("No such account")
    prefs = get_preferences(profile.user)
    if not prefs.unsubscribed:
        prefs.unsubscribed = True
        prefs.save(update_fields=["unsubscribed", "updated"])
    sync_user(profile.user)
    return profile.user.email


# --- notifications --------------------------------------------------------------------


def notify(user_id: int, kind: str, title: str, body: str = "", url: str = "") -> Notification:
    return Notification.objects.create(
        user_id=user_id, kind=kind, title=title[:300], body=body, url=url
    )


def _request_url(request: Any) -> str:
    try:
        return reverse("letters:request", kwargs={"req_id": request.public_id})
    except NoReverseMatch:
        return ""


def notify_transition(user_id: int, request: Any, from_status: Any, to_status: Any) -> None:
    """An in-app note for the moves worth knowing about (mostly the writer's own)."""
    name = getattr(getattr(request, "mentor", None), "full_name", "") or "Your writer"
    messages = {
        "agreed": f"{name} agreed to write your letter. Send the packet within 48 hours.",
        "hesitant": f"{name} said yes, hesitantly. Clarify the timeline; line up a backup.",
        "declined": f"{name} declined. Thank them warmly and ask someone else.",
        "submitted": f"{name}'s letter is in. Say thank you.",
    }
    title = messages.get(str(to_status))
    if title:
        notify(user_id, f"letter_{to_status}", title, url=_request_url(request))


_BEFORE_THE_LETTER = ("ask_by", "letter_agreed", "letter_hesitant", "follow_up")

# The notifications a move answers: once you have thanked the writer, "Say thank you" is no
# longer new. Keys are the status moved to; values are notification kinds.
SETTLED_BY: dict[str, frozenset[str]] = {
    "asked": frozenset({"ask_by"}),
    "agreed": frozenset({"ask_by"}),
    "hesitant": frozenset({"ask_by"}),
    "packet_sent": frozenset({"letter_agreed", "letter_hesitant", "follow_up"}),
    "form_sent": frozenset({"letter_agreed", "letter_hesitant", "follow_up"}),
    # A letter that is in has answered "send the packet" and "clarify the timeline" too,
    # even when the writer went straight from yes to submitting.
    "submitted": frozenset({"remind_writer", *_BEFORE_THE_LETTER}),
    "thanked": frozenset(
        {"letter_submitted", "letter_received", "thank_you", "remind_writer", *_BEFORE_THE_LETTER}
    ),
    "outcome_shared": frozenset({"outcome_update"}),
}


def settle_notifications(user_id: int, request: Any, to_status: Any) -> int:
    """Mark read the unread notifications about ``request`` that its move to ``to_status``
    has answered; returns how many."""
    kinds = SETTLED_BY.get(str(to_status))
    url = _request_url(request)
    if not kinds or not url:
        return 0
    return Notification.objects.filter(
        user_id=user_id, url=url, kind__in=kinds, read_at__isnull=True
    ).update(read_at=timezone.now())


def notify_letter_received(user_id: int, request: Any) -> None:
    name = getattr(getattr(request, "mentor", None), "full_name", "") or "Your writer"
    notify(
        user_id,
        "letter_received",
        f"{name}'s letter arrived in your confidential vault.",
        "You cannot read it; you can deliver it. Reminders to them have stopped.",
        url=_request_url(request),
    )


def get_notification_for_user(user: User, public_id: Any) -> Notification:
    try:
        return Notification.objects.get(user=user, public_id=public_id)
    except (Notification.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such notification") from None


def mark_read(user: User, notification: Notification) -> None:
    if notification.user_id != user.pk:
        raise Http404("No such notification")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])


def mark_all_read(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


# --- the calendar feed ----------------------------------------------------------------


@transaction.atomic
def rotate_feed_token(user: User) -> str:
    """A new secret feed URL token (shown once); the previous URL stops working."""
    token = new_feed_token()
    CalendarFeed.objects.update_or_create(
        user=user, defaults={"token_hash": hash_feed_token(token)}
    )
    return token


def user_for_feed_token(token: str) -> User:
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=hash_feed_token(token))
        .first()
    )
    if feed is None:
        raise Http404("No such calendar")
    CalendarFeed.objects.filter(pk=feed.pk).update(last_fetched=timezone.now())
    return feed.user


# --- interviews -----------------------------------------------------------------------


def get_interview_for_user(user: User, public_id: Any) -> Interview:
    try:
        return Interview.objects.get(user=user, public_id=public_id)
    except (Interview.DoesNotExist, ValidationError, ValueError):
        raise Http404("No such interview") from None


@transaction.atomic
def add_interview(
    user: User, *, program: str, on: date, location: str = "", notes: str = ""
) -> Interview:
    interview = Interview(
        user=user, program=program.strip(), on=on, location=location.strip(), notes=notes
    )
    interview.full_clean()
    interview.save()
    sync_user(user)
    return interview


@transaction.atomic
def delete_interview(user: User, interview: Interview) -> None:
    if interview.user_id != user.pk:
        raise Http404("No such interview")
    interview.delete()
    sync_user(user)
