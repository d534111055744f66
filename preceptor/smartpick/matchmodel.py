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
# simulated applicants, RMS error of P(match) 0.072) — see docs/smartpick.md.
CONVERSION = {
    "md": -0.281,
    "do": -0.266,
    "usimg": -0.945,
    "img": -0.719,
    "competition": 1.062,
    "score": 0.858,
}


def conversion(kind: str, score: float, typical: np.ndarray, comp: np.ndarray) -> np.ndarray:
    """P(match at a program | interviewed there and it is reached), per program."""
    x = (
        CONVERSION[kind]
        - CONVERSION["competition"] * comp
        + CONVERSION["score"] * (score - typical) / figures.STEP2_SD
    )
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
