"""The dates a person can mean: steps and contacts from 1950 on, plans up to 2100 (pure).

A date input accepts 0001-01-01 as readily as yesterday, and a contact on it reads
"Knows you 24308 months". Every date a user types passes through :func:`problem`.

>>> problem(dt.date(1, 1, 1), "The date")
'The date (January 1, 0001) is out of range: use a date between 1950 and 2100.'
>>> problem(dt.date(2026, 12, 6), "The date")
''
"""

from __future__ import annotations

import datetime as dt

__all__ = ["EARLIEST", "LATEST", "problem"]

EARLIEST = dt.date(1950, 1, 1)
LATEST = dt.date(2100, 12, 31)


def problem(value: dt.date | None, what: str) -> str:
    """Why ``value`` cannot be a date in anyone's letters or mentorship ("" when it can)."""
    if value is None or EARLIEST <= value <= LATEST:
        return ""
    return (
        f"{what} ({value:%B} {value.day}, {value.year:04d}) is out of range: use a date "
        f"between {EARLIEST.year} and {LATEST.year}."
    )
