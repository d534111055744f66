"""Fit the analytic match model's conversion to the Match simulation.

``python -m preceptor.smartpick.fit`` simulates a grid of applicants (four types, six
specialties, two scores, two budgets) in their specialty's Match
(:func:`.simulation.simulate_applicant`) and chooses the conversion parameters of
:mod:`.matchmodel` that make the analytic P(match) closest to the simulated one
(least squares on the log-odds, coordinate descent). It prints the constants to paste
into ``matchmodel.py``; ``tests/smartpick/test_simulation.py`` checks the agreement.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .catalogue import synthetic_catalogue
from .interview import PARAMS, TYPE_STEP2, Applicant
from .matchmodel import CONVERSION, p_match
from .recommend import Catalogue, Request, _program_arrays, recommend
from .simulation import simulate_applicant

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


def fit(cases: list[Case], start: dict[str, float] | None = None) -> dict[str, float]:
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
        for name in params:
            for d in (step, -step):
                trial = {**params, name: params[name] + d}
                if loss(cases, trial) < loss(cases, params):
                    params, improved = trial, True
        if not improved:
            step /= 2
    return params


def main() -> None:
    cat = Catalogue.from_rows(synthetic_catalogue())
    cases = grid(cat)
    params = fit(cases)
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
