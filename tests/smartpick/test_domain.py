"""The pure models: interview, match, optimizer, figures. No database."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from preceptor.smartpick import figures
from preceptor.smartpick.catalogue import competitiveness, synthetic_catalogue
from preceptor.smartpick.export import csv_cell
from preceptor.smartpick.interview import (
    GOLD,
    NO_SIGNAL,
    PARAMS,
    SILVER,
    Applicant,
    ProgramArrays,
    comlex_to_step2,
    expected_interviews_typical,
    interview_probability,
)
from preceptor.smartpick.matchmodel import p_match, typical_p_match
from preceptor.smartpick.optimizer import brute_force, evaluate, optimise

KINDS = ["md", "do", "usimg", "img"]


def test_intercepts_reproduce_the_published_interview_medians() -> None:
    for kind, (apps, interviews) in figures.INTERVIEW_MEDIANS.items():
        assert expected_interviews_typical(kind, apps) == pytest.approx(interviews, abs=0.01)


def test_typical_applicants_match_in_the_order_of_the_published_rates() -> None:
    rates = [typical_p_match(k) for k in KINDS]
    assert rates[0] > rates[2] and rates[1] > rates[3]
    assert rates[0] > 0.9


def test_signal_effects_come_from_the_program_profile() -> None:
    # 36% gold / 25% silver / 4% none: the log-odds gaps are the parameters.
    assert PARAMS.gold == pytest.approx(np.log(0.36 / 0.64) - np.log(0.04 / 0.96))
    assert PARAMS.silver == pytest.approx(np.log(0.25 / 0.75) - np.log(0.04 / 0.96))


def _probs(a: Applicant, signal: int, z: float = 0.0, state: str = "CA") -> float:
    progs = ProgramArrays.uniform(1, specialty="Internal Medicine", z=z, state=state)
    return float(interview_probability(a, progs, np.array([signal], dtype=np.int8))[0])


applicants = st.builds(
    Applicant,
    kind=st.sampled_from(KINDS),
    step2=st.floats(200, 290),
    step1_failed=st.booleans(),
    extra_attempts=st.integers(0, 3),
    red_flags=st.booleans(),
    research=st.integers(0, 30),
    honors=st.booleans(),
    usce_months=st.integers(0, 24),
    needs_visa=st.booleans(),
    home_state=st.sampled_from(["NY", "CA", "TX", ""]),
)


@settings(max_examples=200, deadline=None)
@given(a=applicants, bump=st.floats(0.5, 40), signal=st.sampled_from([0, 1, 2]), z=st.floats(-2, 2))
def test_a_higher_score_never_lowers_p_interview(
    a: Applicant, bump: float, signal: int, z: float
) -> None:
    higher = Applicant(**{**a.__dict__, "step2": a.score + bump})
    assert _probs(higher, signal, z) >= _probs(a, signal, z)


@settings(max_examples=200, deadline=None)
@given(a=applicants, z=st.floats(-2.5, 2.5), state=st.sampled_from(["NY", "CA", "TX"]))
def test_a_signal_never_lowers_p_interview(a: Applicant, z: float, state: str) -> None:
    none, silver, gold = (_probs(a, s, z, state) for s in (NO_SIGNAL, SILVER, GOLD))
    assert none < silver < gold


def test_in_state_and_type_effects_point_the_right_way() -> None:
    md = Applicant(kind="md", step2=245, home_state="NY")
    assert _probs(md, NO_SIGNAL, state="NY") > _probs(md, NO_SIGNAL, state="CA")
    rates = [_probs(Applicant(kind=k, step2=245), NO_SIGNAL) for k in KINDS]
    assert rates == sorted(rates, reverse=True)
    assert rates[0] > 2 * rates[3]
    failed = Applicant(kind="md", step2=245, step1_failed=True)
    assert _probs(failed, NO_SIGNAL) < _probs(Applicant(kind="md", step2=245), NO_SIGNAL)


def test_comlex_conversion_is_documented_linear_equating() -> None:
    assert comlex_to_step2(600) == 246.0
    assert comlex_to_step2(690) == pytest.approx(261.0)
    assert comlex_to_step2(500) < comlex_to_step2(510)


def test_eras_fees() -> None:
    assert figures.eras_cost(0) == 0
    assert figures.eras_cost(30) == 330
    assert figures.eras_cost(31) == 360
    assert figures.max_applications_for(10) == 0
    assert figures.max_applications_for(360) == 31
    for n in range(0, 120):
        assert figures.max_applications_for(figures.eras_cost(n)) == n


def _random_problem(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    base = rng.normal(-1.5, 1.2, size=n)
    silver = base + rng.uniform(0, 2.5, size=n)
    gold = silver + rng.uniform(0, 1, size=n)
    return np.stack([base, silver, gold], axis=1), rng.uniform(0.1, 0.7, size=n)


def test_optimizer_against_brute_force_on_small_catalogues() -> None:
    rng = np.random.default_rng(7)
    exact, worst = 0, 0.0
    trials = 150
    for _ in range(trials):
        n = int(rng.integers(3, 7))
        budget, gold, silver = (
            int(rng.integers(1, n + 1)),
            int(rng.integers(0, 3)),
            int(rng.integers(0, 3)),
        )
        logits, q = _random_problem(rng, n)
        plan = optimise(logits, q, budget=budget, gold=gold, silver=silver, shock_sd=0.8)
        best = brute_force(logits, q, budget=budget, gold=gold, silver=silver, shock_sd=0.8)
        # The plan's value is what it claims, and respects the signal counts.
        chosen, tiers = plan.chosen.tolist(), plan.signal[: plan.budget].tolist()
        assert plan.p_match == pytest.approx(evaluate(logits, q, chosen, tiers, shock_sd=0.8))
        assert tiers.count(GOLD) <= gold and tiers.count(SILVER) <= silver
        assert len(set(chosen)) == len(chosen) <= budget
        assert plan.p_match <= best + 1e-9
        worst = max(worst, best - plan.p_match)
        exact += best - plan.p_match < 1e-9
    assert exact >= 0.95 * trials
    assert worst < 0.05


@settings(max_examples=100, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(2, 60), budget=st.integers(1, 40),
       gold=st.integers(0, 5), silver=st.integers(0, 10))  # fmt: skip
def test_one_more_application_never_lowers_p_match(
    seed: int, n: int, budget: int, gold: int, silver: int
) -> None:
    logits, q = _random_problem(np.random.default_rng(seed), n)
    plan = optimise(logits, q, budget=budget, gold=gold, silver=silver, shock_sd=0.8, horizon=n)
    assert np.all(np.diff(plan.curve) >= -1e-12)
    bigger = optimise(logits, q, budget=budget + 1, gold=gold, silver=silver, shock_sd=0.8)
    assert bigger.p_match >= plan.p_match - 1e-12


def test_optimizer_rejects_an_empty_budget() -> None:
    logits, q = _random_problem(np.random.default_rng(0), 3)
    with pytest.raises(ValueError, match="at least one application"):
        optimise(logits, q, budget=0, shock_sd=0.8)


def test_p_match_is_one_minus_the_chance_every_interview_fails() -> None:
    assert p_match(np.zeros(2), np.full(2, 0.5), shock_sd=0.0) == pytest.approx(1 - 0.75**2)
    assert p_match(np.zeros(0), np.zeros(0), shock_sd=0.0) == 0.0


def test_synthetic_catalogue_is_deterministic_and_labelled() -> None:
    a, b = synthetic_catalogue(), synthetic_catalogue()
    assert a == b
    assert all(r.synthetic for r in a)
    assert len({r.nrmp_code for r in a}) == len(a)
    by_spec: dict[str, int] = {}
    for r in a:
        by_spec[r.specialty] = by_spec.get(r.specialty, 0) + r.quota
    # Sizes follow the published positions (internal medicine is the largest).
    assert max(by_spec, key=lambda k: by_spec[k]) == "Internal Medicine"


def test_competitiveness_falls_with_unfilled_years() -> None:
    full = {str(y): [10, 10] for y in range(2021, 2026)}
    some = {**full, "2024": [10, 9], "2025": [10, 8]}
    assert competitiveness(10, 10.0, some) < competitiveness(10, 10.0, full)
    assert competitiveness(30, 10.0, full) > competitiveness(5, 10.0, full)


@pytest.mark.parametrize("value", ["=1+2", "+cmd", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_csv_cells_never_start_a_formula(value: str) -> None:
    assert csv_cell(value).startswith("'")


def test_csv_cells_leave_plain_text() -> None:
    assert csv_cell("St. Mary's") == "St. Mary's"
    assert csv_cell(0.5) == "0.5"


def test_percentages_never_claim_certainty() -> None:
    from preceptor.smartpick.templatetags.smartpick import pct

    assert pct(1.0) == ">99%" and pct(0.995) == ">99%"
    assert pct(0.0) == "<1%" and pct(0.004) == "<1%"
    assert pct(0.873) == "87%" and pct(None) == "—"


def test_a_range_whose_ends_round_alike_is_said_once() -> None:
    from preceptor.smartpick.templatetags.smartpick import pct_range

    assert pct_range(0.62, 0.81) == "range 62% to 81%"
    assert pct_range(0.62, 0.81, "plausible range") == "plausible range 62% to 81%"
    assert pct_range(0.995, 0.999) == ">99% even at the low end of the plausible range"


@pytest.mark.parametrize(
    ("unfilled", "years", "words"),
    [
        (0, 0, ""),
        (0, 1, "filled every position last year"),
        (1, 1, "left positions unfilled last year"),
        (0, 5, "filled every position in the last 5 years"),
        (2, 5, "left positions unfilled in 2 of the last 5 years"),
    ],
)
def test_fill_history_reads_right_for_any_number_of_years(
    unfilled: int, years: int, words: str
) -> None:
    from preceptor.smartpick.recommend import fill_history

    assert fill_history(unfilled, years) == words
