"""Waiting longer after each failure in a row: for loops that must outlive a database or a
child process that is briefly unavailable, without spinning while it is."""

from __future__ import annotations

import random

from django.db import InterfaceError, OperationalError

# What a process should survive: "database is locked", a lost or refused connection.
TRANSIENT_DB_ERRORS = (OperationalError, InterfaceError)


class Backoff:
    """``next()`` gives ``base``, then twice that, and so on up to ``cap`` seconds (each
    with up to 10% random jitter, so several processes do not retry in step);
    ``reset()`` after a success starts again from ``base``."""

    def __init__(self, base: float = 0.5, cap: float = 30.0) -> None:
        if base <= 0 or cap < base:
            raise ValueError("need 0 < base <= cap")
        self.base = base
        self.cap = cap
        self.failures = 0

    def next(self) -> float:
        delay = min(self.cap, self.base * 2**self.failures)
        self.failures += 1
        return delay * (1 + random.random() / 10)

    def reset(self) -> None:
        self.failures = 0
