"""Issue 18: numbers an applicant can trust -- unknown facts never in the applicant's
favour, 80% ranges that cover, the score effect fixed by a published figure, and the
public calibration page."""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from preceptor.smartpick import figures
from preceptor.smartpick.calibration_page import load_report, page_context
from preceptor.smartpick.catalogue import synthetic_catalogue
from preceptor.smartpick.fit import published_score_rise, score_rise
from preceptor.smartpick.interview import (
    PARAMS,
    SELECTION_SHIFT,
    Applicant,
    ProgramArrays,
    img_openness,
    interview_probability,
)
from preceptor.smartpick.matchmodel import UNCERTAINTY, p_interview, p_match, ranges
from preceptor.smartpick.recommend import Catalogue, Request, recommend
from preceptor.smartpick.simulation import selection_shift, simulate_applicant


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return Catalogue.from_rows(synthetic_catalogue())


# --- Unknown is not yes -------------------------------------------------------------


def _at(a: Applicant, sponsors: float, z: float, state: str) -> float:
    progs = dataclasses.replace(
        ProgramArrays.uniform(1, specialty="Internal Medicine", z=z, state=state),
        visa=np.array([sponsors]),
    )
    return float(interview_probability(a, progs, np.zeros(1, dtype=np.int8))[0])


@settings(max_examples=150, deadline=None)
@given(
    kind=st.sampled_from(["img", "usimg", "md", "do"]),
    step2=st.floats(200, 290),
    z=st.floats(-2.5, 2),
    state=st.sampled_from(["NY", "CA", "TX"]),
    signal_home=st.sampled_from(["NY", "OH", ""]),
)
def test_an_unknown_sponsorship_lies_strictly_between_sponsors_and_does_not(
    kind: str, step2: float, z: float, state: str, signal_home: str
) -> None:
    a = Applicant(kind=kind, step2=step2, needs_visa=True, home_state=signal_home)
    share = figures.visa_share("Internal Medicine").value
    yes, unknown, no = _at(a, 1.0, z, state), _at(a, share, z, state), _at(a, 0.0, z, state)
    assert no < unknown < yes


def test_a_program_of_unknown_sponsorship_is_not_counted_as_sponsoring(cat: Catalogue) -> None:
    im = np.flatnonzero(cat.specialty == "Internal Medicine")
    sponsoring = dataclasses.replace(cat, visa=np.where(np.isin(np.arange(cat.n), im), 1, cat.visa))
    unknown = dataclasses.replace(cat, visa=np.where(np.isin(np.arange(cat.n), im), -1, cat.visa))
    req = Request(
        applicant=Applicant(kind="img", step2=240, needs_visa=True, home_state="NY"),
        target="Internal Medicine",
        budget=40,
        gold=3,
        silver=7,
    )
    known, guessed = recommend(sponsoring, req), recommend(unknown, req)
    assert guessed.expected_interviews < 0.8 * known.expected_interviews
    assert guessed.p_match < known.p_match
    assert all(any("sponsorship unknown" in r for r in row.reasons) for row in guessed.rows)
    share = figures.visa_share("Internal Medicine")
    assert share.quality == "secondary" and "J Grad Med Educ" in share.source


@settings(max_examples=100, deadline=None)
@given(
    kind=st.sampled_from(["img", "usimg"]),
    step2=st.floats(200, 290),
    z=st.floats(-2.5, 2),
)
def test_an_unknown_setting_lies_between_community_and_university_for_imgs(
    kind: str, step2: float, z: float
) -> None:
    """IMG openness by setting (Reddy et al., JGIM 2021): an IMG's chance at a program of
    unknown setting lies strictly between the same program as a university and as a
    community program; a US MD's chance does not depend on the setting."""

    def at(a: Applicant, setting: str) -> float:
        progs = dataclasses.replace(
            ProgramArrays.uniform(1, specialty="Internal Medicine", z=z),
            img_open=img_openness(np.array([setting])),
        )
        return float(interview_probability(a, progs, np.zeros(1, dtype=np.int8))[0])

    img = Applicant(kind=kind, step2=step2)
    assert at(img, "university") < at(img, "") < at(img, "community")
    md = Applicant(kind="md", step2=step2)
    assert at(md, "university") == at(md, "") == at(md, "community")


