"""From interviews to P(match): the fast analytic approximation.

An applicant who interviews at program ``j`` matches there, if nothing they ranked
higher takes them, with probability ``q_j`` (the *conversion*). Outcomes are
independent given the applicant-level shock ``Z`` of the interview model, so::

    P(match) = E_Z [ 1 - prod_j (1 - P(interview_j | Z) * q_j) ]

computed with Gauss-Hermite quadrature over ``Z``. The shared shock is what makes a long
list worth less than independent coin flips would say (correlated outcomes, diminishing
returns). The conversion intercepts by type are fitted so that a typical applicant of
each type, with the published median applications, matches at the published NRMP 2025
rate; :mod:`preceptor.smartpick.simulation` checks the approximation against the Match
engine (``tests/smartpick/test_simulation.py``).

Examples
--------
>>> import numpy as np
>>> round(p_match(np.array([0.0, 0.0, 0.0]), np.full(3, 0.5), shock_sd=0.0), 4)
0.5781
"""

from __future__ import annotations

import functools

import numpy as np

from . import figures
from .interview import (
    PARAMS,
    TYPE_STEP2,
    Params,
    _typical,
    interview_logit,
    shock_nodes,
    type_intercepts,
)

__all__ = ["CONVERSION_SCORE", "conversion", "conversion_intercepts", "p_match", "p_match_nodes"]

# Programs rank their interviewees largely by score: log-odds of conversion per SD of
# Step 2 CK above the program's typical interviewed applicant [assumption].
CONVERSION_SCORE = 0.6


def conversion(
    kind: str,
    score: float,
    typical: np.ndarray,
    *,
    intercepts: dict[str, float] | None = None,
) -> np.ndarray:
    """P(match at a program | interviewed there and it is reached), per program."""
    c = (intercepts or conversion_intercepts())[kind]
    x = c + CONVERSION_SCORE * (score - typical) / figures.STEP2_SD
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


def _typical_p_match(kind: str, c: float, params: Params) -> float:
    apps, _ = figures.INTERVIEW_MEDIANS[kind]
    a, progs, signal = _typical(kind, apps)
    logit = interview_logit(a, progs, signal, params=params, intercepts=type_intercepts(params))
    typical = progs.spec_mean + params.points_per_z * progs.z
    q = conversion(kind, TYPE_STEP2[kind], typical, intercepts={kind: c})
    return p_match(logit, q, shock_sd=params.shock_sd)


@functools.cache
def conversion_intercepts(params: Params = PARAMS) -> dict[str, float]:
    """Fit each type's conversion intercept to its NRMP 2025 match rate (bisection)."""
    out = {}
    for kind, fig in figures.MATCH_RATE_2025.items():
        lo, hi = -10.0, 10.0
        for _ in range(60):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if _typical_p_match(kind, mid, params) < fig.value else (lo, mid)
        out[kind] = (lo + hi) / 2
    return out
