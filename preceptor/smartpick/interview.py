"""P(interview | application): a logistic model fitted to the published figures.

Pure NumPy; no Django. For one applicant and an array of programs::

    logit P = base[type] + specialty competition + score term + signal + geography
              + visa + flags + research/honours/US clinical experience

and each term's coefficient is fixed by one figure of DOMAIN.md §6 (see
``docs/smartpick.md``, "Which figure fixes which parameter"). Type intercepts are
*fitted* at import: for each type a typical internal medicine applicant applying to the
published median number of programs gets the published median number of interviews.

Examples
--------
>>> import numpy as np
>>> a = Applicant(kind="md", step2=250)
>>> progs = ProgramArrays.uniform(5, specialty="Internal Medicine")
>>> p_none = interview_probability(a, progs, np.zeros(5, dtype=np.int8))
>>> p_gold = interview_probability(a, progs, np.full(5, GOLD, dtype=np.int8))
>>> bool((p_gold > p_none).all())
True
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from . import figures

__all__ = [
    "GOLD",
    "NO_SIGNAL",
    "PARAMS",
    "SILVER",
    "Applicant",
    "ProgramArrays",
    "comlex_to_step2",
    "expected_interviews_typical",
    "img_openness",
    "interview_probability",
    "page_intercepts",
    "type_intercepts",
]

NO_SIGNAL, SILVER, GOLD = 0, 1, 2


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


# See Params.score and Params.history.
SCORE_SLOPE = 0.3
HISTORY_EXPONENT = 2.5


@dataclass(frozen=True)
class Params:
    # Signals: one IM program's profile, 36% gold / 25% silver / 4% none [reported].
    gold: float = _logit(figures.SIGNAL_PROFILE["gold"]) - _logit(figures.SIGNAL_PROFILE["none"])
    silver: float = _logit(figures.SIGNAL_PROFILE["silver"]) - _logit(
        figures.SIGNAL_PROFILE["none"]
    )
    # In-state (or a declared tie): the same profile, 37% vs 4% [reported]. Half of the
    # raw log-odds gap, because in-state applicants there were also the stronger ones
    # (a model choice; see docs).
    in_state: float = 0.5 * (
        _logit(figures.SIGNAL_PROFILE["in_state"]) - _logit(figures.SIGNAL_PROFILE["out_of_state"])
    )
    # Score: log-odds per SD (13 points) of Step 2 CK above the program's typical
    # interviewed applicant. Bounded by the match rate of US MD seniors by Step 2 CK band
    # (figures.MATCH_BY_STEP2_US_MD, Charting Outcomes as summarised [reported]): a
    # typical internal medicine list reproduces its log-odds rise from 225 to 265 at
    # 0.14 (``fit.score_slope_from_bands``), a lower bound because the published curve
    # pools specialties chosen by score; 0.3 rises 1.31 times as much (the test allows
    # 1 to 1.5: test_the_score_effect_stays_near_the_published_rise_of_the_match_rate).
    # It was 0.6 (1.9 times), chosen by calibrate's matched-unmatched gap, now a check.
    score: float = SCORE_SLOPE
    # Program competitiveness moves its typical interviewed score by this many points
    # per unit of competitiveness [assumption].
    points_per_z: float = 4.0
    # Specialty competition: log-odds per log of applicants per position, relative to
    # internal medicine (1.51) [assumption, anchored on NRMP 2024 applicants per position].
    competition: float = 1.5
    # 61% of programs had a Step 1 floor (2018 program director survey) [secondary]:
    # a failed attempt keeps 39% of the chance at each program.
    fail_factor: float = 0.39
    red_flag_factor: float = 0.5  # [assumption]
    # A visa need at a program that does not sponsor: about 0% [reported profile].
    no_visa: float = -5.0
    research_per_item: float = 0.04  # [assumption], at most +0.4
    honors: float = 0.3  # [assumption]
    usce_per_month: float = 0.08  # [assumption], at most +0.8, IMGs only
    # Programs that went unfilled complete fewer interviews per position: a program
    # that filled a share h of its positions over five years interviews h ** history
    # as many per position as one that always filled (the simulation's mechanism,
    # fixed by the NRMP Program Results [NRMP]; see simulation.interview_share). In the
    # interview model it is a factor on the odds, so that the analytic chance at such a
    # program agrees with the simulated market instead of favouring it.
    history: float = HISTORY_EXPONENT
    # Applicant-level shock shared by all of one applicant's applications (a season's
    # luck, the strength of letters): the source of correlated outcomes [assumption].
    shock_sd: float = 0.8


PARAMS = Params()

# IMG openness by program setting, an odds factor on an IMG applicant's interview:
# internal medicine program directors allocated 45% of community programs' and 15% of
# university programs' interview and ranking places to IMGs in 2017 (Reddy et al.,
# "Where Do International Medical Graduates Matriculate for Internal Medicine
# Training?", J Gen Intern Med 2021 [secondary]); community x1.2 and university x0.4
# keep that 3:1 ratio. A program whose setting is unknown (or a community program
# affiliated with a university, which the figure does not split out) enters as the
# even mixture of the two, x0.8: between them, never the open end. The factors are
# relative to that mixture, which is also the typical set the intercepts are fitted on
# (so the published medians hold for a list of programs of unknown setting).
IMG_OPEN = {"community": 1.2, "university": 0.4}
IMG_OPEN_UNKNOWN = 0.5 * (IMG_OPEN["community"] + IMG_OPEN["university"])


def img_openness(settings: np.ndarray) -> np.ndarray:
    """The IMG odds factor of each program from its setting (``IMG_OPEN``; anything else,
    an empty setting included, is the mixture ``IMG_OPEN_UNKNOWN``).

    >>> img_openness(np.array(["community", "university", "", "community_university"]))
    array([1.2, 0.4, 0.8, 0.8])
    """
    return np.array([IMG_OPEN.get(str(s), IMG_OPEN_UNKNOWN) for s in settings], dtype=float)


# Typical Step 2 CK by type [assumption, around the 250.4 mean of matched applicants].
TYPE_STEP2 = {"md": 249.0, "do": 244.0, "usimg": 238.0, "img": 240.0}


def comlex_to_step2(comlex: float) -> float:
    """Convert a COMLEX Level 2-CE score to a Step 2 CK equivalent.

    Linear equating of the two score distributions: COMLEX Level 2-CE mean about 600
    and SD about 90 for DO seniors, Step 2 CK mean about 246 and SD about 15 for the same
    population [assumption, reported national summaries]. An estimate only; the page
    says the score was converted.

    >>> comlex_to_step2(600), round(comlex_to_step2(690))
    (246.0, 261)
    """
    return 246.0 + (comlex - 600.0) * 15.0 / 90.0


@dataclass(frozen=True)
class Applicant:
    kind: str = "md"  # md, do, usimg, img
    step2: float | None = None
    step1_failed: bool = False
    extra_attempts: int = 0
    red_flags: bool = False
    research: int = 0
    honors: bool = False
    usce_months: int = 0
    needs_visa: bool = False
    home_state: str = ""
    school_state: str = ""
    tie_states: tuple[str, ...] = ()

    @property
    def score(self) -> float:
        return self.step2 if self.step2 is not None else TYPE_STEP2[self.kind]

    @property
    def is_img(self) -> bool:
        return self.kind in ("usimg", "img")


@dataclass(frozen=True)
class ProgramArrays:
    """Per-program arrays the models need (one row per program)."""

    spec_mean: np.ndarray  # typical Step 2 CK of the specialty
    comp: np.ndarray  # log(applicants per position / 1.51)
    z: np.ndarray  # program competitiveness (0 = typical)
    state: np.ndarray  # USPS code, dtype object/str
    # Chance that the program sponsors visas: 1 or 0 where known, the specialty's
    # share where unknown (figures.visa_share) -- never "yes" by default.
    visa: np.ndarray
    quota: np.ndarray
    # Share of positions filled over the program's history (None: every one filled).
    history: np.ndarray | None = None
    # Odds factor on an IMG applicant's interview at each program, by its setting
    # (``img_openness``); None: the typical mixture (IMG_OPEN_UNKNOWN).
    img_open: np.ndarray | None = None

    @property
    def n(self) -> int:
        return len(self.z)

    @classmethod
    def uniform(
        cls, n: int, *, specialty: str = "Internal Medicine", z: float = 0.0, state: str = "NY"
    ) -> ProgramArrays:
        s = figures.specialty(specialty)
        assert s is not None
        return cls(
            spec_mean=np.full(n, s.step2_mean),
            comp=np.full(n, math.log(s.applicants_per_position / 1.51)),
            z=np.full(n, z),
            state=np.array([state] * n, dtype=object),
            visa=np.ones(n),
            quota=np.full(n, max(1, round(s.program_size))),
        )

    def take(self, idx: np.ndarray) -> ProgramArrays:
        return ProgramArrays(
            self.spec_mean[idx],
            self.comp[idx],
            self.z[idx],
            self.state[idx],
            self.visa[idx],
            self.quota[idx],
            None if self.history is None else self.history[idx],
            None if self.img_open is None else self.img_open[idx],
        )


def interview_logit(
    a: Applicant,
    progs: ProgramArrays,
    signal: np.ndarray,
    *,
    params: Params = PARAMS,
    intercepts: dict[str, float] | None = None,
) -> np.ndarray:
    """Log-odds of an interview at each program (before the applicant-level shock)."""
    base = (intercepts or type_intercepts())[a.kind]
    typical = progs.spec_mean + params.points_per_z * progs.z
    x = base - params.competition * progs.comp
    x = x + params.score * (a.score - typical) / figures.STEP2_SD
    x = x + np.where(signal == GOLD, params.gold, np.where(signal == SILVER, params.silver, 0.0))
    local = {a.home_state, a.school_state, *a.tie_states} - {""}
    if local:
        x = x + params.in_state * np.isin(progs.state, list(local))
    if a.needs_visa:
        # The expected odds factor over "sponsors" (1) and "does not" (e ** no_visa):
        # strictly between the two when sponsorship is unknown.
        p = np.clip(np.asarray(progs.visa, dtype=float), 0.0, 1.0)
        x = x + np.log(p + (1 - p) * math.exp(params.no_visa))
    if a.is_img:
        # How open the program is to IMGs, by setting; the typical set the intercepts
        # are fitted on is of unknown setting, so unknown is the reference.
        open_ = IMG_OPEN_UNKNOWN if progs.img_open is None else progs.img_open
        x = x + np.log(np.asarray(open_, dtype=float) / IMG_OPEN_UNKNOWN)
    if progs.history is not None and params.history:
        x = x + params.history * np.log(np.clip(progs.history, 0.05, 1.0))
    x = x + min(0.4, params.research_per_item * a.research) + (params.honors if a.honors else 0)
    if a.is_img:
        x = x + min(0.8, params.usce_per_month * a.usce_months)
    factor = 1.0
    if a.step1_failed:
        factor *= params.fail_factor
    factor *= params.fail_factor ** max(0, a.extra_attempts)
    if a.red_flags:
        factor *= params.red_flag_factor
    # A multiplicative factor on the odds keeps the model logistic and monotone.
    return x + math.log(factor)


def interview_probability(
    a: Applicant,
    progs: ProgramArrays,
    signal: np.ndarray,
    *,
    params: Params = PARAMS,
    intercepts: dict[str, float] | None = None,
) -> np.ndarray:
    """P(interview) at each program for this applicant, averaged over the shock."""
    x = interview_logit(a, progs, signal, params=params, intercepts=intercepts)
    nodes, weights = shock_nodes(params.shock_sd)
    return (weights[None, :] / (1 + np.exp(-(x[:, None] + nodes[None, :])))).sum(axis=1)


@functools.cache
def shock_nodes(sd: float, k: int = 9) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Hermite nodes and weights for a normal shock with this SD."""
    x, w = np.polynomial.hermite_e.hermegauss(k)
    return x * sd, w / w.sum()


