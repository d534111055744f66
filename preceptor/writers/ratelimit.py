"""Rate limiting for the token routes, counted in the database.

Why the database and not the cache: the project configures no shared cache, and Django's
default (local memory) counts per process, so with several gunicorn workers an attacker
would get N times the limit. The database is already shared by every worker (django-axes
keeps its login counters there for the same reason). The cost is one small write per
request to a token route, which those low-traffic pages can afford.

A fixed window per key: ``count`` is incremented with an UPDATE (atomic in the database),
and the row for a new window is created once, guarded by a unique constraint.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from preceptor.writers.models import RateCounter

# (hits, window in seconds) for each scope; override with settings.WRITERS_RATE_LIMITS.
DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    # Every request to a token route from one client address.
    "ip": (300, 3600),
    # Unknown, expired or revoked tokens from one client address: guessing stops here.
    "ip_bad": (20, 3600),
    # Requests with one token (a writer link or a delivery link).
    "token": (120, 3600),
    # Changes (answers, uploads) with one token.
    "token_post": (30, 3600),
}


def limits(scope: str) -> tuple[int, int]:
    configured = getattr(settings, "WRITERS_RATE_LIMITS", None) or {}
    return configured.get(scope, DEFAULT_LIMITS[scope])


def _window(now: dt.datetime, seconds: int) -> dt.datetime:
    start = int(now.timestamp()) // seconds * seconds
    return dt.datetime.fromtimestamp(start, tz=dt.UTC)


def _key(scope: str, value: str) -> str:
    return hashlib.sha256(f"{scope}:{value}".encode()).hexdigest()


def hit(scope: str, value: str, *, now: dt.datetime | None = None) -> bool:
    """Count one hit; return whether it is within the limit."""
    limit, seconds = limits(scope)
    now = now or timezone.now()
    key, start = _key(scope, value), _window(now, seconds)
    with transaction.atomic():
        rows = RateCounter.objects.filter(key=key, window_start=start)
        if not rows.update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    RateCounter.objects.create(key=key, window_start=start, count=1)
            except IntegrityError:
                rows.update(count=F("count") + 1)
        count = rows.values_list("count", flat=True).get()
    if random.random() < 0.01:
        # Old windows are useless; clear them now and then instead of in a separate job.
        RateCounter.objects.filter(window_start__lt=now - dt.timedelta(days=1)).delete()
    return count <= limit


def peek(scope: str, value: str, *, now: dt.datetime | None = None) -> int:
    """Hits counted so far in the current window (without counting one)."""
    _, seconds = limits(scope)
    now = now or timezone.now()
    row = RateCounter.objects.filter(
        key=_key(scope, value), window_start=_window(now, seconds)
    ).first()
    return row.count if row else 0
