"""Synthetic Match markets built from the interview model, solved by ``preceptor.match``.

Pure NumPy plus the Match engine's public API (:meth:`preceptor.match.Market.build`,
:func:`preceptor.match.solve`, :func:`preceptor.match.simulate.simulate`). Two uses:

- :func:`simulate_applicant` — the applicant's specialty as a market (a random subset of
  its programs that includes every program on the applicant's list, with competitors
  in the published ratio of applicants per position and the specialty's own mix of
  applicant types), with the applicant in it. The
  applicant enters as several *replicas*, each with its own draw of interviews, so one
  market covers both the interview lottery and the Match; each market is then solved
  many times with perturbed rank lists (Monte Carlo). Three independent markets
  (``MARKETS``) give the Monte Carlo error, which the 80% range combines with the
  model's parameter uncertainty.
- :func:`national_market` — every specialty of the catalogue at national size, for the
  calibration report (``manage.py calibrate``).

Competitors choose their specialty by applicant type (each specialty's published
applicants and share of US MD seniors, :func:`specialty_type_table`), some also rank a
backup specialty (:func:`_primary_backup`), apply like typical applicants of their
type (the published median numbers of applications), choose programs near their level
and near home, place their signals
on their favourites, get interviews by the interview model and rank every program that
interviewed them. Programs rank their interviewees by score, type and geography with
noise, as :mod:`preceptor.match.synthetic` does. Programs that went unfilled in past
years complete fewer interviews per position (:func:`interview_share`,
``HISTORY_EXPONENT``, fixed by the NRMP Program Results), which is what leaves family
medicine and transitional-year positions unfilled.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from preceptor.match import Market, solve
from preceptor.match.simulate import simulate

from . import figures
from .interview import (
    GOLD,
    HISTORY_EXPONENT,
    IMG_OPEN,
    IMG_OPEN_UNKNOWN,
    PARAMS,
    SELECTION_SHIFT,
    SILVER,
    TYPE_STEP2,
    Applicant,
    Params,
    img_openness,
    interview_logit,
    page_intercepts,
    type_intercepts,
)
from .matchmodel import Z80, conversion, p_interview, p_match, ranges
from .recommend import IM_COMPETITION, Catalogue, _program_arrays

__all__ = [
    "ApplicantSimulation",
    "NationalOutcome",
    "interview_share",
    "national_market",
    "persistence_fill",
    "simulate_applicant",
    "specialty_type_table",
    "typical_list_p_match",
]

KINDS = ("md", "do", "usimg", "img")
# Programs' preference by applicant type, in SDs of score (as preceptor.match.synthetic).
# Stronger against IMGs than the national engine's, tuned by ``manage.py calibrate``
# before 2026-12-06; not re-tuned since to the match rates by type that judge it. The
# same in every specialty (one per specialty: see NON_MD_SPLITS).
TYPE_BIAS = np.array([0.0, -0.2, -1.2, -1.4])
# Each specialty's applicants other than US MD seniors split into DO, US-citizen IMG and
# non-US IMG: "national" (the same split everywhere, in use) or "filled" (as its 2025
# filled positions split, ``figures.FILLED_BY_TYPE_2025``, where published). "filled"
# and a programs' preference by type per specialty fitted to the same shares
# (``fit.fit_type_bias``) were tried on 2026-12-06 and not kept; ``manage.py calibrate
# --experiment`` reruns them (docs/smartpick.md, "Calibration").
NON_MD_SPLITS = ("national", "filled")
# Share of non-US IMGs who need a visa [assumption, tuned by calibrate].
IMG_VISA_SHARE = 0.5
# Programs rank this share of the applicants they interviewed. The 2018 PD survey says
# about 80 of 120 [secondary], but in this model the third left out is exactly the
# applicants who would fill the last positions, and fill rates fell to 70%: every
# interviewee is ranked (calibrate shows the effect).
RANK_SHARE = 1.0
# NRMP 2025: active applicants (certified rank lists) and PGY-1 positions [NRMP].
RANK_LISTS_2025 = 47_208
PGY1_POSITIONS_2025 = 40_041
BACKUP_SHARE = 66_818 / 47_208 - 1  # about 0.42 [NRMP, derived]
# Which of a specialty's published applicants prefer it (the rest rank it as a backup),
# see _primary_backup: applicants who prefer a specialty, per position, grow as
# (applicants per position) ** PREFER_ELASTICITY, and are at least PREFER_FLOOR of its
# applicants [assumptions; 0.35 chosen by calibrate's fill rates, between 0 (every
# specialty draws the same number per position) and 1 (the same backup share
# everywhere, which left pediatrics and emergency medicine 10 points short)]. The
# floor keeps small specialties with many applicants per position (dermatology's 30
# PGY-1 positions, 295 applicants) from being made almost all of backups.
PREFER_ELASTICITY = 0.35
PREFER_FLOOR = 0.5
# Programs rank interviewees by score, type and geography plus a normal term with this
# SD (in score SDs) for everything else: interviews, letters, fit [assumption]. 1.0
# rather than 0.5, because 0.5 made rank lists almost pure score order and, with the
# interview model's score slope, the matched-unmatched gap of US MD seniors 14 points
# against the published 9-11 (calibrate).
RANK_NOISE = 1.0
# Interviews a program offers per position: about 120 invited (2018 PD survey) for a
# typical program of 8 to 10 positions [secondary, derived]; 12 makes the simulated
# internal medicine medians match the published ones (calibrate).
INVITES_PER_POSITION = 12.0
# Programs that went unfilled attract fewer interviewees: applicants see fill histories
# and prefer programs that fill, and such a program does not lower its bar to make up
# the difference, so a program that filled a share h of its positions over the last
# five years completes h ** HISTORY_EXPONENT as many interviews per position as one
# that always filled (the total of interviews in the market unchanged), and ranks only
# those (RANK_SHARE). The exponent is fixed by the NRMP Program Results (HISTORY_BINS,
# HISTORY_FILL_NEXT): programs that filled under 80% of their positions filled 76.7% of
# them the next year, those at 80-90% 91.7%; in the national simulation 2.5 gives about
# 73% and 97% (2.0: 80% and 97%; 3.0: 66% and 96%; 0: 97-99% in every group) [NRMP;
# the form h ** k is an assumption]. See docs/smartpick.md. Defined in interview.py,
# whose analytic model applies the same factor.
# Programs grouped by the share of positions they filled over their history (the last
# five years), and how such programs filled in the next Match: NRMP Program Results
# 2015-2019 -> 2020, categorical programs and the transitional year (the catalogue's
# tracks), weighted by 2020 positions [NRMP, derived from
# ``../shared/data/nrmp_program_results_2014_2020.csv``].
HISTORY_BINS = {
    "under 80%": (0.0, 0.8),
    "80-90%": (0.8, 0.9),
    "90-99%": (0.9, 0.999),
    "every position": (0.999, 1.01),
}
HISTORY_FILL_NEXT = {"under 80%": 0.767, "80-90%": 0.917, "90-99%": 0.959, "every position": 0.986}
# The same programs in finer groups, each from its lower edge up to the next edge: how
# much of its 2020 positions a program filled, by the share it filled over 2015-2019
# [NRMP, derived from the same file]. Printed by calibrate beside the simulated fill
# of the same groups (NationalOutcome.fill_by_history_fine) and used by
# :func:`persistence_fill`; not targets.
PERSISTENCE_EDGES = (0.0, 0.5, 0.7, 0.8, 0.85, 0.9, 0.95, 0.999)
PERSISTENCE_FILL_NEXT = (0.609, 0.811, 0.879, 0.896, 0.931, 0.957, 0.961, 0.986)
# The same, within one specialty, in the four HISTORY_BINS groups: how the specialty's
# own programs filled in 2020 by the share they filled over 2015-2019 [NRMP, derived from
# the same file]. Only where each group held at least 50 of the specialty's 2020
# positions; the pooled groups above mix specialties of different mean fill, so they
# regress towards the pooled mean (98%), while within a specialty the next year's fill
# stays near the specialty's own history (family medicine 93.1% over 2015-2019 and
# 94.0% in 2020, the transitional year 87.5% and 88.3%, internal medicine 96.8% and
# 96.2%). Used by :func:`own_persistence_fill`; not targets.
SPECIALTY_FILL_NEXT: dict[str, tuple[float, float, float, float]] = {
    "Anesthesiology": (1.0, 1.0, 1.0, 1.0),
    "Family Medicine": (0.794, 0.896, 0.951, 0.968),
    "Internal Medicine": (0.700, 0.893, 0.945, 0.981),
    "Transitional Year": (0.661, 0.761, 0.952, 0.956),
}


@dataclass(frozen=True)
class Competitors:
    kind: np.ndarray  # index into KINDS
    score: np.ndarray
    state: np.ndarray
    specialty: np.ndarray  # index into the list of specialties in play
    n_apps: np.ndarray
    backup: np.ndarray  # second specialty index, -1 for none
    n_backup: np.ndarray  # applications spent on it


def _spec_arrays(cat: Catalogue, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    spec = {s.name: s for s in figures.SPECIALTIES}
    mean = np.array([spec[s].step2_mean if s in spec else 250.0 for s in cat.specialty[idx]])
    comp = np.array(
        [
            np.log(spec[s].applicants_per_position / IM_COMPETITION) if s in spec else 0.0
            for s in cat.specialty[idx]
        ]
    )
    return mean, comp


def specialty_type_table(specs: list[str], non_md_split: str = "national") -> np.ndarray:
    """Applicants of each specialty (rows) by type (columns, as KINDS); see below."""
    return _type_table(tuple(specs), non_md_split).copy()


@functools.cache
def _type_table(specs: tuple[str, ...], non_md_split: str = "national") -> np.ndarray:
    """Applicants of each specialty (rows) by type (columns, as KINDS).

    Rows sum to the specialty's NRMP 2024 applicants and the US MD column follows the
    published share of US MD seniors among them (``figures.US_MD_SHARE_2024``, NRMP
    Results and Data 2024 [NRMP]); columns are in proportion to the 2025 counts of active
    applicants by type [NRMP]. NRMP's summary does not split the other applicants into
    DO, US-citizen IMG and non-US IMG by specialty, so those three start from the same
    split everywhere [assumption]; iterative proportional fitting then meets both
    margins, which keeps the specialty-by-type odds ratios of that start. A specialty
    with few US MD seniors thus draws proportionally more DOs and IMGs. (Starting from
    each specialty's 2025 split of filled positions, ``figures.FILLED_BY_TYPE_2025``,
    was tried: see docs/smartpick.md, "Calibration".)
    """
    by_name = {s.name: s for s in figures.SPECIALTIES}
    applicants = np.array([by_name[s].applicants for s in specs], dtype=float)
    md = np.array([figures.US_MD_SHARE_2024.get(s, 0.5) for s in specs])
    counts = np.array([figures.TYPE_COUNT_2025[k] for k in KINDS], dtype=float)
    national = counts[1:] / counts[1:].sum()
    other = np.array([_non_md_split(s, national, non_md_split) for s in specs])
    table = applicants[:, None] * np.c_[md, (1 - md)[:, None] * other]
    cols = counts / counts.sum() * applicants.sum()
    for _ in range(200):
        table *= (applicants / table.sum(axis=1))[:, None]
        table *= (cols / table.sum(axis=0))[None, :]
    return table


def _non_md_split(name: str, national: np.ndarray, how: str) -> np.ndarray:
    """How a specialty's applicants other than US MD seniors start split into DO,
    US-citizen IMG and non-US IMG: as the national applicants, or with ``how="filled"``
    as the same three types split its filled positions (``figures.FILLED_BY_TYPE_2025``)
    where published."""
    if how not in NON_MD_SPLITS:
        raise ValueError(f"unknown split of the non-MD applicants: {how!r}")
    if how == "national" or name not in figures.FILLED_BY_TYPE_2025:
        return national
    _, do, usimg, img = figures.FILLED_BY_TYPE_2025[name]
    got = np.array([do, usimg, img], dtype=float)
    return got / got.sum()


@functools.cache
def _primary_backup(
    specs: tuple[str, ...], non_md_split: str = "national"
) -> tuple[np.ndarray, np.ndarray]:
    """Split :func:`_type_table` into preferred-specialty and backup applicants.

    NRMP counts an applicant once in every specialty ranked: 66,818 applicant-
    specialties for 47,208 applicants (2024 PGY-1 table, 2025 totals [NRMP]), so about
    70.7% of each specialty's count are applicants who prefer it, on average. Where the
    excess sits is not published; we assume that preferring applicants per position
    grow slowly with the published applicants per position, as
    ``r * (applicants / positions) ** PREFER_ELASTICITY``, capped by the applicants and
    at least ``PREFER_FLOOR`` of them, and that the rest rank it as a backup
    [assumption]: where applicants barely exceed positions (pediatrics 1.15, emergency
    medicine 1.18 per position) nearly all prefer it, while much of the surplus of
    internal medicine, surgery and the transitional year is other specialties' backup.
    ``r`` makes the preferring applicants 70.7% of all applicant-specialties. Every
    type in a specialty has the same preferring share (a type-specific share, with IMGs
    ranking more categorical specialties than US MD seniors, changed no fill rate by
    more than a point in calibrate).
    """
    by_name = {s.name: s for s in figures.SPECIALTIES}
    table = _type_table(specs, non_md_split)
    applicants = table.sum(axis=1)
    positions = np.array([by_name[s].positions for s in specs], dtype=float)
    want = applicants.sum() / (1 + BACKUP_SHARE)
    lo, hi = 0.0, float((applicants / positions).max()) * 2
    for _ in range(60):
        r = (lo + hi) / 2
        got = _preferring(r, applicants, positions)
        lo, hi = (r, hi) if got.sum() < want else (lo, r)
    primary = _preferring(lo, applicants, positions)
    share = (primary / applicants)[:, None]
    return table * share, table * (1 - share)


def _preferring(r: float, applicants: np.ndarray, positions: np.ndarray) -> np.ndarray:
    per_position = r * (applicants / positions) ** PREFER_ELASTICITY
    return np.minimum(applicants, np.maximum(per_position * positions, PREFER_FLOOR * applicants))


def _draw_competitors(
    rng: np.random.Generator,
    n: int,
    *,
    table: np.ndarray | None = None,
    kind_p: np.ndarray | None = None,
    backup_table: np.ndarray | None = None,
) -> Competitors:
    """``n`` competitors. With ``table`` (specialties by type, see
    :func:`specialty_type_table`) each draws a type in the 2025 mix, then a specialty
    in proportion to its applicants of that type; without it everyone is in specialty
    0 and types follow ``kind_p`` (that specialty's type mix) or the 2025 mix."""
    counts = np.array([figures.TYPE_COUNT_2025[k] for k in KINDS], dtype=float)
    p_kind = counts / counts.sum() if kind_p is None else kind_p / kind_p.sum()
    kind = rng.choice(4, size=n, p=p_kind)
    base = np.array([TYPE_STEP2[k] for k in KINDS])
    score = np.clip(base[kind] + rng.normal(scale=figures.STEP2_SD, size=n), 200, 290)
    states = list(figures.STATE_POP)
    pop = np.array([figures.STATE_POP[s] for s in states])
    state = np.array(states, dtype=object)[rng.choice(len(states), size=n, p=pop / pop.sum())]
    specialty = np.zeros(n, dtype=np.int64)
    backup = np.full(n, -1, dtype=np.int64)
    if table is not None:
        prim, back = table if backup_table is None else (table, backup_table)
        for k in range(4):
            who = np.flatnonzero(kind == k)
            p = prim[:, k] / prim[:, k].sum()
            specialty[who] = rng.choice(len(p), size=len(who), p=p)
            if backup_table is None:
                continue
            # Some applicants also apply in a backup specialty (see national_market),
            # spending about a third of their applications there [assumption]; it is
            # drawn from the backup applicants of their type (_primary_backup).
            b = who[rng.random(len(who)) < back[:, k].sum() / prim[:, k].sum()]
            pb = back[:, k] / back[:, k].sum()
            backup[b] = rng.choice(len(pb), size=len(b), p=pb)
        backup[backup == specialty] = -1
    medians = np.array([figures.INTERVIEW_MEDIANS[k][0] for k in KINDS])
    n_apps = np.maximum(1, np.round(medians[kind] * rng.lognormal(-0.08, 0.4, size=n)))
    n_backup = np.where(backup >= 0, np.round(n_apps * 0.35), 0).astype(np.int64)
    return Competitors(kind, score, state, specialty, n_apps.astype(np.int64), backup, n_backup)


def _competitor_lists(
    rng: np.random.Generator,
    cat: Catalogue,
    pools: list[np.ndarray],
    comp: Competitors,
    signals: list[tuple[int, int]],
    tol: float = 0.0,
) -> tuple[list[list[int]], np.ndarray, np.ndarray]:
    """Each competitor's interviews (catalogue indices, preference order), whether each
    needs a visa, and each program's interview offset (``tol``: see _program_offsets)."""
    intercept = type_intercepts()
    icpt = np.array([intercept[k] for k in KINDS])
    n = len(comp.kind)
    shock = rng.normal(scale=PARAMS.shock_sd, size=n)
    visa_need = (comp.kind == 3) & (rng.random(n) < IMG_VISA_SHARE)
    sponsors = _draw_sponsorship(rng, cat)
    # IMGs' interview odds by program setting (interview.IMG_OPEN), as on the page.
    img_open = np.log(img_openness(cat.setting) / IMG_OPEN_UNKNOWN)
    fa, fp, fx, ft = [], [], [], []  # flat (competitor, program, logit, taste)
    jobs = []
    for s, pool in enumerate(pools):
        primary = np.flatnonzero(comp.specialty == s)
        jobs.append((s, pool, primary, comp.n_apps[primary] - comp.n_backup[primary], 3.0))
        second = np.flatnonzero(comp.backup == s)
        jobs.append((s, pool, second, comp.n_backup[second], 0.0))
    for s, pool, who, n_apps, bonus in jobs:
        if len(who) == 0 or len(pool) == 0:
            continue
        mean, spec_comp = _spec_arrays(cat, pool)
        typical = mean + PARAMS.points_per_z * cat.z[pool]
        gold, silver = signals[s]
        for lo in range(0, len(who), 512):
            c = who[lo : lo + 512]
            k = np.minimum(n_apps[lo : lo + 512], len(pool))
            local = cat.state[pool][None, :] == comp.state[c][:, None]
            level = (comp.score[c][:, None] - typical[None, :]) / figures.STEP2_SD
            # Where they apply: near their level, near home, plus taste.
            pref = _application_preference(rng, level, local)
            top = np.argsort(-pref, axis=1)[:, : k.max()]
            keep = np.arange(top.shape[1])[None, :] < k[:, None]
            sig = np.zeros(top.shape, dtype=np.int8)
            sig[:, :gold] = GOLD
            sig[:, gold : gold + silver] = SILVER
            lv = np.take_along_axis(level, top, 1)
            lc = np.take_along_axis(local, top, 1)
            x = (
                icpt[comp.kind[c]][:, None]
                - PARAMS.competition * spec_comp[top]
                + PARAMS.score * lv
                + np.where(sig == GOLD, PARAMS.gold, np.where(sig == SILVER, PARAMS.silver, 0.0))
                + PARAMS.in_state * lc
                + shock[c][:, None]
            )
            x = x + np.where(visa_need[c][:, None] & ~sponsors[pool][top], PARAMS.no_visa, 0)
            x = x + np.where(comp.kind[c][:, None] >= 2, img_open[pool][top], 0.0)
            taste = np.take_along_axis(pref, top, 1) + rng.normal(scale=0.7, size=top.shape)
            taste = taste + bonus  # the preferred specialty is ranked first
            fa.append(np.broadcast_to(c[:, None], top.shape)[keep])
            fp.append(pool[top][keep])
            fx.append(x[keep])
            ft.append(taste[keep])
    if not fa:
        return [[] for _ in range(n)], visa_need, np.zeros(cat.n)
    a, p, x, t = (np.concatenate(v) for v in (fa, fp, fx, ft))
    offsets = _program_offsets(cat, p, x, tol)
    x = x + offsets[p]
    got = rng.random(len(x)) < 1 / (1 + np.exp(-x))
    a, p, t = a[got], p[got], t[got]
    # They rank by their own taste: the application preference plus noise.
    order = np.lexsort((-t, a))
    a, p = a[order], p[order]
    lists: list[list[int]] = [[] for _ in range(n)]
    starts = np.flatnonzero(np.r_[True, a[1:] != a[:-1]]) if len(a) else np.zeros(0, int)
    ends = np.r_[starts[1:], len(a)]
    for s0, e0 in zip(starts.tolist(), ends.tolist(), strict=True):
        lists[int(a[s0])] = p[s0:e0].tolist()
    return lists, visa_need, offsets


def _draw_sponsorship(rng: np.random.Generator, cat: Catalogue) -> np.ndarray:
    """Whether each program sponsors visas in one simulated market: as recorded where
    known; where unknown, drawn with the specialty's share (``figures.visa_share``), so
    an unknown policy is neither a yes nor a no."""
    known = cat.visa >= 0
    out = cat.visa == 1
    if (~known).any():
        share = {s: figures.visa_share(s).value for s in set(cat.specialty[~known].tolist())}
        p = np.array([share[s] for s in cat.specialty[~known]])
        out[~known] = rng.random(len(p)) < p
    return out


def _application_preference(
    rng: np.random.Generator, level: np.ndarray, local: np.ndarray
) -> np.ndarray:
    """Where a typical applicant applies: near their level, near home, plus taste."""
    return -0.7 * np.abs(level) + 1.0 * local + rng.gumbel(size=level.shape)


def interview_share(cat: Catalogue, programs: np.ndarray) -> np.ndarray:
    """Interviews per position at each of ``programs``, relative to the average program
    in play: ``history_fill ** HISTORY_EXPONENT``, scaled so that the programs together
    hold as many interviews as INVITES_PER_POSITION per position (see HISTORY_EXPONENT).
    """
    w = np.clip(cat.history_fill[programs], 0.05, 1.0) ** HISTORY_EXPONENT
    q = cat.quota[programs]
    return w * (q.sum() / max(float((q * w).sum()), 1e-9))


def persistence_fill(cat: Catalogue, specialty: str) -> float:
    """The fill a specialty of the catalogue would have if each of its programs filled as
    real programs with the same five-year fill history filled the next year
    (PERSISTENCE_FILL_NEXT), weighted by positions. Not a simulation: it says how far
    the programs' own histories can take the specialty's fill, whatever mechanism turns
    history into fill, if programs with a given history behaved as they did in
    2015-2020. That is a reference, not a bound: the real groups regress towards the
    2015-2019 mean (98%), and a specialty whose programs fill 85% on average may regress
    towards less (see docs/smartpick.md).
    """
    pool = np.flatnonzero(cat.specialty == specialty)
    group = np.searchsorted(PERSISTENCE_EDGES, cat.history_fill[pool], side="right") - 1
    fill = np.array(PERSISTENCE_FILL_NEXT)[group]
    return float(np.average(fill, weights=cat.quota[pool]))


def own_persistence_fill(cat: Catalogue, specialty: str) -> float | None:
    """As :func:`persistence_fill`, with the specialty's own programs' persistence
    (SPECIALTY_FILL_NEXT, the four HISTORY_BINS groups) in place of the pooled one; None
    where the file holds too few of the specialty's programs in some group.
    """
    table = SPECIALTY_FILL_NEXT.get(specialty)
    if table is None:
        return None
    pool = np.flatnonzero(cat.specialty == specialty)
    h = np.clip(cat.history_fill[pool], 0.0, 1.0)  # an imported file may over-count
    fill = np.zeros(len(pool))
    for (lo, hi), next_fill in zip(HISTORY_BINS.values(), table, strict=True):
        fill[(h >= lo) & (h < hi)] = next_fill
    return float(np.average(fill, weights=cat.quota[pool]))


def _program_offsets(cat: Catalogue, p: np.ndarray, x: np.ndarray, tol: float = 0.0) -> np.ndarray:
    """Per-program shift of the interview log-odds (indexed by catalogue row) so that
    each program invites about INVITES_PER_POSITION per position times its
    :func:`interview_share` (or 90% of its applicants if fewer apply). With ``tol``,
    stop once every program is within ``tol`` interviews of its target (the national
    market keeps all 30 steps, so its report does not move)."""
    n = cat.n
    apps = np.bincount(p, minlength=n).astype(float)
    share = np.zeros(n)
    live = np.flatnonzero(apps > 0)
    share[live] = interview_share(cat, live)
    target = np.minimum(INVITES_PER_POSITION * cat.quota * share, 0.9 * apps)
    off = np.zeros(n)
    for _ in range(30):  # Newton steps on sum sigmoid(x + off) = target, per program
        s = 1 / (1 + np.exp(-(x + off[p])))
        got = np.bincount(p, weights=s, minlength=n)
        slope = np.bincount(p, weights=s * (1 - s), minlength=n) + 1e-9
        if tol and float(np.abs(target - got).max()) < tol:
            break
        off = np.clip(off + (target - got) / slope, -8, 8)
        off[apps == 0] = 0
    return off


def _program_lists(
    rng: np.random.Generator,
    cat: Catalogue,
    app_lists: list[list[int]],
    app_score: np.ndarray,
    app_kind: np.ndarray,
    app_state: np.ndarray,
    type_bias: dict[str, tuple[float, float, float, float]] | None = None,
) -> dict[int, list[int]]:
    """Programs rank their interviewees (RANK_SHARE of them), by score, type
    (:func:`type_bias_rows`) and geography plus noise."""
    pa = np.fromiter((a for a, lst in enumerate(app_lists) for _ in lst), dtype=np.int64)
    pp = np.fromiter((p for lst in app_lists for p in lst), dtype=np.int64)
    if len(pa) == 0:
        return {}
    bias = type_bias_rows(cat, type_bias or {})
    value = (
        app_score[pa] / figures.STEP2_SD
        + bias[pp, app_kind[pa]]
        + 0.3 * (cat.state[pp] == app_state[pa])
        + rng.normal(scale=RANK_NOISE, size=len(pa))
    )
    order = np.lexsort((-value, pp))
    pa, pp, value = pa[order], pp[order], value[order]
    starts = np.flatnonzero(np.r_[True, pp[1:] != pp[:-1]])
    ends = np.r_[starts[1:], len(pp)]
    out: dict[int, list[int]] = {}
    for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
        keep = max(1, int(np.ceil((e - s) * RANK_SHARE)))
        out[int(pp[s])] = pa[s : s + keep].tolist()
    return out


def type_bias_rows(
    cat: Catalogue, by_specialty: dict[str, tuple[float, float, float, float]]
) -> np.ndarray:
    """The programs' preference by applicant type at each catalogue row (rows by KINDS):
    the specialty's own where ``by_specialty`` gives one, TYPE_BIAS elsewhere."""
    names, inverse = np.unique(cat.specialty.astype(str), return_inverse=True)
    table = np.array([by_specialty.get(str(n), tuple(TYPE_BIAS)) for n in names], dtype=float)
    return table[inverse.ravel()]


def _build(
    cat: Catalogue,
    prog_idx: np.ndarray,
    app_lists: list[list[int]],
    prog_lists: dict[int, list[int]],
    ids: list[str],
    types: list[str],
) -> Market:
    code = cat.code
    quotas = {str(code[p]): int(cat.quota[p]) for p in prog_idx}
    return Market.build(
        quotas=quotas,
        applicant_rankings={ids[a]: [str(code[p]) for p in lst] for a, lst in enumerate(app_lists)},
        program_rankings={str(code[p]): [ids[a] for a in lst] for p, lst in prog_lists.items()},
        applicant_types=dict(zip(ids, types, strict=True)),
    )


@dataclass(frozen=True)
class ApplicantSimulation:
    p_match: float
    low: float
    high: float
    replicas: int
    draws: int
    programs: int
    positions: int
    competitors: int
    mean_interviews: float
    program_share: dict[str, float]  # P(matching at each program on the list)
    # Runs that ended on a couples cycle: left out of every figure above (docs/match.md).
    excluded_draws: int = 0


def simulate_applicant(
    cat: Catalogue,
    *,
    target: str,
    chosen: np.ndarray,
    logits: np.ndarray,
    kind: str,
    score: float,
    home_state: str,
    gold: int = 0,
    silver: int = 0,
    replicas: int = 16,
    draws: int = 100,
    max_positions: int = 1500,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> ApplicantSimulation:
    """P(match) of one applicant's list by simulating their specialty's Match.

    ``chosen`` are catalogue indices of the list (in the applicant's order), ``logits``
    the interview log-odds there (with the signals placed). ``progress(done, total)``
    is called as the market is built (its first quarter) and after every tenth of the
    Match draws, so a progress bar moves through the whole run.
    """
    total = draws + draws // 3  # building the market counts as a quarter of the run

    def report(done: int) -> None:
        if progress is not None:
            progress(min(done, total), total)

    rng = np.random.default_rng(seed)
    spec_all = np.flatnonzero(cat.specialty == target)
    inside = np.isin(spec_all, chosen)
    others = rng.permutation(spec_all[~inside])
    pool = list(chosen.tolist())
    positions = int(cat.quota[chosen].sum())
    for p in others.tolist():
        if positions >= max_positions:
            break
        pool.append(p)
        positions += int(cat.quota[p])
    pool_arr = np.array(pool, dtype=np.int64)
    fig = figures.specialty(target)
    ratio = fig.applicants_per_position if fig else 1.5
    n_comp = max(10, round(positions * ratio))
    # Competitors in the specialty's own mix of applicant types (NRMP 2024 US MD share).
    names = [s.name for s in figures.SPECIALTIES]
    mix = specialty_type_table(names)[names.index(fig.name)] if fig else None
    # Several independent markets, each with its own competitors and its share of the
    # replicas and runs: how much their estimates differ is the Monte Carlo error of the
    # result, competitors' draw included (one market's runs are not independent).
    n_markets = max(1, min(MARKETS, replicas))
    per_market: list[float] = []
    per_replica: list[float] = []
    share: dict[str, float] = {}
    interviews: list[int] = []
    excluded_draws = 0
    draws_each = max(1, draws // n_markets)
    total = draws_each * n_markets
    # Progress moves through building each market (a quarter of its run) and its draws.
    units = draws_each + draws_each // 3
    for m in range(n_markets):
        reps = replicas // n_markets + (m < replicas % n_markets)

        def step(done: int, _total: int, m: int = m) -> None:
            if progress is not None:
                progress(m * units + done, units * n_markets)

        got, shares, counts, reps_p, excluded = _one_market(
            rng, cat, pool_arr, n_comp, mix, chosen, logits, kind, score, home_state,
            gold, silver, reps, draws_each, seed * 7919 + m, step,
        )  # fmt: skip
        per_market.append(got)
        per_replica.extend(reps_p)
        excluded_draws += excluded
        interviews.extend(counts)
        for code, p in shares.items():
            share[code] = share.get(code, 0.0) + p / n_markets
    matched = float(np.mean(per_market))
    lo, hi = _simulated_range(
        cat, chosen, logits, kind, score, np.array(per_market), np.array(per_replica)
    )
    return ApplicantSimulation(
        p_match=matched,
        low=lo,
        high=hi,
        replicas=replicas,
        draws=total,
        programs=len(pool_arr),
        positions=positions,
        competitors=n_comp,
        mean_interviews=float(np.mean(interviews)),
        program_share=share,
        excluded_draws=excluded_draws,
    )


# Independent markets per applicant simulation (see simulate_applicant): three, so that
# their spread estimates the Monte Carlo error, at about three times one market's cost.
MARKETS = 3


def _one_market(
    rng: np.random.Generator,
    cat: Catalogue,
    pool_arr: np.ndarray,
    n_comp: int,
    mix: np.ndarray | None,
    chosen: np.ndarray,
    logits: np.ndarray,
    kind: str,
    score: float,
    home_state: str,
    gold: int,
    silver: int,
    replicas: int,
    draws: int,
    seed: int,
    progress: Callable[[int, int], None],
) -> tuple[float, dict[str, float], list[int], list[float], int]:
    """One simulated specialty market with ``replicas`` copies of the applicant: their
    mean P(match), their chance of matching at each program, their interview counts,
    each replica's P(match), and how many runs ended on a couples cycle (left out)."""
    comp = _draw_competitors(rng, n_comp, kind_p=mix)
    units = draws + draws // 3  # building the market counts as a quarter of its run

    def report(done: int) -> None:
        progress(min(done, units), units)

    lists, _, _ = _competitor_lists(rng, cat, [pool_arr], comp, [(gold, silver)], tol=0.01)
    report(draws // 6)
    # The applicant's replicas: one interview draw each, with the applicant-level shock.
    you_lists = []
    for _ in range(replicas):
        z = rng.normal(scale=PARAMS.shock_sd)
        got = rng.random(len(chosen)) < 1 / (1 + np.exp(-(logits + z)))
        you_lists.append(chosen[got].tolist())
    k = KINDS.index(kind)
    all_lists = lists + you_lists
    scores = np.r_[comp.score, np.full(replicas, score)]
    kinds = np.r_[comp.kind, np.full(replicas, k)]
    states = np.r_[comp.state, np.array([home_state] * replicas, dtype=object)]
    prog_lists = _program_lists(rng, cat, all_lists, scores, kinds, states)
    ids = [f"c{i}" for i in range(n_comp)] + [f"you{i}" for i in range(replicas)]
    types = [KINDS[i] for i in kinds.tolist()]
    market = _build(cat, pool_arr, all_lists, prog_lists, ids, types)
    report(draws // 3)
    sim = simulate(
        market, draws=draws, seed=seed, applicant_noise=1.0, program_noise=2.0,
        batch=max(4, -(-draws // 10)), progress=lambda done, _: report(draws // 3 + done),
    )  # fmt: skip
    you = np.arange(n_comp, n_comp + replicas)
    share: dict[str, float] = {}
    for r in range(replicas):
        for code, p in sim.program_probabilities(f"you{r}").items():
            share[code] = share.get(code, 0.0) + p / replicas
    reps = sim.p_matched[you]
    counts = [len(x) for x in you_lists]
    return float(reps.mean()), share, counts, reps.tolist(), sim.n_unstable


def _simulated_range(
    cat: Catalogue,
    chosen: np.ndarray,
    logits: np.ndarray,
    kind: str,
    score: float,
    per_market: np.ndarray,
    per_replica: np.ndarray,
) -> tuple[float, float]:
    """The 80% range of a simulated P(match): the Monte Carlo error combined on the
    log-odds scale with the model's parameter uncertainty (the analytic 80% range of the
    same list, :func:`.matchmodel.ranges`).

    The Monte Carlo error is the largest of three estimates: how much the independent
    markets' results differ (Student's t), how much the replicas' results differ, and
    the binomial error of that many replicas (so that a run where every replica matched
    is not taken as certain). A Wilson interval over one market's replicas x runs was
    too narrow: repeated simulations of one list fell outside each other's intervals.
    """
    progs = _program_arrays(cat, chosen)
    typical = progs.spec_mean + PARAMS.points_per_z * progs.z
    q = conversion(kind, score, typical, progs.comp, progs.history)
    rg = ranges(logits, (score - typical) / figures.STEP2_SD, q)
    param = (_logit(rg.p_match_high) - _logit(rg.p_match_low)) / 2
    p = float(np.mean(per_market))
    k, r = len(per_market), len(per_replica)
    # For the error: the replicas' estimate pulled half a replica towards even odds, so
    # that a run where every replica matched is not taken as certain.
    pc = (float(np.sum(per_replica)) + 0.5) / (r + 1)
    # Student's t at 90% for k - 1 degrees of freedom (k markets).
    t90 = {2: 3.078, 3: 1.886, 4: 1.638, 5: 1.533}.get(k, Z80)
    se = max(
        float(np.std(per_market, ddof=1)) / np.sqrt(k) if k > 1 else 0.0,
        float(np.std(per_replica, ddof=1)) / np.sqrt(r) if r > 1 else 0.0,
        float(np.sqrt(pc * (1 - pc) / max(r, 1))),
    )
    mc = t90 * se / (pc * (1 - pc))
    half = float(np.hypot(param, mc))
    edge = 0.5 / (r + 1)
    centre = _logit(min(max(p, edge), 1 - edge))
    # A run where every replica matched (or none did) still holds its own estimate.
    return min(p, _expit(centre - half)), max(p, _expit(centre + half))


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return float(np.log(p / (1 - p)))


def _expit(x: float) -> float:
    return float(1 / (1 + np.exp(-x)))


def selection_shift(
    cat: Catalogue,
    *,
    kind: str,
    applications: int,
    specialty: str = "Internal Medicine",
    applicants: int = 12,
    seed: int = 0,
    offsets: np.ndarray | None = None,
) -> dict[str, float]:
    """Expected interviews of the list SmartPick recommends and of a typical list of the
    same length, for applicants of one type at its typical score (homes drawn by
    population, the specialty's signals placed on each list's favourites), averaged.

    The type intercepts are fitted to what typical applicants report, so a list chosen
    for its interview chances is expected to do better than the reported medians; the
    ratio says by how much the model thinks so (docs/smartpick.md, "Selection"). With
    ``offsets`` (each program's shift of the interview log-odds in a simulated national
    market, which caps each program's interviews), it also gives what that market would
    give the same lists: the check of the estimate where everyone competes.
    """
    from .recommend import Request, recommend

    rng = np.random.default_rng(seed)
    fig = figures.specialty(specialty)
    gold, silver = (fig.signals_gold, fig.signals_silver) if fig else (0, 0)
    pool = np.flatnonzero(cat.specialty == specialty)
    progs = _program_arrays(cat, pool)
    typical = progs.spec_mean + PARAMS.points_per_z * progs.z
    states = list(figures.STATE_POP)
    pop = np.array([figures.STATE_POP[s] for s in states])
    # The market's own interview model: no history factor (its offsets do that job).
    market = dataclasses.replace(PARAMS, history=0.0)
    market_icpt = type_intercepts()
    keys = ("recommended", "recommended_unshifted", "typical", "recommended_market",
            "typical_market")  # fmt: skip
    out: dict[str, list[float]] = {k: [] for k in keys}
    draw = rng.choice(len(states), applicants, p=pop / pop.sum())
    homes = np.array(states, dtype=object)[draw]
    where = {int(g): i for i, g in enumerate(pool.tolist())}
    for home in homes.tolist():
        a = Applicant(kind=kind, step2=TYPE_STEP2[kind], home_state=str(home))
        rec = recommend(cat, Request(applicant=a, target=specialty, budget=applications,
                                     gold=gold, silver=silver))  # fmt: skip
        rec_idx = np.array([where[r.index] for r in rec.rows], dtype=np.int64)
        rec_sig = np.array([{"gold": GOLD, "silver": SILVER}.get(r.signal, 0) for r in rec.rows],
                           dtype=np.int8)  # fmt: skip
        pref = _application_preference(rng, (a.score - typical) / figures.STEP2_SD,
                                       progs.state == home)  # fmt: skip
        top = np.argsort(-pref)[:applications]
        sig = np.zeros(len(top), dtype=np.int8)
        sig[:gold] = GOLD
        sig[gold : gold + silver] = SILVER
        # SmartPick's list by the page's model (with SELECTION_SHIFT) and without the
        # shift; the typical list by the model fitted to typical lists.
        x = interview_logit(a, progs.take(rec_idx), rec_sig, intercepts=page_intercepts())
        out["recommended"].append(float(p_interview(x).sum()))
        for name, idx, sg in (("recommended", rec_idx, rec_sig), ("typical", top, sig)):
            x = interview_logit(a, progs.take(idx), sg)
            out["recommended_unshifted" if name == "recommended" else name].append(
                float(p_interview(x).sum())
            )
            if offsets is not None:
                xm = interview_logit(a, progs.take(idx), sg, params=market,
                                     intercepts=market_icpt) + offsets[pool[idx]]  # fmt: skip
                out[f"{name}_market"].append(float(p_interview(xm).sum()))
    return {k: float(np.mean(v)) for k, v in out.items() if v}


def typical_list_p_match(
    cat: Catalogue,
    *,
    kind: str,
    specialty: str,
    applications: int,
    score: float,
    applicants: int = 200,
    seed: int = 0,
    params: Params = PARAMS,
) -> float:
    """Mean P(match) of typical applicants' lists, not optimised ones.

    Each of ``applicants`` applicants (home state drawn by population) picks
    ``applications`` programs of the specialty as the simulated competitors do (near
    their level, near home, plus taste) and places no signals; P(match) is the analytic
    model's (:mod:`.matchmodel`, fitted to the simulation). For comparisons with
    published figures about what typical applicants achieved, such as Apply Smart's.
    """
    rng = np.random.default_rng(seed)
    pool = np.flatnonzero(cat.specialty == specialty)
    progs = _program_arrays(cat, pool)
    typical = progs.spec_mean + PARAMS.points_per_z * progs.z
    level = (score - typical) / figures.STEP2_SD
    states = list(figures.STATE_POP)
    pop = np.array([figures.STATE_POP[s] for s in states])
    homes = np.array(states, dtype=object)[
        rng.choice(len(states), size=applicants, p=pop / pop.sum())
    ]
    q = conversion(kind, score, typical, progs.comp, progs.history)
    out = []
    for home in homes.tolist():
        local = progs.state == home
        pref = _application_preference(rng, level, local)
        top = np.argsort(-pref)[:applications]
        a = Applicant(kind=kind, step2=score, home_state=home)
        logit = interview_logit(
            a, progs.take(top), np.zeros(len(top), dtype=np.int8),
            params=params, intercepts=type_intercepts(params),
        )  # fmt: skip
        out.append(p_match(logit, q[top]))
    return float(np.mean(out))


@dataclass(frozen=True)
class NationalOutcome:
    match_rate: dict[str, float]  # by applicant type
    fill_rate: dict[str, float]  # by specialty
    interviews: dict[str, float]  # median interviews of IM applicants by type
    applications: dict[str, float]  # their median applications
    matched_score: float  # all applicants, matched anywhere
    unmatched_score: float
    md_gap: float  # US MD seniors: matched minus unmatched in their preferred specialty
    type_share: dict[str, dict[str, float]]  # by specialty: share of its applicants by type
    # Fill of programs grouped by their own fill history (HISTORY_BINS): the figure that
    # fixes HISTORY_EXPONENT.
    fill_by_history: dict[str, float]
    # The same in the finer groups of PERSISTENCE_EDGES (NaN for an empty group).
    fill_by_history_fine: tuple[float, ...]
    # By specialty: competitors with at least one of its programs on their rank list, per
    # position -- what NRMP's applicants per position count (see national_market).
    rankers_per_position: dict[str, float]
    applicants: int
    positions: int
    stable: bool
    # By specialty: the share of its filled positions held by each applicant type.
    filled_by_type: dict[str, dict[str, float]] = dataclasses.field(default_factory=dict)
    # By specialty: the share of the competitors who prefer it that match in it, by type
    # (KINDS, and "imgs" for both IMG types together), as Charting Outcomes counts them.
    preferred_match: dict[str, dict[str, float]] = dataclasses.field(default_factory=dict)
    # By applicant type: expected interviews in internal medicine of SmartPick's list and
    # of a typical list, by the analytic model and in this market (selection_shift).
    selection: dict[str, dict[str, float]] = dataclasses.field(default_factory=dict)


def national_market(
    cat: Catalogue,
    *,
    seed: int = 0,
    scale: float = 1.0,
    type_bias: dict[str, tuple[float, float, float, float]] | None = None,
    non_md_split: str = "national",
    selection: bool = True,
) -> NationalOutcome:
    """Simulate a national Match over the catalogue (one solve) and tally outcomes.

    Applicants are spread over specialties by type, following NRMP 2024 applicants and
    US MD senior shares (the catalogue's specialties only; :func:`specialty_type_table`,
    :func:`_primary_backup`); their number is the 2024 ratio of rank lists to PGY-1 positions
    applied to the catalogue's positions (``scale`` samples a share of the programs).
    ``type_bias`` gives programs of some specialties their own preference by type in
    place of TYPE_BIAS, ``non_md_split`` the start of the type table (NON_MD_SPLITS):
    both for experiments (``fit.fit_type_bias``, ``calibrate --experiment``);
    ``selection=False`` skips the selection check.
    """
    rng = np.random.default_rng(seed)
    specs = sorted(cat.specialties())
    by_name = {s.name: s for s in figures.SPECIALTIES}
    specs = [s for s in specs if s in by_name]
    pools = [np.flatnonzero(cat.specialty == s) for s in specs]
    if scale < 1.0:
        pools = [rng.choice(p, size=max(1, round(len(p) * scale)), replace=False) for p in pools]
    positions = int(sum(cat.quota[p].sum() for p in pools))
    # The catalogue holds PGY-1 positions: applicants per PGY-1 position as in 2025,
    # 47,208 rank lists for 40,041 PGY-1 positions (NRMP, Results and Data 2025 press
    # release, 29 May 2025 [NRMP]); 2024 had 44,853 for 38,494.
    n = round(positions * RANK_LISTS_2025 / PGY1_POSITIONS_2025)
    # NRMP counts an applicant once in each specialty they rank: 66,818 applicant-
    # specialties for 47,208 applicants (2024 PGY-1 table and 2025 totals [NRMP]), so
    # about 0.42 extra specialties per applicant (BACKUP_SHARE). Primary and backup
    # specialties are both drawn from the applicants of the competitor's type
    # (specialty_type_table), so each specialty's applicants (primary + backup) follow
    # the published counts and its published share of US MD seniors.
    primary, backup = _primary_backup(tuple(specs), non_md_split)
    comp = _draw_competitors(rng, n, table=primary, backup_table=backup)
    signals = [(by_name[s].signals_gold, by_name[s].signals_silver) for s in specs]
    lists, _, offsets = _competitor_lists(rng, cat, pools, comp, signals)
    prog_lists = _program_lists(rng, cat, lists, comp.score, comp.kind, comp.state, type_bias)
    ids = [f"a{i}" for i in range(n)]
    prog_idx = np.concatenate(pools)
    market = _build(cat, prog_idx, lists, prog_lists, ids, [KINDS[k] for k in comp.kind])
    result = solve(market, certify=False)
    matched = result.program >= 0
    rate = {k: float(matched[comp.kind == i].mean()) for i, k in enumerate(KINDS)}
    fill = {}
    code_index = {c: i for i, c in enumerate(market.program_ids)}
    for s, pool in zip(specs, pools, strict=True):
        rows = [code_index[str(c)] for c in cat.code[pool]]
        fill[s] = float(result.fill[rows].sum() / market.quota[rows].sum())
    # The matched-unmatched score gap as Charting Outcomes measures it: US MD seniors by
    # preferred specialty, "matched" meaning matched in it; within-specialty gaps
    # averaged with the specialty's US MD applicants as weights.
    code_spec = np.empty(len(market.program_ids), dtype=np.int64)
    for si, pool in enumerate(pools):
        code_spec[[code_index[str(c)] for c in cat.code[pool]]] = si
    here = matched & (code_spec[np.maximum(result.program, 0)] == comp.specialty)
    gaps, weights = [], []
    for si in range(len(specs)):
        who = (comp.kind == 0) & (comp.specialty == si)
        yes, no = who & here, who & ~here
        if yes.sum() >= 5 and no.sum() >= 5:
            gaps.append(comp.score[yes].mean() - comp.score[no].mean())
            weights.append(who.sum())
    md_gap = float(np.average(gaps, weights=weights)) if gaps else float("nan")
    preferred_match = {}
    for si, name in enumerate(specs):
        groups = [comp.kind == i for i in range(len(KINDS))] + [comp.kind >= 2]
        preferred_match[name] = {
            k: float(here[who].mean()) if who.any() else float("nan")
            for k, g in zip((*KINDS, "imgs"), groups, strict=True)
            for who in [g & (comp.specialty == si)]
        }
    filled_by_type = {}
    for si, name in enumerate(specs):
        got = matched & (code_spec[np.maximum(result.program, 0)] == si)
        counts = np.bincount(comp.kind[got], minlength=4)
        filled_by_type[name] = {
            k: float(counts[i] / max(1, got.sum())) for i, k in enumerate(KINDS)
        }
    type_share = {}
    for si, name in enumerate(specs):
        who = (comp.specialty == si) | (comp.backup == si)
        counts = np.bincount(comp.kind[who], minlength=4)
        type_share[name] = {k: float(counts[i] / max(1, who.sum())) for i, k in enumerate(KINDS)}
    fill_by_history = {}
    all_rows = np.concatenate(pools)
    at = np.array([code_index[str(c)] for c in cat.code[all_rows]])
    hist = cat.history_fill[all_rows]
    for label, (lo, hi) in HISTORY_BINS.items():
        inside = (hist >= lo) & (hist < hi)
        if inside.any():
            got = result.fill[at[inside]].sum() / market.quota[at[inside]].sum()
            fill_by_history[label] = float(got)
    group = np.searchsorted(PERSISTENCE_EDGES, hist, side="right") - 1
    offered = np.bincount(group, weights=market.quota[at], minlength=len(PERSISTENCE_EDGES))
    filled = np.bincount(group, weights=result.fill[at], minlength=len(PERSISTENCE_EDGES))
    fine = tuple(float(f / o) if o else float("nan") for f, o in zip(filled, offered, strict=True))
    # NRMP counts an applicant in every specialty where they ranked a program (the 2024
    # PGY-1 rows sum to 66,818 applicants for 44,853 rank lists [NRMP]), so the
    # published applicants per position compare with the competitors who ranked a
    # program of the specialty, not with those who applied there: an applicant who got
    # no interview in a specialty ranks none of its programs.
    spec_of = np.full(cat.n, -1, dtype=np.int64)
    for si, pool in enumerate(pools):
        spec_of[pool] = si
    pa = np.fromiter((a for a, lst in enumerate(lists) for _ in lst), dtype=np.int64)
    ps = spec_of[np.fromiter((p for lst in lists for p in lst), dtype=np.int64)]
    pairs = np.unique(pa * len(specs) + ps)
    rankers = np.bincount(pairs % len(specs), minlength=len(specs))
    rankers_per_position = {
        name: float(rankers[si] / max(1, cat.quota[pool].sum()))
        for si, (name, pool) in enumerate(zip(specs, pools, strict=True))
    }
    im = specs.index("Internal Medicine") if "Internal Medicine" in specs else -1
    interviews, applications = {}, {}
    for i, k in enumerate(KINDS):
        who = np.flatnonzero((comp.kind == i) & (comp.specialty == im))
        if len(who):
            interviews[k] = float(np.median([len(lists[a]) for a in who]))
            applications[k] = float(np.median(comp.n_apps[who]))
    selection_by_kind = {}
    if im >= 0 and selection:
        for k in KINDS:
            selection_by_kind[k] = selection_shift(
                cat, kind=k, applications=figures.INTERVIEW_MEDIANS[k][0], applicants=8,
                seed=seed, offsets=offsets,
            )  # fmt: skip
    return NationalOutcome(
        selection=selection_by_kind,
        filled_by_type=filled_by_type,
        preferred_match=preferred_match,
        match_rate=rate,
        fill_rate=fill,
        interviews=interviews,
        applications=applications,
        matched_score=float(comp.score[matched].mean()),
        unmatched_score=float(comp.score[~matched].mean()),
        md_gap=md_gap,
        type_share=type_share,
        fill_by_history=fill_by_history,
        fill_by_history_fine=fine,
        rankers_per_position=rankers_per_position,
        applicants=n,
        positions=positions,
        stable=result.status == "converged",
    )


def parameter_table() -> list[dict[str, str]]:
    """The model's parameters, each with its value and the figure behind it (for the
    public page "How good are these numbers?"; docs/smartpick.md has the full table)."""
    from .matchmodel import UNCERTAINTY

    icpt = type_intercepts()
    sig = figures.SIGNAL_PROFILE
    rows = [
        ("Type intercepts (interview log-odds)",
         ", ".join(f"{k} {v:.2f}" for k, v in icpt.items()),
         "Internal medicine applicants 2023-24, median applications and interviews: US MD "
         "40 -> 13, US DO 67 -> 12, IMG 160 -> 4", "reported"),
        ("Step 2 CK slope", f"{PARAMS.score:.2f} log-odds per 13 points",
         "Match rate of US MD seniors by Step 2 CK band (Charting Outcomes as summarised; "
         "its pooled curve gives at least 0.14), checked by the matched-unmatched gap "
         "within a specialty (9-11 points, Charting Outcomes 2024)", "reported"),
        ("Gold / silver signal", f"+{PARAMS.gold:.2f} / +{PARAMS.silver:.2f}",
         f"One internal medicine program's profile: {sig['gold']:.0%} with gold, "
         f"{sig['silver']:.0%} silver, {sig['none']:.0%} none", "reported"),
        ("In state or tie", f"+{PARAMS.in_state:.2f}",
         "Same profile: 37% in-state vs 4% out of state, half the gap (a model choice)",
         "reported"),
        ("Program that went unfilled", f"odds x h^{PARAMS.history:g}",
         "NRMP Program Results 2015-2020: how programs with each fill history filled the "
         "next year", "NRMP"),
        ("Visa needed, program does not sponsor", f"{PARAMS.no_visa:+.1f}",
         "Same profile: about 0% for non-US IMGs", "reported"),
        ("Visa policy unknown", "the specialty's share of sponsoring programs",
         figures.VISA_SHARE_IM.source + "; other specialties assumed", "secondary"),
        ("IMG openness by program setting",
         ", ".join(f"{k} x{v:g}" for k, v in IMG_OPEN.items())
         + f", unknown x{IMG_OPEN_UNKNOWN:g} (the mixture)",
         "Reddy et al., J Gen Intern Med 2021: internal medicine programs gave IMGs 45% of "
         "community and 15% of university programs' interview and ranking places (2017)",
         "secondary"),
        ("SmartPick's own list (selection shift)",
         ", ".join(f"{k} {v:+.2f}" for k, v in SELECTION_SHIFT.items()),
         "the interview log-odds shift at which the list SmartPick recommends to a typical "
         "internal medicine applicant expects the reported median interviews, no more",
         "reported"),
        ("Programs' preference by applicant type",
         ", ".join(f"{k} {v:+.1f}" for k, v in zip(KINDS, TYPE_BIAS, strict=True)),
         "a model choice; calibrate prints who fills each specialty by type beside the "
         "2025 NRMP PGY-1 shares of filled positions", "assumption"),
        ("Specialty competition", f"-{PARAMS.competition:g} per log of applicants per position",
         "NRMP 2024 applicants per position; the slope is assumed", "assumption"),
        ("Applicant-level shock", f"SD {PARAMS.shock_sd:g}", "a model choice", "assumption"),
        ("Parameter uncertainty (80% ranges)",
         f"interview SD {UNCERTAINTY.interview:g}, score slope SD {UNCERTAINTY.score:g}, "
         f"conversion SD {UNCERTAINTY.conversion:g}",
         "sized by an independent check of predicted against reported interviews",
         "assumption"),
        ("Interviews per position", f"{INVITES_PER_POSITION:g}",
         "2018 program director survey: about 120 invited by a program of 8-10 positions",
         "secondary"),
    ]  # fmt: skip
    return [{"name": n, "value": v, "figure": f, "quality": q} for n, v, f, q in rows]