def test_smartpick_expects_no_more_interviews_for_its_own_list_than_the_medians(
    cat: Catalogue,
) -> None:
    """SELECTION_SHIFT: the list SmartPick recommends to a typical internal medicine
    applicant of each type expects about the reported median interviews (within x1.33,
    and not above it by more than sampling noise), where without the shift the model
    expected up to 1.3 times as many for US MD seniors."""
    for kind, (apps, median) in figures.INTERVIEW_MEDIANS.items():
        got = selection_shift(cat, kind=kind, applications=apps, applicants=6, seed=1)
        assert median / 1.33 <= got["recommended"] <= median * 1.1, kind
        assert got["recommended"] <= got["recommended_unshifted"], kind
    assert SELECTION_SHIFT["md"] < 0 and all(v <= 0 for v in SELECTION_SHIFT.values())


# --- Ranges that cover --------------------------------------------------------------


def test_the_stated_80_percent_ranges_hold_the_simulated_truth_about_80_percent() -> None:
    """A simulation study: the truth is the model with parameters drawn from their
    plausible ranges; the stated ranges are computed without knowing the draw."""
    rng = np.random.default_rng(7)
    hits = {"p_interview": 0, "interviews": 0, "p_match": 0}
    trials, programs = 300, 0
    for _ in range(trials):
        n = int(rng.integers(5, 40))
        logit = rng.normal(-1.0, 1.2, n)
        gap = rng.normal(0.0, 1.0, n)
        q = 1 / (1 + np.exp(-rng.normal(-0.3, 0.8, n)))
        stated = ranges(logit, gap, q)
        a, b, c = rng.standard_normal(3)
        true_logit = logit + UNCERTAINTY.interview * a + UNCERTAINTY.score * b * gap
        true_q = 1 / (1 + np.exp(-(np.log(q / (1 - q)) + UNCERTAINTY.conversion * c)))
        pi = p_interview(true_logit)
        hits["p_interview"] += int(
            ((stated.p_interview_low <= pi) & (pi <= stated.p_interview_high)).sum()
        )
        programs += n
        hits["interviews"] += stated.interviews_low <= pi.sum() <= stated.interviews_high
        pm = p_match(true_logit, true_q)
        hits["p_match"] += stated.p_match_low <= pm <= stated.p_match_high
    assert 0.74 <= hits["p_interview"] / programs <= 0.86
    assert 0.72 <= hits["interviews"] / trials <= 0.88
    assert 0.72 <= hits["p_match"] / trials <= 0.88


def test_a_recommendation_states_ranges_around_its_estimates(cat: Catalogue) -> None:
    rec = recommend(
        cat,
        Request(applicant=Applicant(kind="md", step2=240, home_state="OH"),
                target="Internal Medicine", budget=20, gold=3, silver=7),
    )  # fmt: skip
    assert rec.interviews_low < rec.expected_interviews < rec.interviews_high
    assert rec.p_match_low < rec.p_match <= rec.p_match_high
    for r in rec.rows:
        assert r.p_interview_low < r.p_interview < r.p_interview_high


