"""The calendar feed as RFC 5545 text (built with ``icalendar``).

Every date is an all-day event (``DTSTART;VALUE=DATE``, ``DTEND`` the next day: deadlines
are dates, not moments). UIDs are the items' stable keys, so a calendar app updates an
event in place when its date moves; ``SEQUENCE`` grows with every change (kept in
:class:`~preceptor.notify.models.FeedEvent`) and ``LAST-MODIFIED`` says when.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Alarm, Calendar, Event

from preceptor.notify.models import FeedEvent

PRODID = "-//Preceptor//Reminders and deadlines//EN"


def _domain() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "preceptor"


def build_calendar(events: Iterable[FeedEvent], *, name: str, alarms: bool = False) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    # Ask subscribing apps to refresh a few times a day.
    cal.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT6H")
    stamp = timezone.now()
    domain = _domain()
    for e in events:
        event = Event()
        event.add("uid", f"{e.uid}@{domain}")
        event.add("dtstamp", stamp)
        event.add("last-modified", e.updated)
        event.add("sequence", e.sequence)
        event.add("dtstart", e.on)
        event.add("dtend", e.on + timedelta(days=1))
        event.add("summary", e.summary)
        if e.description:
            event.add("description", e.description)
        if e.url:
            event.add("url", e.url if e.url.startswith("http") else settings.SITE_URL + e.url)
        event.add("transp", "TRANSPARENT")
        event.add("categories", [e.kind.replace("_", " ")])
        if alarms:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", e.summary)
            # 09:00 the day before an all-day event (which starts at 00:00).
            alarm.add("trigger", timedelta(hours=-15))
            event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()
