"""Login throttling beside django-axes' per-account one: a limit per client address alone.

Axes locks an account from one address after ``AXES_FAILURE_LIMIT`` failures (keyed on both,
so nobody can lock a user out from elsewhere). On its own that lets one address try a
password on any number of accounts ("password spraying"). This handler adds a second,
higher limit: ``LOGIN_ADDRESS_FAILURE_LIMIT`` failures from one address within the cool-off,
over all accounts, lock that address out of every account until the cool-off passes.

Both counts come from axes' own ``AccessAttempt`` rows, in the database every worker shares.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def address_failures(request: Any) -> int:
    """Failed logins from the request's address within the cool-off, over all accounts."""
    attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
    if get_cool_off(request) is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


class AccountAndAddressHandler(AxesDatabaseHandler):
    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        failures = super().get_failures(request, credentials)
        if address_failures(request) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            # Locked whichever account is tried: report at least the account limit.
            request.preceptor_address_locked = True
            return max(failures, get_failure_limit(request, credentials))
        return failures


def duration_in_words(delta: timedelta | None) -> str:
    """ "15 minutes", "1 hour", "1 hour and 30 minutes" """
    if delta is None:
        return "a while"
    minutes = max(1, round(delta.total_seconds() / 60))
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " and ".join(parts)


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page shown while locked out (``AXES_LOCKOUT_CALLABLE``), status 429."""
    context = {
        "cooloff": duration_in_words(get_cool_off(request)),
        "address_wide": getattr(request, "preceptor_address_locked", False),
    }
    return render(request, "accounts/lockout.html", context, status=429)