# The typical application set used to fit the intercepts: internal medicine programs of
# typical competitiveness, a sixth of them in the home state or a tie, with the IM
# signal allotment (3 gold, 7 silver) used on the first ten [assumption].
_TYPICAL_LOCAL_SHARE = 1 / 6


def _typical(kind: str, n: int) -> tuple[Applicant, ProgramArrays, np.ndarray]:
    a = Applicant(kind=kind, home_state="NY", needs_visa=False)
    progs = ProgramArrays.uniform(n, specialty="Internal Medicine", state="CA")
    local = round(n * _TYPICAL_LOCAL_SHARE)
    progs.state[:local] = "NY"
    signal = np.zeros(n, dtype=np.int8)
    signal[:3] = GOLD
    signal[3:10] = SILVER
    return a, progs, signal


def expected_interviews_typical(
    kind: str, n: int, *, intercepts: dict[str, float] | None = None, params: Params = PARAMS
) -> float:
    a, progs, signal = _typical(kind, n)
    return float(
        interview_probability(a, progs, signal, params=params, intercepts=intercepts).sum()
    )


# The shift of the page's interview log-odds for the list SmartPick itself chooses
# (docs/smartpick.md, "Selection"). The intercepts are fitted to what typical applicants
# report for the lists they chose; a list chosen *for* the model's interview chances
# (local programs, programs below the applicant's level, signals where they gain most)
# also collects the model's errors in its favour, so the model's estimate for it runs
# high (an independent check found 1.7 times the reported interviews for SmartPick's
# list, 2.3 for non-US IMGs, against 1.2 for random lists). The shift makes SmartPick's
# recommended list for a typical applicant of each type (its typical score, the
# published median number of applications, homes by population, the specialty's
# signals) expect the reported median interviews, no more: fixed by the reported
# medians, not by a calibration row, and never positive (a list the model already
# expects to do no better than the median is not raised). Computed by
# ``python -m preceptor.smartpick.fit --selection`` on the synthetic catalogue.
SELECTION_SHIFT: dict[str, float] = {"md": -0.52, "do": -0.21, "usimg": -0.08, "img": -0.09}


@functools.cache
def page_intercepts(params: Params = PARAMS) -> dict[str, float]:
    """The intercepts the pages use for the lists SmartPick recommends: the typical-set
    intercepts (:func:`type_intercepts`) plus ``SELECTION_SHIFT``."""
    return {k: v + SELECTION_SHIFT.get(k, 0.0) for k, v in type_intercepts(params).items()}


@functools.cache
def type_intercepts(params: Params = PARAMS) -> dict[str, float]:
    """Fit each type's intercept to the published IM medians (bisection)."""
    out: dict[str, float] = {}
    for kind, (apps, interviews) in figures.INTERVIEW_MEDIANS.items():
        lo, hi = -15.0, 5.0
        for _ in range(60):
            mid = (lo + hi) / 2
            got = expected_interviews_typical(kind, apps, intercepts={kind: mid}, params=params)
            lo, hi = (mid, hi) if got < interviews else (lo, mid)
        out[kind] = (lo + hi) / 2
    return out