@pytest.mark.parametrize(
    ("score", "budget", "pairs"),
    [(252, 12, 0.7), (236, 6, 0.7)],
    ids=["a list near certain, as in the issue", "a list near even odds"],
)
def test_repeated_simulations_of_one_list_fall_within_each_others_ranges(
    cat: Catalogue, score: int, budget: int, pairs: float
) -> None:
    """Issue 18 saw five runs of one list at 96% (95-97%), >99% twice and 98% (98-99%).
    The ranges now count the competitors' draw and the model's parameters. They are 80%
    ranges and each run's estimate carries its own error, so a run may fall outside
    another's now and then: at least 70% of the pairs must hold (on main at d1eb279, with
    Wilson 95% intervals over one market, 6 of 20 and 0 of 20 did)."""
    index = {c: i for i, c in enumerate(cat.code.tolist())}
    req = Request(
        applicant=Applicant(kind="md", step2=score, home_state="OH"),
        target="Internal Medicine",
        budget=budget,
    )
    rec = recommend(cat, req)
    chosen = np.array([index[r.code] for r in rec.rows], dtype=np.int64)
    logits = np.array([r.logit for r in rec.rows])
    runs = [
        simulate_applicant(
            cat, target=req.target, chosen=chosen, logits=logits, kind="md", score=score,
            home_state="OH", seed=seed,
        )
        for seed in (1, 2, 3, 4, 5)
    ]  # fmt: skip

    # The pages never show more than ">99%" or less than "<1%": compare what they show.
    def shown(p: float) -> float:
        return min(max(p, 0.01), 0.99)

    inside = [
        shown(other.low) <= shown(run.p_match) <= shown(other.high)
        for run in runs
        for other in runs
        if other is not run
    ]
    for run in runs:
        assert run.low <= run.p_match <= run.high and run.low < run.high
    assert sum(inside) >= pairs * len(inside)


# --- The score effect ---------------------------------------------------------------


def test_the_score_effect_stays_near_the_published_rise_of_the_match_rate(
    cat: Catalogue,
) -> None:
    """Charting Outcomes' match rate of US MD seniors rises 2.3 log-odds from a Step 2 CK
    of 225 to 265 (pooled over specialties, so flatter than within one): a typical
    internal medicine list must rise at least as much and not more than 1.5 times."""
    want = published_score_rise()
    assert want == pytest.approx(np.log(0.96 / 0.04) - np.log(0.70 / 0.30))
    got = score_rise(cat, PARAMS.score)
    assert want <= got <= 1.5 * want
    # The slope before the refit (0.6) rose almost twice the published curve.
    assert score_rise(cat, 0.6) > 1.8 * want


# --- The public page ----------------------------------------------------------------


def test_the_calibration_page_renders_the_stored_report(db: None, client: Client) -> None:
    report = load_report()
    assert report is not None, "calibrate --write stores the report next to the page's code"
    page = client.get("/programs/calibration/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "How good are these numbers?" in html
    assert report["ran_at"][:10] in html
    assert f"{report['targets_met']} of {report['targets']}" in html
    for row in report["rows"]:
        assert row["label"] in html
    assert "2025 [NRMP]" in html and "Family Medicine" in html
    # The parameters, each with the figure behind it, and the limits.
    assert "Step 2 CK slope" in html and "J Grad Med Educ" in html
    assert "What the model cannot do" in html


def test_the_calibration_page_says_when_no_report_is_stored(tmp_path: Path) -> None:
    ctx = page_context(tmp_path / "missing.json")
    assert ctx["report"] is None and ctx["sections"] == []
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    assert page_context(tmp_path / "bad.json")["report"] is None


def test_calibrate_writes_the_report_the_page_reads(db: None, tmp_path: Path) -> None:
    path = tmp_path / "report.json"
    out = io.StringIO()
    call_command("calibrate", "--scale", "0.1", "--markets", "1", "--write", str(path), stdout=out)
    report = load_report(path)
    assert report is not None
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored["targets"] == len(stored["rows"]) and stored["markets"] == 1
    # Every target names its year, and rates are judged within 2 points.
    for row in stored["rows"]:
        assert row["tag"][:4].isdigit(), row
        if row["percent"] and "Apply Smart" not in row["source"]:
            assert row["tolerance"] == pytest.approx(0.02)
    fm = next(r for r in stored["rows"] if r["label"] == "Family Medicine")
    assert fm["published"] == pytest.approx(4552 / 5357) and fm["tag"].startswith("2025")
    assert f"Report stored in {path}" in out.getvalue()
