"""The database rate counter: fixed windows, shared by every process that uses the database."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from preceptor.writers import ratelimit
from preceptor.writers.models import RateCounter

NOON = dt.datetime(2026, 11, 22, 12, 0, 5, tzinfo=dt.UTC)


def test_hits_are_counted_up_to_the_limit(db: None, settings: Any) -> None:
    settings.WRITERS_RATE_LIMITS = {"ip": (3, 60)}
    results = [ratelimit.hit("ip", "10.0.0.1", now=NOON) for _ in range(5)]
    assert results == [True, True, True, False, False]
    assert ratelimit.peek("ip", "10.0.0.1", now=NOON) == 5
    assert ratelimit.hit("ip", "10.0.0.2", now=NOON)  # another key has its own count


def test_a_new_window_starts_from_zero(db: None, settings: Any) -> None:
    settings.WRITERS_RATE_LIMITS = {"ip": (1, 60)}
    assert ratelimit.hit("ip", "a", now=NOON)
    assert not ratelimit.hit("ip", "a", now=NOON + dt.timedelta(seconds=30))
    assert ratelimit.hit("ip", "a", now=NOON + dt.timedelta(seconds=60))


def test_keys_are_stored_hashed(db: None) -> None:
    ratelimit.hit("token", "some-token-hash", now=timezone.now())
    (row,) = RateCounter.objects.all()
    assert "some-token-hash" not in row.key and len(row.key) == 64
