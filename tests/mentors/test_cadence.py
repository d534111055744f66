"""The cadence rules, without a database."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from preceptor.mentors.cadence import STATES, CadenceFacts, assess, default_intervals

TODAY = dt.date(2026, 3, 1)


def facts(**kw: object) -> CadenceFacts:
    base: dict[str, object] = {"status": "active", "last_contact": None, "added_on": TODAY}
    base.update(kw)
    return CadenceFacts(**base)  # type: ignore[arg-type]


def test_a_main_mentor_is_due_after_four_weeks_and_overdue_after_eight() -> None:
    last = TODAY - dt.timedelta(days=10)
    c = assess(facts(last_contact=last), TODAY)
    assert c is not None
    assert (c.due_on, c.overdue_on) == (last + dt.timedelta(28), last + dt.timedelta(56))
    assert c.state == "ok"
    assert assess(facts(last_contact=last), last + dt.timedelta(days=28)).state == "due_soon"  # type: ignore[union-attr]
    assert assess(facts(last_contact=last), last + dt.timedelta(days=56)).state == "overdue"  # type: ignore[union-attr]


def test_due_soon_starts_a_week_before_the_ideal_date() -> None:
    last = TODAY - dt.timedelta(days=20)
    assert assess(facts(last_contact=last), TODAY).state == "ok"  # type: ignore[union-attr]
    assert assess(facts(last_contact=last), TODAY + dt.timedelta(1)).state == "due_soon"  # type: ignore[union-attr]


def test_working_together_means_about_weekly() -> None:
    c = assess(facts(last_contact=TODAY - dt.timedelta(days=15), working_together=True), TODAY)
    assert c is not None and c.state == "overdue" and c.ideal_days == 7 and c.max_days == 14


def test_a_prospect_is_counted_from_when_they_were_added() -> None:
    c = assess(facts(status="prospect", added_on=TODAY - dt.timedelta(days=30)), TODAY)
    assert c is not None and c.state == "overdue" and c.last_contact is None


def test_former_mentors_are_not_tracked() -> None:
    assert assess(facts(status="former"), TODAY) is None
    assert default_intervals("former", working_together=True) is None


def test_custom_intervals_win_and_the_maximum_is_never_below_the_ideal() -> None:
    c = assess(facts(last_contact=TODAY, ideal_days=60, max_days=None), TODAY)
    assert c is not None and (c.ideal_days, c.max_days) == (60, 60)
    c = assess(facts(last_contact=TODAY, ideal_days=10, max_days=20), TODAY)
    assert c is not None and (c.ideal_days, c.max_days) == (10, 20)


def test_a_snooze_hides_the_state_until_it_ends() -> None:
    old = TODAY - dt.timedelta(days=200)
    c = assess(facts(last_contact=old, snoozed_until=TODAY), TODAY)
    assert c is not None and c.state == "snoozed"
    c = assess(facts(last_contact=old, snoozed_until=TODAY - dt.timedelta(1)), TODAY)
    assert c is not None and c.state == "overdue" and c.snoozed_until is None


dates = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 1, 1))
statuses = st.sampled_from(["prospect", "active", "dormant"])
intervals = st.one_of(st.none(), st.integers(1, 730))


@given(
    status=statuses,
    last=st.one_of(st.none(), dates),
    added=dates,
    new=dates,
    today=dates,
    working=st.booleans(),
    ideal=intervals,
    maximum=intervals,
    snooze=st.one_of(st.none(), dates),
)
def test_a_new_interaction_never_makes_a_mentor_more_overdue(
    status: str,
    last: dt.date | None,
    added: dt.date,
    new: dt.date,
    today: dt.date,
    working: bool,
    ideal: int | None,
    maximum: int | None,
    snooze: dt.date | None,
) -> None:
    # Logging an interaction moves the last contact to the later of the two dates.
    before = facts(
        status=status,
        last_contact=last,
        added_on=added,
        working_together=working,
        ideal_days=ideal,
        max_days=maximum,
        snoozed_until=snooze,
    )
    after_last = max(d for d in (last, new) if d is not None)
    after = facts(
        status=status,
        last_contact=after_last,
        added_on=added,
        working_together=working,
        ideal_days=ideal,
        max_days=maximum,
        snoozed_until=snooze,
    )
    b, a = assess(before, today), assess(after, today)
    assert a is not None and b is not None
    if last is not None:
        assert a.due_on >= b.due_on and a.overdue_on >= b.overdue_on
        assert a.rank >= b.rank or b.state == "snoozed" or a.state == "snoozed"
    assert a.state in STATES


@given(last=dates, today=dates, ideal=intervals, maximum=intervals)
def test_states_follow_the_dates(
    last: dt.date, today: dt.date, ideal: int | None, maximum: int | None
) -> None:
    c = assess(facts(last_contact=last, ideal_days=ideal, max_days=maximum), today)
    assert c is not None
    assert c.due_on <= c.overdue_on
    assert (c.state == "overdue") == (today >= c.overdue_on)
    if c.state == "ok":
        assert today < c.due_on
