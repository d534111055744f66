"""Timeline properties: dates in order, steps where the rules say, warnings exactly when due."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from preceptor.letters import lifecycle
from preceptor.letters.timeline import WriterFacts, match_day, personal_deadline, plan

D = dt.date


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2024, D(2024, 3, 15)),
        (2025, D(2025, 3, 21)),
        (2026, D(2026, 3, 20)),
        (2027, D(2027, 3, 19)),
        (2030, D(2030, 3, 15)),
    ],
)
def test_match_day_is_the_third_friday_of_march(year: int, expected: dt.date) -> None:
    assert match_day(year) == expected


@given(st.integers(1990, 2100))
def test_match_day_is_always_a_friday_from_the_15th_to_the_21st(year: int) -> None:
    day = match_day(year)
    assert day.weekday() == 4 and day.month == 3 and 15 <= day.day <= 21


@pytest.mark.parametrize("days", [6, 15, 0, -3])
def test_personal_deadline_margin_is_7_to_14_days(days: int) -> None:
    with pytest.raises(ValueError, match="7 to 14 days"):
        personal_deadline(D(2027, 9, 1), days)


def test_a_planned_request_gets_the_textbook_dates() -> None:
    p = plan(official_deadline=D(2027, 9, 15), today=D(2027, 6, 1), service="eras", cycle=2028)
    got = {s.key: s.on for s in p.steps}
    assert got == {
        "ask_by_ideal": D(2027, 7, 21),  # 6 weeks before Sep 1
        "ask_by_latest": D(2027, 8, 4),  # 4 weeks before
        "reminder_1": D(2027, 8, 11),  # 3 weeks before
        "reminder_2": D(2027, 8, 25),  # 1 week before
        "personal_deadline": D(2027, 9, 1),  # 14 days before the official deadline
        "official_deadline": D(2027, 9, 15),
        "outcome_update": D(2028, 3, 17),  # Match Day 2028
    }
    assert p.warnings == []


def test_a_yes_brings_the_follow_up_within_48_hours() -> None:
    p = plan(
        official_deadline=D(2027, 9, 15),
        today=D(2027, 7, 10),
        status="agreed",
        asked_on=D(2027, 7, 1),
        answered_on=D(2027, 7, 3),
    )
    follow = p.step("follow_up")
    assert follow is not None and follow.on == D(2027, 7, 5) and not follow.done
    sent = plan(
        official_deadline=D(2027, 9, 15),
        today=D(2027, 7, 10),
        status="packet_sent",
        asked_on=D(2027, 7, 1),
        answered_on=D(2027, 7, 3),
    ).step("follow_up")
    assert sent is not None and sent.done


def test_after_submission_no_reminders_and_a_thank_you() -> None:
    p = plan(
        official_deadline=D(2027, 9, 15),
        today=D(2027, 8, 20),
        status="submitted",
        asked_on=D(2027, 7, 1),
        answered_on=D(2027, 7, 2),
        submitted_on=D(2027, 8, 20),
    )
    keys = [s.key for s in p.steps]
    assert "reminder_1" not in keys and "reminder_2" not in keys
    thanks = p.step("thank_you")
    assert thanks is not None and thanks.on == D(2027, 8, 22) and not thanks.done


def test_reminders_already_sent_are_done() -> None:
    p = plan(
        official_deadline=D(2027, 9, 15),
        today=D(2027, 8, 20),
        status="reminded",
        asked_on=D(2027, 7, 1),
        answered_on=D(2027, 7, 2),
        reminders_sent=1,
    )
    assert p.step("reminder_1").done and not p.step("reminder_2").done  # type: ignore[union-attr]


def test_no_reminder_before_the_writer_was_asked() -> None:
    p = plan(
        official_deadline=D(2027, 9, 15),
        today=D(2027, 8, 20),
        status="asked",
        asked_on=D(2027, 8, 16),
    )
    assert [s.key for s in p.steps if s.key.startswith("reminder")] == ["reminder_2"]


def test_no_outcome_step_without_a_results_date_outside_eras() -> None:
    p = plan(official_deadline=D(2027, 9, 15), today=D(2027, 6, 1), service="amcas", cycle=2027)
    assert p.step("outcome_update") is None
    q = plan(
        official_deadline=D(2027, 9, 15),
        today=D(2027, 6, 1),
        service="amcas",
        results_on=D(2028, 1, 15),
    )
    assert q.step("outcome_update").on == D(2028, 1, 15)  # type: ignore[union-attr]


# ---- warnings: exactly when the rules say


def _late_ask(today: dt.date, asked_on: dt.date | None = None, status: str = "planned") -> bool:
    p = plan(official_deadline=D(2027, 9, 15), today=today, asked_on=asked_on, status=status)
    return any(w.key == "late_ask" for w in p.warnings)


def test_late_ask_warning_starts_the_day_after_the_latest_ask_date() -> None:
    latest = D(2027, 8, 4)
    assert not _late_ask(latest)
    assert _late_ask(latest + dt.timedelta(days=1))
    assert not _late_ask(D(2027, 8, 20), asked_on=latest, status="asked")
    assert _late_ask(D(2027, 8, 20), asked_on=D(2027, 8, 5), status="asked")
    assert not _late_ask(D(2027, 8, 20), asked_on=D(2027, 8, 10), status="declined")


def test_writer_criteria_warnings() -> None:
    def keys(writer: WriterFacts) -> set[str]:
        p = plan(official_deadline=D(2027, 9, 15), today=D(2027, 6, 1), writer=writer)
        return {w.key for w in p.warnings}

    assert (
        keys(WriterFacts("Dr A", months_known=12, supervised_directly=True, interactions=5))
        == set()
    )
    assert keys(WriterFacts("Dr A", months_known=2, supervised_directly=True)) == {
        "writer_little_contact"
    }
    assert keys(WriterFacts("Dr A", months_known=3, supervised_directly=False)) == {
        "writer_not_supervisor"
    }
    assert keys(WriterFacts("Dr A", interactions=1)) == {"writer_few_contacts"}
    assert keys(WriterFacts("Dr A")) == set()  # unknown is not a warning


def test_too_many_letters_warning_only_above_the_limit() -> None:
    def warned(n: int) -> bool:
        p = plan(
            official_deadline=D(2027, 9, 15), today=D(2027, 6, 1), letters_planned=n, max_letters=4
        )
        return any(w.key == "too_many_letters" for w in p.warnings)

    assert not warned(4) and warned(5)


def test_past_personal_deadline_warning() -> None:
    p = plan(
        official_deadline=D(2027, 9, 15),
        today=D(2027, 9, 2),
        status="reminded",
        asked_on=D(2027, 7, 1),
        answered_on=D(2027, 7, 2),
    )
    assert "past_personal_deadline" in {w.key for w in p.warnings}
    q = plan(
        official_deadline=D(2027, 9, 15),
        today=D(2027, 9, 2),
        status="submitted",
        asked_on=D(2027, 7, 1),
        submitted_on=D(2027, 8, 30),
    )
    assert "past_personal_deadline" not in {w.key for w in q.warnings}


# ---- properties over any input

ORDER = [
    "ask_by_ideal",
    "ask_by_latest",
    "reminder_1",
    "reminder_2",
    "personal_deadline",
    "official_deadline",
    "outcome_update",
]


@given(
    deadline=st.dates(D(2025, 1, 1), D(2035, 12, 31)),
    days=st.integers(7, 14),
    offset=st.integers(-200, 60),
    status=st.sampled_from(lifecycle.STATUSES),
    asked_gap=st.integers(0, 120),
    answer_gap=st.integers(0, 20),
    sent=st.integers(0, 3),
    cycle=st.integers(2024, 2034),
)
def test_plan_properties(
    deadline, days, offset, status, asked_gap, answer_gap, sent, cycle
) -> None:  # type: ignore[no-untyped-def]
    today = deadline + dt.timedelta(days=offset)
    asked = status not in lifecycle.PRE_ASK
    asked_on = today - dt.timedelta(days=asked_gap) if asked else None
    answered_on = asked_on + dt.timedelta(days=min(answer_gap, asked_gap)) if asked_on else None
    submitted_on = today if status in lifecycle.SUBMITTED else None
    p = plan(
        official_deadline=deadline,
        today=today,
        personal_deadline_days=days,
        status=status,
        asked_on=asked_on,
        answered_on=answered_on,
        submitted_on=submitted_on,
        reminders_sent=sent,
        service="eras",
        cycle=cycle,
    )
    got = {s.key: s.on for s in p.steps}
    # Sorted by date, and the fixed steps keep their order.
    assert [s.on for s in p.steps] == sorted(s.on for s in p.steps)
    fixed = [got[k] for k in ORDER if k in got]
    assert fixed == sorted(fixed)
    assert got["personal_deadline"] == deadline - dt.timedelta(days=days)
    assert got["ask_by_latest"] - got["ask_by_ideal"] == dt.timedelta(weeks=2)
    # Reminders only while not submitted, and only after the ask.
    for key in ("reminder_1", "reminder_2"):
        if key in got:
            assert status not in lifecycle.SUBMITTED
            if asked_on:
                assert got[key] > asked_on
    if "follow_up" in got:
        assert got["follow_up"] == (answered_on or asked_on or today) + dt.timedelta(days=2)
    if status in lifecycle.SUBMITTED:
        assert got["thank_you"] >= (submitted_on or today)
    # Late-ask warning exactly when the ask is after the latest ask date and the letter is
    # not in yet.
    ask_day = asked_on if asked else today
    expect_late = (
        status != "declined"
        and status not in lifecycle.SUBMITTED
        and ask_day > got["ask_by_latest"]
    )
    assert any(w.key == "late_ask" for w in p.warnings) == expect_late


def test_a_late_ask_reads_as_the_past_and_goes_once_the_letter_is_in() -> None:
    asked = plan(
        official_deadline=D(2027, 9, 15),
        today=D(2027, 8, 20),
        asked_on=D(2027, 8, 5),
        status="asked",
    )
    [w] = [w for w in asked.warnings if w.key == "late_ask"]
    assert w.message.startswith(
        "Asked on August 5, the writer had 27 days before your deadline of September 1;"
    )
    assert _late_ask(D(2027, 8, 20)) and any(
        w.message.startswith("Asking today leaves the writer 12 days")
        for w in plan(official_deadline=D(2027, 9, 15), today=D(2027, 8, 20)).warnings
    )
    for status in ("submitted", "thanked", "outcome_shared"):
        assert not _late_ask(D(2027, 8, 20), asked_on=D(2027, 8, 5), status=status)
