"""Rate limits for every route that costs something: counted in the database.

Why the database and not the cache: the database is shared by every web process on every
machine whatever the cache is (a local-memory cache, the development default, counts per
process, so with several gunicorn workers a client would get N times the limit), and
django-axes keeps its login counters there for the same reason. The cost is one small write per
limited request, which these routes (uploads, packet builds, imports, token pages) can
afford.

A fixed window per key: ``count`` is incremented with an UPDATE (atomic in the database),
and the row for a new window is created once, guarded by a unique constraint. Keys are
hashed, so no address, user id or token is stored.

Use :func:`hit` (count one, say whether it is within the limit) and, when it is not,
:func:`refused` for a 429 page or :func:`message` for a form error.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from preceptor.core.models import RateCounter

# (hits, window in seconds) for each scope; override any of them with settings.RATE_LIMITS.
DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    # Token routes (writers' and recipients' links): every request from one address.
    "ip": (300, 3600),
    # Unknown, expired or revoked tokens from one client address: guessing stops here.
    "ip_bad": (20, 3600),
    # Requests with one token (a writer link or a delivery link).
    "token": (120, 3600),
    # Changes (answers, uploads) with one token.
    "token_post": (30, 3600),
    # PDF uploads (documents, letters) by one account or one writer link: each is parsed.
    "upload": (30, 3600),
    # Packet PDFs and ZIPs built for one account or one writer link.
    "packet": (60, 3600),
    # CSV files read by the mentor import for one account.
    "csv_import": (30, 3600),
    # Account exports (every row and document of the account) and imports of one.
    "data_export": (10, 3600),
    "data_import": (10, 3600),
}

# What each scope is called in the sentence a refused person reads.
_WHAT = {
    "upload": "uploads",
    "packet": "packet downloads",
    "csv_import": "imports",
    "data_export": "exports of your data",
    "data_import": "imports of your data",
}


def limits(scope: str) -> tuple[int, int]:
    configured = getattr(settings, "RATE_LIMITS", None) or {}
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


def retry_after(scope: str, *, now: dt.datetime | None = None) -> int:
    """Seconds until the current window of ``scope`` ends."""
    _, seconds = limits(scope)
    now = now or timezone.now()
    ends = _window(now, seconds) + dt.timedelta(seconds=seconds)
    return max(1, int((ends - now).total_seconds()))


def _in_words(seconds: int) -> str:
    minutes = max(1, round(seconds / 60))
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    hours = round(minutes / 60)
    return f"{hours} hour{'s' if hours != 1 else ''}"


def message(scope: str, *, now: dt.datetime | None = None) -> str:
    """ "Too many uploads in a short time (30 an hour). Please try again in 12 minutes." """
    limit, seconds = limits(scope)
    what = _WHAT.get(scope, "requests")
    return (
        f"Too many {what} in a short time (at most {limit} in {_in_words(seconds)}). "
        f"Nothing was changed; please try again in {_in_words(retry_after(scope, now=now))}."
    )


def refused(request: HttpRequest, scope: str) -> HttpResponse:
    """The 429 page for a limited route, with ``Retry-After``."""
    return retry_later(render(request, "too_many.html", {"message": message(scope)}), scope)


def retry_later(response: HttpResponse, scope: str) -> HttpResponse:
    """Make ``response`` (a page with the form and :func:`message` in it) a 429."""
    response.status_code = 429
    response["Retry-After"] = str(retry_after(scope))
    return response


def client_ip(request: HttpRequest) -> str:
    """The client's address as django-axes sees it (so ``PROXY_COUNT`` applies here too)."""
    try:
        from axes.helpers import get_client_ip_address

        return get_client_ip_address(request) or "unknown"
    except Exception:
        return str(request.META.get("REMOTE_ADDR") or "unknown")
