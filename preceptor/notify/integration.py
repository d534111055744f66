"""What notify adds to the shared dashboard, checklist and demo data."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from preceptor.accounts.models import User
from preceptor.core import checklist, dashboard, demo


def _panel(user: User) -> dict[str, Any]:
    from preceptor.accounts.services import time_zone_name
    from preceptor.notify import scheduling, services
    from preceptor.notify.models import FeedEvent

    today = scheduling.local_today(timezone.now(), time_zone_name(user))
    upcoming = list(
        FeedEvent.objects.filter(user=user, on__gte=today, on__lte=today + timedelta(days=14))[:6]
    )
    return {"upcoming": upcoming, "today": today, "unread": services.unread_count(user)}


def register_all() -> None:
    dashboard.register(dashboard.Panel("notify", "notify/_dashboard_panel.html", _panel, order=30))
    checklist.register(
        checklist.Step(
            "calendar_feed",
            "Subscribe to your calendar feed so every date shows in your calendar",
            "notify:settings",
            order=80,
            done_when_any=("notify.CalendarFeed", "user"),
        )
    )
    from preceptor.notify.demo import seed

    demo.register(seed, order=80)
