"""From interviews to P(match): the fast analytic approximation.

An applicant who interviews at program ``j`` matches there, if nothing they ranked
higher takes them, with probability ``q_j`` (the *conversion*). Outcomes are
independent given the applicant-level shock ``Z`` of the interview model, so::

    P(match) = E_Z [ 1 - prod_j (1 - P(interview_j | Z) * q_j) ]

computed with Gauss-Hermite quadrature over ``Z``. The shared shock is what makes a long
list worth less than independent coin flips would say (correlated outcomes, diminishing
returns). The conversion is fitted to the Match simulation of
:mod:`preceptor.smartpick.simulation` (``python -m preceptor.smartpick.fit``), which is
itself checked against the published NRMP outcomes by ``manage.py calibrate``;
``tests/smartpick/test_simulation.py`` checks the agreement.

Examples
--------
>>> import numpy as np
>>> round(p_match(np.array([0.0, 0.0, 0.0]), np.full(3, 0.5), shock_sd=0.0), 4)
0.5781
"""

from __future__ import annotations

import numpy as np

from . import figures
from .interview import PARAMS, TYPE_STEP2, _typical, interview_logit, shock_nodes

__all__ = ["CONVERSION", "conversion", "p_match", "p_match_nodes"]

# Conversion log-odds: an intercept by applicant type, minus a slope on the specialty's
# competition (log of applicants per position relative to internal medicine), plus a
# slope on the score above the program's typical interviewed applicant (per SD).
# Fitted to the Match simulation by ``python -m preceptor.smartpick.fit`` (96
# simulated applicants): RMS error of P(match) 0.088 with these constants (0.072 before
# the catalogue's lasting program fill). The fit is noisy and its grid's lists depend on
# the constants, so a rerun refits to 0.085-0.087 with other values; these are the
# last refit that also passes tests/smartpick/test_simulation.py. The last slope is on
# the program's fill history: programs that went unfilled interview fewer per position
# in the simulation (``simulation.HISTORY_EXPONENT``), so an interview there converts
# more often — see docs/smartpick.md.
CONVERSION = {
    "md": -0.688,
    "do": -0.094,
    "usimg": -0.781,
    "img": -0.617,
    "competition": 2.227,
    "score": 0.616,
    "history": 1.570,
}


def conversion(
    kind: str,
    score: float,
    typical: np.ndarray,
    comp: np.ndarray,
    history: np.ndarray | None = None,
) -> np.ndarray:
    """P(match at a program | interviewed there and it is reached), per program.

    ``history`` is the share of positions the program filled over its history: a
    program that went unfilled interviews fewer applicants per position (the
    simulation's ``HISTORY_EXPONENT``), so an interview there converts more often.
    """
    x = (
        CONVERSION[kind]
        - CONVERSION["competition"] * comp
        + CONVERSION["score"] * (score - typical) / figures.STEP2_SD
    )
    if history is not None:
        x = x - CONVERSION["history"] * np.log(np.clip(history, 0.05, 1.0))
    return 1 / (1 + np.exp(-x))


def p_match_nodes(logit: np.ndarray, q: np.ndarray, *, shock_sd: float) -> np.ndarray:
    """P(match) at each quadrature node of the shock (for the optimizer)."""
    nodes, _ = shock_nodes(shock_sd)
    p = 1 / (1 + np.exp(-(logit[:, None] + nodes[None, :])))
    return 1 - np.exp(np.log1p(-p * q[:, None]).sum(axis=0))


def p_match(logit: np.ndarray, q: np.ndarray, *, shock_sd: float = PARAMS.shock_sd) -> float:
    """P(match) from the interview log-odds and conversions of the programs applied to."""
    _, w = shock_nodes(shock_sd)
    return float(w @ p_match_nodes(logit, q, shock_sd=shock_sd))


def typical_p_match(kind: str) -> float:
    """P(match) of the typical internal medicine applicant of a type (for calibrate)."""
    apps, _ = figures.INTERVIEW_MEDIANS[kind]
    a, progs, signal = _typical(kind, apps)
    logit = interview_logit(a, progs, signal)
    typical = progs.spec_mean + PARAMS.points_per_z * progs.z
    return p_match(logit, conversion(kind, TYPE_STEP2[kind], typical, progs.comp))
