"""How often to be in touch with each mentor, and whether it is time.

Pure rules on plain values (no ORM): the services feed them and tests check them without a
database. The defaults follow DOMAIN.md §2: about weekly with someone you work with
actively, every 4 to 8 weeks with a main mentor.

>>> from datetime import date
>>> c = assess(CadenceFacts(status="active", last_contact=date(2026, 1, 1),
...            added_on=date(2025, 12, 1)), date(2026, 2, 10))
>>> c.state, c.due_on, c.overdue_on
('due_soon', datetime.date(2026, 1, 29), datetime.date(2026, 2, 26))
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = [
    "STATES",
    "Cadence",
    "CadenceFacts",
    "assess",
    "default_intervals",
    "urgency_key",
]

# Most urgent first; the order the dashboard and the list use.
STATES = ("overdue", "due_soon", "ok", "snoozed")

# (ideal, maximum) days between contacts.
WORKING_TOGETHER = (7, 14)
MAIN_MENTOR = (28, 56)
PROSPECT = (14, 28)  # from when they were added: make first contact while it is fresh
DORMANT = (90, 180)

MAX_SNOOZE_DAYS = 120


@dataclass(frozen=True)
class CadenceFacts:
    status: str  # prospect / active / dormant / former
    last_contact: dt.date | None
    added_on: dt.date
    working_together: bool = False  # an ongoing supervision period
    ideal_days: int | None = None
    max_days: int | None = None
    snoozed_until: dt.date | None = None


@dataclass(frozen=True)
class Cadence:
    state: str
    last_contact: dt.date | None
    due_on: dt.date
    overdue_on: dt.date
    ideal_days: int
    max_days: int
    snoozed_until: dt.date | None = None

    @property
    def rank(self) -> int:
        return STATES.index(self.state)


def default_intervals(status: str, *, working_together: bool) -> tuple[int, int] | None:
    """(ideal, maximum) days for a mentor in this situation; None when we do not track them.

    >>> default_intervals("active", working_together=True)
    (7, 14)
    >>> default_intervals("former", working_together=False) is None
    True
    """
    if status == "former":
        return None
    if working_together:
        return WORKING_TOGETHER
    return {"prospect": PROSPECT, "dormant": DORMANT}.get(status, MAIN_MENTOR)


def _intervals(f: CadenceFacts) -> tuple[int, int] | None:
    default = default_intervals(f.status, working_together=f.working_together)
    if default is None:
        return None
    ideal = f.ideal_days or default[0]
    maximum = f.max_days or max(default[1], ideal)
    return ideal, max(ideal, maximum)


def _soon_window(ideal: int) -> int:
    # A week's notice for a monthly cadence, a few days for a weekly one.
    return max(1, min(7, ideal // 2))


def assess(f: CadenceFacts, today: dt.date) -> Cadence | None:
    """The cadence state of one mentor today, or None if they are not tracked (former)."""
    intervals = _intervals(f)
    if intervals is None:
        return None
    ideal, maximum = intervals
    anchor = f.last_contact or f.added_on
    due_on = anchor + dt.timedelta(days=ideal)
    overdue_on = anchor + dt.timedelta(days=maximum)
    snoozed = f.snoozed_until is not None and f.snoozed_until >= today
    if snoozed:
        state = "snoozed"
    elif today >= overdue_on:
        state = "overdue"
    elif today + dt.timedelta(days=_soon_window(ideal)) >= due_on:
        state = "due_soon"
    else:
        state = "ok"
    return Cadence(
        state=state,
        last_contact=f.last_contact,
        due_on=due_on,
        overdue_on=overdue_on,
        ideal_days=ideal,
        max_days=maximum,
        snoozed_until=f.snoozed_until if snoozed else None,
    )


def urgency_key(c: Cadence) -> tuple[int, dt.date]:
    """Sort key: overdue before due soon before fine, the longest-waiting first."""
    return (c.rank, c.overdue_on if c.state == "overdue" else c.due_on)
