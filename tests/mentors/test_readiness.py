"""The readiness score, without a database."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from preceptor.mentors.readiness import (
    ActionFacts,
    InteractionFacts,
    MentorFacts,
    PeriodFacts,
    assess,
    normalize_service,
)

TODAY = dt.date(2026, 9, 1)
IM = "Internal Medicine"


def score(f: MentorFacts, service: str = "eras", specialty: str = IM) -> int:
    return assess(f, service=service, specialty=specialty, today=TODAY).score


def test_a_close_supervisor_in_the_specialty_outranks_a_famous_stranger() -> None:
    close = MentorFacts(
        name="Dr. Ana Ortiz",
        specialty=IM,
        met_on=dt.date(2025, 7, 1),
        periods=(
            PeriodFacts(
                "clinical",
                dt.date(2026, 5, 1),
                dt.date(2026, 7, 1),
                "the cardiology rotation",
                True,
            ),
        ),
        interactions=tuple(
            InteractionFacts(dt.date(2026, 8, d), has_example=d == 1) for d in (1, 10, 20)
        ),
    )
    famous = MentorFacts(
        name="Dr. Big Name",
        specialty=IM,
        prominence="national",
        interactions=(InteractionFacts(dt.date(2026, 1, 5), was_ask=True),),
    )
    a = assess(close, service="eras", specialty=IM, today=TODAY)
    b = assess(famous, service="eras", specialty=IM, today=TODAY)
    assert a.score > b.score + 30
    assert "Knows you 14 months." in a.reasons
    assert any("cardiology rotation" in r for r in a.reasons)
    assert any("Well known" in w for w in b.warnings)
    assert any("ask for something" in w for w in b.warnings)
    assert any("Long silence" in w for w in b.warnings)
    assert not a.warnings


def test_unreported_advice_is_a_reason_and_a_warning() -> None:
    f = MentorFacts(
        name="x",
        actions=(
            ActionFacts("done"),
            ActionFacts("declined"),
            ActionFacts("done", reported_back=True),
        ),
    )
    a = assess(f, service="eras", specialty=IM, today=TODAY)
    assert "Two pieces of advice not reported back." in a.reasons
    assert any(w.startswith("Follow-through") for w in a.warnings)
    assert a.parts["follow_through"] == 3


def test_relevance_depends_on_the_service() -> None:
    science = MentorFacts(name="x", faculty="science", specialty="Biology")
    do = MentorFacts(name="y", degree="DO", specialty="Family Medicine")
    assert score(science, "amcas", "") > score(do, "amcas", "")
    assert score(do, "aacomas", "") >= score(science, "aacomas", "")
    assert score(MentorFacts(name="z", specialty=IM)) > score(
        MentorFacts(name="z", specialty="Surgery")
    )


def test_unknown_services_count_as_other() -> None:
    assert normalize_service("Interfolio") == "other"
    assert normalize_service(" ERAS_fellowship ") == "eras_fellowship"
    f = MentorFacts(name="x", specialty=IM)
    assert score(f, "whatever") == score(f, "other")


def test_the_score_stays_within_bounds_for_a_perfect_record() -> None:
    f = MentorFacts(
        name="x",
        specialty=IM,
        met_on=dt.date(2020, 1, 1),
        faculty="science",
        periods=tuple(
            PeriodFacts("clinical", dt.date(2021, 1, 1), None, "t", True) for _ in range(5)
        ),
        interactions=tuple(
            InteractionFacts(TODAY - dt.timedelta(days=i), has_example=True, gave_back=True)
            for i in range(20)
        ),
        actions=(ActionFacts("done", True),),
    )
    assert score(f) == 100


kinds = st.sampled_from(["clinical", "research", "course", "shadowing", "advising"])
past = st.dates(min_value=dt.date(2018, 1, 1), max_value=TODAY)
periods = st.builds(
    PeriodFacts,
    kind=kinds,
    start=past,
    end=st.one_of(st.none(), past),
    title=st.sampled_from(["", "the wards"]),
    has_description=st.booleans(),
).filter(lambda p: p.end is None or p.end >= p.start)
interactions = st.builds(
    InteractionFacts,
    occurred_on=past,
    was_ask=st.booleans(),
    has_example=st.booleans(),
    gave_back=st.booleans(),
)
actions = st.builds(
    ActionFacts, status=st.sampled_from(["open", "done", "declined"]), reported_back=st.booleans()
)
mentors = st.builds(
    MentorFacts,
    name=st.just("m"),
    met_on=st.one_of(st.none(), past),
    specialty=st.sampled_from(["", IM, "Surgery"]),
    degree=st.sampled_from(["", "MD", "DO", "PhD"]),
    faculty=st.sampled_from(["", "science", "non_science"]),
    prominence=st.sampled_from(["", "chair", "national"]),
    periods=st.lists(periods, max_size=3).map(tuple),
    interactions=st.lists(interactions, max_size=6).map(tuple),
    actions=st.lists(actions, max_size=4).map(tuple),
)
services = st.sampled_from(
    ["amcas", "aacomas", "tmdsas", "eras", "eras_fellowship", "direct", "carms", "other"]
)


@given(
    m=mentors, extra=periods.filter(lambda p: p.kind in ("clinical", "research")), service=services
)
def test_more_direct_supervision_never_lowers_readiness(
    m: MentorFacts, extra: PeriodFacts, service: str
) -> None:
    more = MentorFacts(**{**m.__dict__, "periods": (*m.periods, extra)})
    assert score(more, service) >= score(m, service)


@given(m=mentors, extra=interactions, service=services)
def test_another_interaction_never_lowers_readiness(
    m: MentorFacts, extra: InteractionFacts, service: str
) -> None:
    more = MentorFacts(**{**m.__dict__, "interactions": (*m.interactions, extra)})
    assert score(more, service) >= score(m, service)


@given(m=mentors, service=services)
def test_reporting_back_never_lowers_readiness(m: MentorFacts, service: str) -> None:
    reported = MentorFacts(
        **{
            **m.__dict__,
            "actions": tuple(
                ActionFacts(a.status, a.status != "open", a.due_on) for a in m.actions
            ),
        }
    )
    a = assess(m, service=service, specialty=IM, today=TODAY)
    b = assess(reported, service=service, specialty=IM, today=TODAY)
    assert b.score >= a.score
    assert 0 <= a.score <= 100 and all(r.endswith(".") for r in a.reasons + a.warnings)


@pytest.mark.parametrize(
    ("last", "words"),
    [
        (TODAY, "Two interactions logged, the last today."),
        (TODAY - dt.timedelta(days=1), "Two interactions logged, the last yesterday."),
        # The 16th of last month is not "this month".
        (TODAY - dt.timedelta(days=20), "Two interactions logged, the last 20 days ago."),
        (TODAY - dt.timedelta(days=30), "Two interactions logged, the last 30 days ago."),
        (TODAY - dt.timedelta(days=65), "Two interactions logged, the last two months ago."),
    ],
)
def test_the_last_contact_is_named_by_its_distance_not_the_calendar_month(
    last: dt.date, words: str
) -> None:
    f = MentorFacts(
        name="x",
        interactions=(InteractionFacts(dt.date(2025, 1, 5)), InteractionFacts(last)),
    )
    assert words in assess(f, service="eras", specialty=IM, today=TODAY).reasons
