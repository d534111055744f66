"""When things are sent: wall-clock times in the user's zone, daylight saving, backoff.

Plain functions on plain values (no ORM). Every moment is computed as a *local* wall-clock
time first and converted to UTC last, so that "Monday 08:00 in New York" stays 08:00 on
both sides of a daylight-saving change.

Examples
--------
>>> from datetime import date, datetime, UTC
>>> local_moment(date(2026, 3, 9), 8, "America/New_York").astimezone(UTC).hour  # EDT
12
>>> local_moment(date(2026, 3, 2), 8, "America/New_York").astimezone(UTC).hour  # EST
13
>>> backoff_seconds(1), backoff_seconds(2), backoff_seconds(30)
(60, 120, 21600)
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, time, timedelta

__all__ = [
    "MAX_BACKOFF_SECONDS",
    "backoff_seconds",
    "local_moment",
    "local_today",
    "next_digest_at",
    "same_day_send_at",
]

BASE_BACKOFF_SECONDS = 60
MAX_BACKOFF_SECONDS = 6 * 3600


def zone(name: str) -> zoneinfo.ZoneInfo:
    """The named zone, or UTC for a name that is not one (stored data is validated;
    this keeps a bad row from stopping the sender)."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def local_moment(day: date, hour: int, tz_name: str) -> datetime:
    """``hour``:00 on ``day`` in the zone, as an aware datetime.

    A wall-clock time that does not exist (skipped by a spring-forward change) moves to
    the first valid moment after it; an ambiguous one (autumn) takes the first occurrence.
    """
    if not 0 <= hour <= 23:
        raise ValueError(f"hour must be between 0 and 23, not {hour}")
    tz = zone(tz_name)
    naive = datetime.combine(day, time(hour))
    aware = naive.replace(tzinfo=tz, fold=0)
    # Round-trip through UTC: a non-existent local time does not survive it unchanged.
    roundtrip = aware.astimezone(UTC).astimezone(tz)
    if roundtrip.replace(tzinfo=None) != naive:
        # Skipped hour: fold=0 reads it with the offset from before the change, which
        # lands the same distance past the gap (02:00 → 03:00 on a spring-forward night).
        aware = roundtrip
    return aware


def local_today(now: datetime, tz_name: str) -> date:
    """The calendar date it is now in the zone."""
    return now.astimezone(zone(tz_name)).date()


def next_digest_at(now: datetime, weekday: int, hour: int, tz_name: str) -> datetime:
    """The first digest moment (``weekday`` at ``hour`` local time) strictly after ``now``.

    >>> from datetime import datetime, UTC
    >>> # Sunday 1 November 2026, the day New York falls back; Monday 08:00 EST = 13:00 UTC.
    >>> next_digest_at(datetime(2026, 11, 1, 12, tzinfo=UTC), 0, 8, "America/New_York")
    datetime.datetime(2026, 11, 2, 8, 0, tzinfo=zoneinfo.ZoneInfo(key='America/New_York'))
    """
    if not 0 <= weekday <= 6:
        raise ValueError(f"weekday must be between 0 (Monday) and 6 (Sunday), not {weekday}")
    today = local_today(now, tz_name)
    # Today and the next seven days hold the weekday twice when it is today: if today's
    # slot has passed, next week's is the answer.
    for offset in range(8):
        day = today + timedelta(days=offset)
        if day.weekday() == weekday:
            moment = local_moment(day, hour, tz_name)
            if moment > now:
                return moment
    raise AssertionError("unreachable: a weekday recurs within eight days")


def same_day_send_at(day: date, hour: int, tz_name: str, now: datetime) -> datetime:
    """When to email an item that falls on ``day``: at ``hour`` that day, local time; an
    item whose moment has already passed today or earlier goes out now."""
    moment = local_moment(day, hour, tz_name)
    return now if moment <= now else moment


def backoff_seconds(attempts: int) -> int:
    """Delay before retry number ``attempts`` (1-based): 1, 2, 4, 8... minutes, at most 6 h."""
    if attempts < 1:
        return 0
    return int(min(BASE_BACKOFF_SECONDS * 2 ** min(attempts - 1, 20), MAX_BACKOFF_SECONDS))
