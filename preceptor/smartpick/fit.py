"""Fit the analytic match model's conversion to the Match simulation.

``python -m preceptor.smartpick.fit`` simulates a grid of applicants (four types, six
specialties, two scores, two budgets) in their specialty's Match
(:func:`.simulation.simulate_applicant`) and chooses the conversion parameters of
:mod:`.matchmodel` that make the analytic P(match) closest to the simulated one
(least squares on the log-odds, coordinate descent). It prints the constants to paste
into ``matchmodel.py``; ``tests/smartpick/test_simulation.py`` checks the agreement.
``--intercepts`` refits only the type intercepts and the history slope (the full refit
is noisy). :func:`score_rise` and :func:`score_slope_from_bands` compare the interview
score slope with the published rise of the match rate by Step 2 CK band.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from . import figures
from .catalogue import synthetic_catalogue
from .interview import PARAMS, TYPE_STEP2, Applicant
from .matchmodel import CONVERSION, p_match
from .recommend import Catalogue, Request, _program_arrays, recommend
from .simulation import simulate_applicant, typical_list_p_match

SPECIALTIES = (
    "Internal Medicine",
    "Family Medicine",
    "Pediatrics",
    "Psychiatry",
    "Surgery",
    "Emergency Medicine",
)


@dataclass(frozen=True)
class Case:
    kind: str
    score: float
    specialty: str
    logits: np.ndarray
    gap: np.ndarray  # (score - typical) / SD at each program
    comp: np.ndarray
    history: np.ndarray
    simulated: float


def grid(cat: Catalogue, *, seed: int = 0, draws: int = 30, replicas: int = 16) -> list[Case]:
    index = {c: i for i, c in enumerate(cat.code.tolist())}
    cases: list[Case] = []
    for kind in ("md", "do", "usimg", "img"):
        for spec in SPECIALTIES:
            for delta in (-10.0, 8.0):
                for budget in (6, 20):
                    score = TYPE_STEP2[kind] + delta
                    req = Request(
                        applicant=Applicant(kind=kind, step2=score, home_state="OH"),
                        target=spec,
                        budget=budget,
                    )
                    rec = recommend(cat, req)
                    chosen = np.array([index[r.code] for r in rec.rows], dtype=np.int64)
                    logits = np.array([r.logit for r in rec.rows])
                    sim = simulate_applicant(
                        cat, target=spec, chosen=chosen, logits=logits, kind=kind,
                        score=score, home_state="OH", draws=draws, replicas=replicas,
                        seed=seed + len(cases),
                    )  # fmt: skip
                    progs = _program_arrays(cat, chosen)
                    typical = progs.spec_mean + PARAMS.points_per_z * progs.z
                    cases.append(
                        Case(kind, score, spec, logits, (score - typical) / 13.0, progs.comp,
                             np.ones(len(chosen)) if progs.history is None else progs.history,
                             sim.p_match)
                    )  # fmt: skip
    return cases


def _analytic(case: Case, c: float, k: float, s: float, h: float = 0.0) -> float:
    x = c - k * case.comp + s * case.gap - h * np.log(np.clip(case.history, 0.05, 1.0))
    q = 1 / (1 + np.exp(-x))
    return p_match(case.logits, q, shock_sd=PARAMS.shock_sd)


def loss(cases: list[Case], params: dict[str, float]) -> float:
    err = 0.0
    for case in cases:
        a = _analytic(
            case, params[case.kind], params["competition"], params["score"], params["history"]
        )
        err += (a - case.simulated) ** 2
    return err / len(cases)


def fit(
    cases: list[Case],
    start: dict[str, float] | None = None,
    free: tuple[str, ...] | None = None,
) -> dict[str, float]:
    params = dict(
        start
        or {
            "md": 0.0,
            "do": 0.0,
            "usimg": -1.0,
            "img": -1.0,
            "competition": 1.0,
            "score": 0.6,
            "history": 0.0,
        }
    )
    step = 1.0
    while step > 0.005:
        improved = False
        for name in free or tuple(params):
            for d in (step, -step):
                trial = {**params, name: params[name] + d}
                if loss(cases, trial) < loss(cases, params):
                    params, improved = trial, True
        if not improved:
            step /= 2
    return params


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def score_rise(cat: Catalogue, slope: float, *, applicants: int = 120) -> float:
    """How much the log-odds of P(match) of a typical US MD internal medicine list (40
    applications, no signals) rise from the lowest to the highest Step 2 CK band of
    ``figures.MATCH_BY_STEP2_US_MD``, with this interview score slope."""
    params = dataclasses.replace(PARAMS, score=slope)
    lo, hi = min(figures.MATCH_BY_STEP2_US_MD), max(figures.MATCH_BY_STEP2_US_MD)
    apps = figures.INTERVIEW_MEDIANS["md"][0]

    def at(score: float) -> float:
        return typical_list_p_match(
            cat, kind="md", specialty="Internal Medicine", applications=apps, score=score,
            applicants=applicants, params=params,
        )  # fmt: skip

    return _logit(at(hi)) - _logit(at(lo))


def published_score_rise() -> float:
    """The published rise: log-odds of the match rate at the top band minus the bottom."""
    bands = figures.MATCH_BY_STEP2_US_MD
    return _logit(bands[max(bands)].value) - _logit(bands[min(bands)].value)


def score_slope_from_bands(cat: Catalogue) -> float:
    """The interview score slope whose typical list reproduces the published rise of
    the match rate with Step 2 CK (bisection; the conversion's own score slope, fitted
    to the simulation, is held fixed)."""
    want = published_score_rise()
    lo, hi = 0.0, 1.0
    for _ in range(12):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if score_rise(cat, mid) < want else (lo, mid)
    return (lo + hi) / 2


def recommended_interviews(cat: Catalogue, kind: str, shift: float) -> float:
    """Expected interviews of SmartPick's recommended internal medicine list for a
    typical applicant of this type (``simulation.selection_shift``), with the page's
    intercepts shifted by ``shift``."""
    from . import interview
    from .simulation import selection_shift

    saved = dict(interview.SELECTION_SHIFT)
    interview.SELECTION_SHIFT[kind] = shift
    interview.page_intercepts.cache_clear()
    try:
        apps = figures.INTERVIEW_MEDIANS[kind][0]
        return selection_shift(cat, kind=kind, applications=apps)["recommended"]
    finally:
        interview.SELECTION_SHIFT.clear()
        interview.SELECTION_SHIFT.update(saved)
        interview.page_intercepts.cache_clear()


def fit_selection_shift(cat: Catalogue) -> dict[str, float]:
    """``interview.SELECTION_SHIFT``: for each type, the shift of the page's interview
    log-odds at which SmartPick's recommended list expects the published median number
    of interviews (bisection; the list is chosen again at each step), or 0 where it
    already expects no more."""
    out = {}
    for kind, (_, median) in figures.INTERVIEW_MEDIANS.items():
        if recommended_interviews(cat, kind, 0.0) <= median:
            out[kind] = 0.0
            continue
        lo, hi = -3.0, 0.0
        for _ in range(14):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if recommended_interviews(cat, kind, mid) < median else (lo, mid)
        out[kind] = round((lo + hi) / 2, 2)
    return out


def fit_type_bias(
    cat: Catalogue,
    *,
    non_md_split: str = "national",
    cap: bool = False,
    seeds: tuple[int, ...] = (0, 1),
    rounds: int = 8,
    progress: Callable[[str], None] | None = None,
) -> tuple[dict[str, tuple[float, float, float, float]], float]:
    """A programs' preference by type for each specialty of ``figures.FILLED_BY_TYPE_2025``
    (US MD fixed at 0) at which the national simulation's filled positions split by type
    as published (normalised to the four types): steps of log(published / simulated
    share), each round over ``seeds``, from ``simulation.TYPE_BIAS``; bounded to
    [-6, 3] score SDs, or [-6, 0] with ``cap`` (no type preferred over US MD seniors).
    Returns the preferences and the largest gap between a simulated and a published
    share (points) at the last round, before its step. Fitted to the filled shares only;
    tried on 2026-12-06 and not kept (docs/smartpick.md, "Calibration")."""
    from .simulation import KINDS, TYPE_BIAS, national_market

    bias = {s: np.array(TYPE_BIAS, dtype=float) for s in figures.FILLED_BY_TYPE_2025}
    worst = float("nan")
    for r in range(rounds):
        now = {s: _four(b) for s, b in bias.items()}
        outs = [
            national_market(cat, seed=s, type_bias=now, non_md_split=non_md_split,
                            selection=False)
            for s in seeds
        ]  # fmt: skip
        worst = 0.0
        for name, pub in figures.FILLED_BY_TYPE_2025.items():
            want = np.array(pub) / sum(pub)
            got = np.array([np.mean([o.filled_by_type[name][k] for o in outs]) for k in KINDS])
            worst = max(worst, float(np.abs(got - want).max()) * 100)
            step = np.log(want) - np.log(np.clip(got, 1e-3, None))
            bias[name] = np.clip(bias[name] + step - step[0], -6.0, 0.0 if cap else 3.0)
            bias[name][0] = 0.0
        if progress is not None:
            progress(f"round {r}: largest gap in the filled shares {worst:.1f} points")
    return {s: _four(b) for s, b in bias.items()}, worst


def _four(b: np.ndarray) -> tuple[float, float, float, float]:
    return (round(float(b[0]), 2), round(float(b[1]), 2), round(float(b[2]), 2),
            round(float(b[3]), 2))  # fmt: skip


def main() -> None:
    import sys

    if "--type-bias" in sys.argv[1:]:
        # The experiment of docs/smartpick.md ("Calibration", fourth look): a preference by
        # type per specialty fitted to the 2025 filled shares, on today's applicant pools
        # or (``--filled-pool``) on pools split as the filled positions; ``--cap``: no type
        # preferred over US MD seniors.
        cat = Catalogue.from_rows(synthetic_catalogue())
        split = "filled" if "--filled-pool" in sys.argv[1:] else "national"
        bias, _ = fit_type_bias(
            cat, non_md_split=split, cap="--cap" in sys.argv[1:],
            progress=lambda line: print(" ", line, flush=True),
        )  # fmt: skip
        print("Preference by type per specialty (US MD, DO, US-citizen IMG, non-US IMG):")
        for name, b in bias.items():
            print(f"  {name}: {b}")
        return

    if "--selection" in sys.argv[1:]:
        cat = Catalogue.from_rows(synthetic_catalogue())
        shift = fit_selection_shift(cat)
        print("SELECTION_SHIFT (paste into interview.py):", shift)
        for kind in shift:
            before = recommended_interviews(cat, kind, 0.0)
            after = recommended_interviews(cat, kind, shift[kind])
            median = figures.INTERVIEW_MEDIANS[kind][1]
            print(f"  {kind}: recommended list {before:.1f} -> {after:.1f} (median {median})")
        return

    # ``--intercepts``: refit only the type intercepts and the history slope, keeping the
    # competition and score slopes (the full refit is noisy: see matchmodel.py).
    only = "--intercepts" in sys.argv[1:]
    cat = Catalogue.from_rows(synthetic_catalogue())
    cases = grid(cat)
    free = ("md", "do", "usimg", "img", "history") if only else None
    params = fit(cases, start=dict(CONVERSION) if only else None, free=free)
    rms = loss(cases, params) ** 0.5
    now = loss(cases, CONVERSION) ** 0.5
    print(f"RMS error with the constants now in matchmodel.py: {now:.3f}")
    print("Fitted conversion parameters (paste into matchmodel.py):")
    for k, v in params.items():
        print(f"  {k}: {v:.3f}")
    print(f"RMS error of P(match), analytic vs simulated, over {len(cases)} cases: {rms:.3f}")
    worst = max(
        cases,
        key=lambda c: abs(
            _analytic(c, params[c.kind], params["competition"], params["score"], params["history"])
            - c.simulated
        ),
    )
    a = _analytic(
        worst, params[worst.kind], params["competition"], params["score"], params["history"]
    )
    print(
        f"Worst: {worst.kind} {worst.specialty} {worst.score:.0f}: {a:.3f} vs {worst.simulated:.3f}"
    )


if __name__ == "__main__":
    main()
