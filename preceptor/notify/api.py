"""Notifications and reminder preferences as JSON (mounted at /api/v1/notify/)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from ninja import Router, Schema

from preceptor.accounts import services as accounts
from preceptor.accounts.models import Profile
from preceptor.api.base import Input, responses, unprocessable
from preceptor.api.fields import Rules
from preceptor.lib.http import AuthenticatedRequest
from preceptor.notify import services
from preceptor.notify.models import FeedEvent, Notification, Preferences
from preceptor.notify.sync import get_preferences

router = Router(tags=["notify"])


class NotificationOut(Schema):
    id: UUID
    kind: str
    title: str
    body: str
    url: str
    created: datetime
    read: bool


class NotificationList(Schema):
    unread: int
    items: list[NotificationOut]


class PreferencesOut(Schema):
    delivery: str
    digest_weekday: int
    digest_hour: int
    time_zone: str
    paused: bool
    unsubscribed: bool
    feed_alarms: bool


class PreferencesPatch(Input):
    """Leave a preference out to keep it; none may be null."""

    delivery: Annotated[str | None, Rules(Preferences, "delivery")] = None
    digest_weekday: Annotated[int | None, Rules(Preferences, "digest_weekday")] = None
    digest_hour: Annotated[int | None, Rules(Preferences, "digest_hour")] = None
    time_zone: Annotated[str | None, Rules(Profile, "time_zone")] = None
    paused: Annotated[bool | None, Rules(Preferences, "paused")] = None
    feed_alarms: Annotated[bool | None, Rules(Preferences, "feed_alarms")] = None


class FeedEventOut(Schema):
    uid: str
    kind: str
    on: date
    summary: str
    url: str
    sequence: int


def _note(n: Notification) -> NotificationOut:
    return NotificationOut(
        id=n.public_id,
        kind=n.kind,
        title=n.title,
        body=n.body,
        url=n.url,
        created=n.created,
        read=n.read_at is not None,
    )


def _prefs(request: AuthenticatedRequest, prefs: Preferences) -> PreferencesOut:
    return PreferencesOut(
        delivery=prefs.delivery,
        digest_weekday=prefs.digest_weekday,
        digest_hour=prefs.digest_hour,
        time_zone=accounts.time_zone_name(request.user),
        paused=prefs.paused,
        unsubscribed=prefs.unsubscribed,
        feed_alarms=prefs.feed_alarms,
    )


@router.get(
    "/notifications",
    response=responses({200: NotificationList}, 422),
    url_name="notify_notifications",
)
def list_notifications(request: AuthenticatedRequest, unread: bool = False) -> NotificationList:
    items = Notification.objects.filter(user=request.user)
    if unread:
        items = items.filter(read_at__isnull=True)
    return NotificationList(
        unread=services.unread_count(request.user), items=[_note(n) for n in items[:200]]
    )


@router.post(
    "/notifications/{notification_id}/read",
    response=responses({200: NotificationOut}, 404, 422, change=True),
    url_name="notify_read",
)
def read_notification(request: AuthenticatedRequest, notification_id: UUID) -> NotificationOut:
    note = services.get_notification_for_user(request.user, notification_id)
    services.mark_read(request.user, note)
    return _note(note)


@router.post(
    "/notifications/read-all",
    response=responses({200: dict[str, int]}, change=True),
    url_name="notify_read_all",
)
def read_all(request: AuthenticatedRequest) -> dict[str, int]:
    return {"marked": services.mark_all_read(request.user)}


@router.get(
    "/preferences", response=responses({200: PreferencesOut}), url_name="notify_preferences"
)
def get_prefs(request: AuthenticatedRequest) -> PreferencesOut:
    return _prefs(request, get_preferences(request.user))


@router.patch(
    "/preferences",
    response=responses({200: PreferencesOut}, 422, change=True),
    url_name="notify_preferences_update",
)
def patch_prefs(request: AuthenticatedRequest, payload: PreferencesPatch) -> PreferencesOut:
    fields = payload.dict(exclude_unset=True)
    tz = fields.pop("time_zone", None)
    try:
        with transaction.atomic():
            if tz is not None:
                accounts.update_profile(request.user, time_zone=tz)
            prefs = services.update_preferences(request.user, **fields)
    except DjangoValidationError as e:
        raise unprocessable(e) from e
    return _prefs(request, prefs)


@router.get("/events", response=responses({200: list[FeedEventOut]}), url_name="notify_events")
def events(request: AuthenticatedRequest) -> list[FeedEventOut]:
    return [
        FeedEventOut(
            uid=e.uid, kind=e.kind, on=e.on, summary=e.summary, url=e.url, sequence=e.sequence
        )
        for e in FeedEvent.objects.filter(user=request.user)
    ]
