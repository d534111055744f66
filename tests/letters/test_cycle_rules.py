"""The cycle and date rules as tables: a cycle is named by its Match, writers get a week."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from preceptor.letters import services
from preceptor.letters.timeline import cycle_problem, fitted_margin, match_cycle, match_day

D = dt.date


@pytest.mark.parametrize(
    ("deadline", "cycle"),
    [
        (D(2026, 9, 15), 2027),  # letters due in the autumn: the next March's Match
        (D(2026, 12, 6), 2027),
        (D(2027, 1, 10), 2027),
        (D(2027, 3, 18), 2027),  # the day before Match Day 2027
        (D(2027, 3, 19), 2028),  # Match Day itself: the cycle is over
        (D(2027, 6, 1), 2028),
    ],
)
def test_a_deadline_belongs_to_the_cycle_of_the_next_match(deadline: dt.date, cycle: int) -> None:
    assert match_cycle(deadline) == cycle
    assert match_day(cycle) > deadline


@pytest.mark.parametrize(
    ("service", "cycle", "deadline", "problem"),
    [
        ("eras", 2027, D(2026, 9, 15), ""),
        ("eras", 2027, D(2027, 9, 15), "belong to ERAS 2028"),
        ("eras", 2026, D(2026, 9, 15), "ERAS 2026 ends with the Match on March 20, 2026"),
        ("amcas", 2027, D(2027, 9, 15), ""),  # AMCAS has no Match Day to check against
        ("eras", None, D(2027, 9, 15), ""),
        ("eras", 0, D(2027, 9, 15), ""),  # an impossible year is the form's to refuse
    ],
)
def test_a_cycle_one_year_off_is_named(
    service: str, cycle: int | None, deadline: dt.date, problem: str
) -> None:
    got = cycle_problem(service, cycle, deadline)
    assert (problem in got) if problem else got == ""


@pytest.mark.parametrize(
    ("days_left", "asked_margin", "margin"),
    [
        (60, 14, 14),
        (21, 14, 14),  # exactly a week for the writer: keep the margin
        (15, 14, 8),  # the reported case: not "tomorrow", but a week from today
        (14, 14, 7),
        (10, 14, 7),  # never below 7 days before the official deadline
        (15, 10, 8),
        (30, 7, 7),
    ],
)
def test_the_margin_shrinks_so_writers_get_a_week(
    days_left: int, asked_margin: int, margin: int
) -> None:
    today = D(2026, 12, 6)
    assert fitted_margin(today + dt.timedelta(days=days_left), asked_margin, today) == margin


def test_eras_2027_ends_with_the_march_2027_match(alice) -> None:  # type: ignore[no-untyped-def]
    today = services.today_for(alice)
    deadline = today + dt.timedelta(days=40)
    app = services.create_application(
        alice,
        service="eras",
        specialty="Internal Medicine",
        cycle=match_cycle(deadline),
        official_deadline=deadline,
    )
    assert app.results_on == match_day(match_cycle(deadline))
    assert app.results_on is not None and app.results_on.year == app.cycle


def test_a_cycle_one_year_off_is_refused_with_the_right_one(alice) -> None:  # type: ignore[no-untyped-def]
    today = services.today_for(alice)
    deadline = today + dt.timedelta(days=40)
    with pytest.raises(ValidationError) as e:
        services.create_application(
            alice, service="eras", cycle=match_cycle(deadline) - 1, official_deadline=deadline
        )
    assert f"belong to ERAS {match_cycle(deadline)}" in str(e.value.message_dict["cycle"])


def test_a_near_deadline_gives_writers_a_week_not_a_day(alice) -> None:  # type: ignore[no-untyped-def]
    today = services.today_for(alice)
    deadline = today + dt.timedelta(days=15)
    app = services.create_application(
        alice, service="amcas", cycle=2027, official_deadline=deadline, personal_deadline_days=14
    )
    assert app.personal_deadline == today + dt.timedelta(days=7)
    assert app.personal_deadline_days == 8


def test_a_letter_step_in_year_one_is_refused(alice) -> None:  # type: ignore[no-untyped-def]
    from preceptor.letters.services import TransitionError
    from tests.letters.factories import make_application, make_mentor

    app = make_application(alice)
    r = services.plan_request(app, make_mentor(alice))
    with pytest.raises(TransitionError, match="out of range"):
        services.transition(r, "asked", on=D(1, 1, 1), ask_method="email")
    r.refresh_from_db()
    assert r.status == "planned" and r.asked_on is None


def test_two_applications_never_share_a_name(alice) -> None:  # type: ignore[no-untyped-def]
    today = services.today_for(alice)
    deadline = today + dt.timedelta(days=40)
    facts = {
        "service": "eras",
        "specialty": "Internal Medicine",
        "cycle": match_cycle(deadline),
        "official_deadline": deadline,
    }
    first = services.create_application(alice, **facts)
    second = services.create_application(alice, **facts)
    third = services.create_application(alice, **facts)
    names = {first.display_title, second.display_title, third.display_title}
    assert len(names) == 3
    assert second.display_title == f"{first.display_title} (due {deadline:%b %-d})"
    typed = services.create_application(alice, **facts, title=second.display_title.upper())
    assert typed.display_title == f"{second.display_title.upper()} (due {deadline:%b %-d})"
