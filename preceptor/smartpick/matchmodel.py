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

from dataclasses import dataclass

import numpy as np

from . import figures
from .interview import PARAMS, TYPE_STEP2, _typical, interview_logit, shock_nodes

__all__ = [
    "CONVERSION",
    "UNCERTAINTY",
    "Ranges",
    "Uncertainty",
    "conversion",
    "p_interview",
    "p_match",
    "p_match_nodes",
    "ranges",
]

# Conversion log-odds: an intercept by applicant type, minus a slope on the specialty's
# competition (log of applicants per position relative to internal medicine), plus a
# slope on the score above the program's typical interviewed applicant (per SD).
# Fitted to the Match simulation by ``python -m preceptor.smartpick.fit`` (96
# simulated applicants). 2026-12-06, after the interview model's refit (score slope 0.3,
# the history factor on the interview odds, independent markets per simulation):
# ``fit --intercepts`` refitted the type intercepts and the history slope, keeping the
# competition and score slopes, RMS error of P(match) 0.088 (the constants before: 0.100;
# a full refit reached 0.077 but with competition 4.9 and score 1.1, and failed
# tests/smartpick/test_simulation.py's six profiles at 0.21). The last slope is on
# the program's fill history: programs that went unfilled interview fewer per position
# in the simulation (``simulation.HISTORY_EXPONENT``), so an interview there converts
# more often — see docs/smartpick.md.
CONVERSION = {
    "md": -0.094,
    "do": -0.032,
    "usimg": -0.906,
    "img": -0.773,
    "competition": 2.227,
    "score": 0.616,
    "history": 3.461,
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


@dataclass(frozen=True)
class Uncertainty:
    """How far the model's own parameters may plausibly be off (standard deviations).

    The ranges the pages show are 80% ranges over these, so they include the model's
    parameter uncertainty and not only Monte Carlo error.

    - ``interview``: every interview log-odds of one applicant together (the type
      intercepts rest on self-reported medians [reported]; an independent check found
      predicted interviews 1.2-1.7 times reported before this model's refit, log 1.5 =
      0.4) [assumption, sized by that check];
    - ``score``: the score slope, per SD of the applicant's score above the program's
      typical interviewed applicant (0.14-0.5 plausible, see interview.Params.score)
      [assumption];
    - ``conversion``: the conversion log-odds (fitted to the simulation with an RMS
      error of about 0.09 in P(match), about 0.4 on the log-odds scale) [assumption].
    """

    interview: float = 0.4
    score: float = 0.1
    conversion: float = 0.4


UNCERTAINTY = Uncertainty()
# Quantile of the standard normal at 90%: an 80% range is the mean +- this many SDs.
Z80 = 1.2815515655446004
# Parameter draws behind the ranges of sums (fixed, so a page shows the same range twice).
_DRAWS = np.random.default_rng(20261206).standard_normal((200, 3))


@dataclass(frozen=True)
class Ranges:
    """80% ranges over the parameter uncertainty (per program, and for the list)."""

    p_interview_low: np.ndarray
    p_interview_high: np.ndarray
    interviews_low: float
    interviews_high: float
    p_match_low: float
    p_match_high: float


def _expit(x: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-x))


def p_interview(logit: np.ndarray, *, shock_sd: float = PARAMS.shock_sd) -> np.ndarray:
    """P(interview) at each program, averaged over the applicant-level shock."""
    nodes, w = shock_nodes(shock_sd)
    return (w[None, :] * _expit(logit[:, None] + nodes[None, :])).sum(axis=1)


def ranges(
    logit: np.ndarray,
    gap: np.ndarray,
    q: np.ndarray,
    *,
    shock_sd: float = PARAMS.shock_sd,
    unc: Uncertainty = UNCERTAINTY,
    draws: np.ndarray | None = None,
) -> Ranges:
    """The 80% ranges of P(interview) at each program, of the expected interviews and of
    P(match) of the list, when the parameters vary as ``unc`` says.

    ``logit`` are the interview log-odds of the list, ``gap`` the applicant's score
    above each program's typical interviewed applicant in SDs, ``q`` the conversions.
    One parameter draw moves every interview log-odds by ``a + b * gap`` and every
    conversion log-odds by ``c``; P(interview) is monotone in its own shift, so its range
    is exact; the list's sums take the 10th and 90th percentiles over fixed draws.
    """
    d = _DRAWS if draws is None else draws
    sd_one = np.sqrt(unc.interview**2 + (unc.score * gap) ** 2)
    lo = p_interview(logit - Z80 * sd_one, shock_sd=shock_sd)
    hi = p_interview(logit + Z80 * sd_one, shock_sd=shock_sd)
    if len(logit) == 0:
        return Ranges(lo, hi, 0.0, 0.0, 0.0, 0.0)
    q_logit = np.log(np.clip(q, 1e-9, 1 - 1e-9) / np.clip(1 - q, 1e-9, 1))
    nodes, w = shock_nodes(shock_sd)
    x = logit[None, :] + unc.interview * d[:, :1] + unc.score * d[:, 1:2] * gap[None, :]
    qd = _expit(q_logit[None, :] + unc.conversion * d[:, 2:3])  # (draws, programs)
    p = _expit(x[:, :, None] + nodes[None, None, :])  # (draws, programs, nodes)
    interviews = (p * w[None, None, :]).sum(axis=(1, 2))
    matches = (1 - np.exp(np.log1p(-p * qd[:, :, None]).sum(axis=1))) @ w
    i_lo, i_hi = np.quantile(interviews, [0.1, 0.9])
    m_lo, m_hi = np.quantile(matches, [0.1, 0.9])
    return Ranges(lo, hi, float(i_lo), float(i_hi), float(m_lo), float(m_hi))
