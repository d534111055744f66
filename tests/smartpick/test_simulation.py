"""The analytic approximation against the Match simulation (preceptor.match)."""

from __future__ import annotations

import numpy as np
import pytest

from preceptor.smartpick.catalogue import synthetic_catalogue
from preceptor.smartpick.interview import Applicant
from preceptor.smartpick.recommend import Catalogue, Request, recommend
from preceptor.smartpick.simulation import national_market, simulate_applicant


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return Catalogue.from_rows(synthetic_catalogue())


CASES = [
    ("md", 252, 12, "Internal Medicine"),
    ("md", 236, 5, "Internal Medicine"),
    ("do", 240, 8, "Family Medicine"),
    ("md", 245, 6, "Surgery"),
    ("img", 238, 40, "Internal Medicine"),
    ("usimg", 232, 15, "Pediatrics"),
]


def test_analytic_p_match_agrees_with_the_simulation(cat: Catalogue) -> None:
    index = {c: i for i, c in enumerate(cat.code.tolist())}
    errors = []
    for k, (kind, score, budget, spec) in enumerate(CASES):
        rec = recommend(
            cat,
            Request(applicant=Applicant(kind=kind, step2=score, home_state="PA"), target=spec,
                    budget=budget),
        )  # fmt: skip
        chosen = np.array([index[r.code] for r in rec.rows])
        sim = simulate_applicant(
            cat, target=spec, chosen=chosen, logits=np.array([r.logit for r in rec.rows]),
            kind=kind, score=score, home_state="PA", draws=40, replicas=16, seed=100 + k,
        )  # fmt: skip
        assert 0 <= sim.low <= sim.p_match <= sim.high <= 1
        # The interview model is the same on both sides.
        assert sim.mean_interviews == pytest.approx(rec.expected_interviews, abs=2.0)
        errors.append(rec.p_match - sim.p_match)
    errors_arr = np.array(errors)
    assert np.sqrt(np.mean(errors_arr**2)) < 0.12, errors
    assert np.max(np.abs(errors_arr)) < 0.25, errors


def test_the_simulation_is_reproducible(cat: Catalogue) -> None:
    chosen = np.flatnonzero(cat.specialty == "Psychiatry")[:6]
    runs = [
        simulate_applicant(cat, target="Psychiatry", chosen=chosen, logits=np.zeros(6),
                           kind="md", score=245, home_state="TX", draws=10, replicas=4, seed=3)
        for _ in range(2)
    ]  # fmt: skip
    assert runs[0] == runs[1]


def test_a_small_national_market_is_stable_and_sane(cat: Catalogue) -> None:
    out = national_market(cat, seed=1, scale=0.1)
    assert out.stable
    assert out.match_rate["md"] > out.match_rate["img"]
    assert all(0 <= v <= 1 for v in out.fill_rate.values())
    assert out.matched_score > out.unmatched_score
