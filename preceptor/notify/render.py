"""Turning a claimed reminder row into an email message (or deciding it is moot)."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from preceptor.accounts.services import time_zone_name
from preceptor.lib import emails
from preceptor.notify import scheduling
from preceptor.notify.models import Reminder, WriterOptOut
from preceptor.notify.sources import DONE, KIND_LABELS
from preceptor.notify.tokens import UnsubscribeTarget, unsubscribe_url

logger = logging.getLogger(__name__)


class Moot(Exception):
    """The reminder no longer applies (letter submitted, writer opted out...)."""


def absolute(url: str) -> str:
    if not url or url.startswith("http"):
        return url
    return settings.SITE_URL + url


def _applicant_name(row: Reminder) -> str:
    profile = getattr(row.user, "profile", None)
    return (profile.full_name if profile else "") or row.user.email


def _headers(row: Reminder, unsubscribe: str) -> dict[str, str]:
    domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return {
        # One Message-ID per row: a receiving system can spot the rare SMTP-level retry.
        "Message-ID": f"<reminder-{row.public_id}@{domain or 'preceptor'}>",
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "X-Preceptor-Reminder": row.kind,
    }


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def _digest_context(row: Reminder) -> dict[str, Any]:
    from preceptor.notify.sync import items_between

    tz = time_zone_name(row.user)
    start = scheduling.local_today(row.send_at, tz)
    items = items_between(row.user, start - timedelta(days=7), start + timedelta(days=7))
    items = [i for i in items if not i.writer_email]
    past = [i for i in items if i.on < start]
    coming = [i for i in items if i.on >= start]
    return {
        "week_of": start,
        "past": [_item_ctx(i) for i in past if i.remind],
        "coming": [_item_ctx(i) for i in coming],
        "calendar_url": absolute(reverse("notify:calendar")),
    }


def _item_ctx(item: Any) -> dict[str, Any]:
    return {
        "title": item.title,
        "detail": item.detail,
        "on": item.on,
        "label": KIND_LABELS.get(item.kind, item.kind),
        "url": absolute(item.url),
        "urgent": item.urgent,
    }


def _writer_context(row: Reminder) -> dict[str, Any]:
    if WriterOptOut.objects.filter(email__iexact=row.recipient).exists():
        raise Moot("the writer unsubscribed")
    ctx: dict[str, Any] = {"writer_link": ""}
    from preceptor.notify.sources import installed

    if not installed("letters"):
        return ctx
    try:
        from preceptor.letters.models import LetterRequest
    except ImportError:
        return ctx
    req = (
        LetterRequest.objects.select_related("application", "mentor")
        .filter(public_id=row.context.get("request"), application__user=row.user)
        .first()
    )
    if req is None or req.status in DONE or not getattr(req, "writer_reminders", False):
        raise Moot("the letter is in, or the applicant turned writer reminders off")
    from preceptor.letters import mentorlink

    ctx["writer_name"] = mentorlink.salutation_for(req.mentor)
    ctx["deadline"] = req.personal_deadline
    ctx["service"] = req.application.display_title
    try:
        from preceptor.writers.services import issue_link

        ctx["writer_link"] = issue_link(req)
    except ImportError:
        pass
    return ctx


def build_message(row: Reminder) -> EmailMultiAlternatives:
    """The email for a claimed row; raises :class:`Moot` when it should not be sent."""
    if row.audience == Reminder.Audience.WRITER:
        unsubscribe = unsubscribe_url(UnsubscribeTarget(writer=row.recipient.lower()))
        name = "notify-writer-reminder"
        extra = _writer_context(row)
    else:
        profile = getattr(row.user, "profile", None)
        target = UnsubscribeTarget(applicant=str(profile.public_id) if profile else "")
        unsubscribe = unsubscribe_url(target)
        if row.kind == "digest":
            name = "notify-digest"
            extra = _digest_context(row)
        else:
            name = "notify-reminder"
            extra = {}
    ctx = {
        **row.context,
        **extra,
        "on": _date(row.context.get("on")),
        "url": absolute(row.context.get("url", "")),
        "applicant_name": _applicant_name(row),
        "unsubscribe_url": unsubscribe,
        "settings_url": absolute(reverse("notify:settings")),
        "urgent": row.urgent,
    }
    subject, text, html = emails.render(name, ctx)
    return emails.build(subject, text, html, row.recipient, headers=_headers(row, unsubscribe))
