"""Demo data: reminder preferences, interviews, a few notifications, and the schedule."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from preceptor.accounts.models import User
from preceptor.accounts.services import time_zone_name
from preceptor.notify import scheduling, services
from preceptor.notify.sync import sync_user


def seed(user: User) -> None:
    today = scheduling.local_today(timezone.now(), time_zone_name(user))
    services.update_preferences(user, delivery="digest", digest_weekday=0, digest_hour=8)
    services.add_interview(
        user,
        program="Lakeside University Internal Medicine",
        on=today + timedelta(days=19),
        location="Chicago, IL",
        notes="Pre-interview dinner the evening before.",
    )
    services.add_interview(
        user,
        program="Harbor County Medical Center",
        on=today + timedelta(days=33),
        location="virtual",
    )
    services.notify(
        user.pk,
        "welcome",
        "Reminders are on: a digest every Monday at 08:00, urgent items the same day.",
        "Change the day, the hour or pause them in your reminder settings.",
        url="/notifications/settings/",
    )
    sync_user(user)
