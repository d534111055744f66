"""Making reminder rows directly, for engine tests that need many or odd ones."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from preceptor.accounts.models import User
from preceptor.notify.models import Reminder


def make_reminders(
    user: User, n: int, *, send_at: datetime | None = None, prefix: str = "test", **fields: Any
) -> list[Reminder]:
    at = send_at or timezone.now() - timedelta(minutes=1)
    rows = [
        Reminder(
            user=user,
            kind=fields.get("kind", "ask_by"),
            key=f"{prefix}:{user.pk}:{i}:{fields.get('kind', 'ask_by')}",
            recipient=fields.get("recipient", user.email),
            send_at=at,
            channel=fields.get("channel", Reminder.Channel.EMAIL),
            audience=fields.get("audience", Reminder.Audience.APPLICANT),
            context={
                "title": f"Ask Dr Number{i} for a letter",
                "detail": "Six weeks ahead.",
                "url": "/calendar/",
                "on": at.date().isoformat(),
                "label": "Ask by",
            },
        )
        for i in range(n)
    ]
    return Reminder.objects.bulk_create(rows)
