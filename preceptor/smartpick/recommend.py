"""One full recommendation: candidates, interview and match models, optimizer, reasons.

Pure NumPy over a :class:`Catalogue` of arrays (built from the database by
:mod:`.services`, or from plain rows in tests and the benchmark).
"""

from __future__ import annotations

import copy
import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from preceptor.lib import text as words

from . import figures
from .catalogue import ProgramRow, Provenance, competitiveness, provenance
from .interview import (
    GOLD,
    NO_SIGNAL,
    PARAMS,
    SILVER,
    Applicant,
    ProgramArrays,
    img_openness,
    interview_logit,
    page_intercepts,
    shock_nodes,
)
from .matchmodel import conversion, ranges
from .optimizer import evaluate, match_by_level, optimise_with_floor

__all__ = ["WISHES", "Catalogue", "Recommendation", "Request", "recommend"]

# How much the applicant wants a program, as a share of a dream program: a match at a
# program they would rather not go to still beats not matching [assumption: equal
# steps]. A program they say nothing about is "fine"; with criteria used as
# preferences, one that meets every criterion is "would like". With no preference at
# all every program is fine, and the optimiser maximises P(match) alone.
WISHES: dict[str, tuple[str, float]] = {
    "dream": ("Dream", 1.0),
    "like": ("Would like", 0.75),
    "fine": ("Fine", 0.5),
    "avoid": ("Would rather not", 0.25),
}
DEFAULT_FLOOR = 0.9
# An application adds "almost nothing" when, after the programs above it on the list, it
# adds less than a tenth of a point to P(match) and to the value (in points of a dream
# match); the list size stops where one more application adds less than this.
SMALL_GAIN = 0.001

# Applications a typical applicant sends, by specialty and type, for the fees a shorter
# list saves (DOMAIN.md §6 source labels).
_IM_MEDIANS = (
    "internal medicine applicants 2023-24, self-reported medians [reported]"
)  # fmt: skip
_ALL_MEANS = (
    "AAMC preliminary ERAS data for the 2025 cycle (mid-October 2024), mean applications "
    "per applicant across all specialties, as reported by Medscape Medical News [secondary]"
)
TYPICAL_APPLICATIONS: dict[tuple[str, str], tuple[int, str]] = {
    ("Internal Medicine", "md"): (40, _IM_MEDIANS),
    ("Internal Medicine", "do"): (67, _IM_MEDIANS),
    ("Internal Medicine", "usimg"): (160, _IM_MEDIANS),
    ("Internal Medicine", "img"): (160, _IM_MEDIANS),
    **{
        ("Dermatology", k): (
            40,
            "AAMC preliminary ERAS data, dermatology 2025 cycle, mean per applicant "
            "(72 in 2023), as reported by Medscape Medical News [secondary]",
        )
        for k in ("md", "do", "usimg", "img")
    },
}
TYPICAL_BY_TYPE: dict[str, int] = {"md": 58, "do": 72, "usimg": 129, "img": 129}


def fill_history(unfilled: int, years: int) -> str:
    """ "left positions unfilled in 2 of the last 5 years", "filled every position last
    year"; empty without a history."""
    if years <= 0:
        return ""
    if years == 1:
        return (
            "left positions unfilled last year" if unfilled else "filled every position last year"
        )
    if unfilled:
        return f"left positions unfilled in {unfilled} of the last {years} years"
    return f"filled every position in the last {years} years"


def typical_applications(specialty: str, kind: str) -> tuple[int, str]:
    """How many applications a typical applicant of this type sends, and the source.

    >>> typical_applications("Internal Medicine", "do")[0], typical_applications("Surgery", "md")[0]
    (67, 58)
    """
    if (specialty, kind) in TYPICAL_APPLICATIONS:
        return TYPICAL_APPLICATIONS[(specialty, kind)]
    return TYPICAL_BY_TYPE[kind], _ALL_MEANS


IM_COMPETITION = 1.51  # NRMP 2024, internal medicine applicants per position [secondary]


@dataclass(frozen=True)
class Catalogue:
    pk: np.ndarray
    code: np.ndarray
    name: np.ndarray
    institution: np.ndarray
    specialty: np.ndarray
    city: np.ndarray
    state: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    quota: np.ndarray
    z: np.ndarray
    setting: np.ndarray
    visa: np.ndarray  # 1 sponsors, 0 does not, -1 unknown
    unfilled_years: np.ndarray
    history_years: np.ndarray
    history_fill: np.ndarray  # share of positions filled over those years, 1 without history
    synthetic: np.ndarray
    provenance: np.ndarray  # catalogue.Provenance per program: each figure's source and year

    @property
    def n(self) -> int:
        return len(self.code)

    @classmethod
    def from_rows(cls, rows: Sequence[ProgramRow], pks: Sequence[int] | None = None) -> Catalogue:
        def arr(values: list[Any], dtype: Any = object) -> np.ndarray:
            return np.array(values, dtype=dtype)

        def unfilled(r: ProgramRow) -> tuple[int, int]:
            years = sorted(r.fill_history)[-5:]
            return sum(1 for y in years if r.fill_history[y][1] < r.fill_history[y][0]), len(years)

        def filled(r: ProgramRow) -> float:
            years = sorted(r.fill_history)[-5:]
            offered = sum(r.fill_history[y][0] for y in years)
            return sum(r.fill_history[y][1] for y in years) / offered if offered else 1.0

        sizes = {s.name: s.program_size for s in figures.SPECIALTIES}
        u = [unfilled(r) for r in rows]
        return cls(
            pk=arr(list(pks) if pks is not None else list(range(len(rows))), np.int64),
            code=arr([r.nrmp_code for r in rows]),
            name=arr([r.name or r.specialty for r in rows]),
            institution=arr([r.institution for r in rows]),
            specialty=arr([r.specialty for r in rows]),
            city=arr([r.city for r in rows]),
            state=arr([r.state for r in rows]),
            lat=arr([np.nan if r.latitude is None else r.latitude for r in rows], float),
            lon=arr([np.nan if r.longitude is None else r.longitude for r in rows], float),
            quota=arr([r.quota for r in rows], np.int64),
            z=arr(
                [
                    competitiveness(r.quota, sizes.get(r.specialty, 5.0), r.fill_history)
                    for r in rows
                ],
                float,
            ),
            setting=arr([r.setting for r in rows]),
            visa=arr(
                [-1 if r.visa_sponsor is None else int(r.visa_sponsor) for r in rows], np.int8
            ),
            unfilled_years=arr([x[0] for x in u], np.int64),
            history_years=arr([x[1] for x in u], np.int64),
            history_fill=arr([filled(r) for r in rows], float),
            synthetic=arr([r.synthetic for r in rows], bool),
            provenance=arr([provenance(r) for r in rows]),
        )

    def specialties(self) -> set[str]:
        return set(self.specialty.tolist())


@dataclass(frozen=True)
class Request:
    applicant: Applicant
    target: str
    budget: int
    backup: str = ""
    gold: int = 0
    silver: int = 0
    preferred_states: tuple[str, ...] = ()
    preferred_regions: tuple[str, ...] = ()
    max_distance: int | None = None
    size: str = "any"
    setting: str = "any"
    partner_specialty: str = ""
    partner_constraint: str = ""
    horizon: int | None = None
    # {NRMP code: level of WISHES} as pairs; criteria "only" filter, "prefer" weigh.
    wishes: tuple[tuple[str, str], ...] = ()
    criteria_mode: str = "only"
    visa_sponsor: bool = False
    floor: float = DEFAULT_FLOOR


@dataclass
class Row:
    index: int  # into the catalogue
    pk: int
    code: str
    name: str
    institution: str
    specialty: str
    city: str
    state: str
    signal: str  # "gold", "silver", ""
    p_interview: float
    logit: float  # interview log-odds with the signal placed, before the shock
    p_interview_low: float
    p_interview_high: float
    p_match_here: float
    tier: str  # reach, target, likely
    reasons: list[str]
    synthetic: bool
    backup: bool
    order: int
    wish: str = "fine"  # a key of WISHES
    adds: float = 0.0  # what it adds to P(match) after the programs above it
    adds_little: bool = False
    provenance: Provenance | None = None  # where the program's figures come from

    @property
    def wish_label(self) -> str:
        return WISHES[self.wish][0]


@dataclass
class Recommendation:
    rows: list[Row]
    p_match: float
    p_match_low: float
    p_match_high: float
    curve: list[float]
    budget: int
    candidates: int
    diminishing_returns: int
    expected_interviews: float
    cost: int
    score: float
    synthetic: bool
    notes: list[str] = field(default_factory=list)
    # 80% range of the expected interviews over the model's parameter uncertainty.
    interviews_low: float = 0.0
    interviews_high: float = 0.0
    floor: float = DEFAULT_FLOOR
    floor_met: bool = True
    best_p: float = 0.0  # the best P(match) any list within the budget reaches
    floor_budget: int | None = None  # applications that reach the floor
    recommended_size: int = 0
    recommended_cost: int = 0
    recommended_reason: str = ""
    typical_applications: int = 0
    typical_source: str = ""
    fee_saving: int = 0
    adds_little: int = 0  # applications on the list that add almost nothing
    p_without_little: float = 0.0  # P(match) with all of them dropped
    by_wish: list[tuple[str, float]] = field(default_factory=list)  # P(match at each level)
    value: float = 0.0  # expected value of where you match (1 = a dream match for sure)
    stale_wishes: list[str] = field(default_factory=list)

    def copy(self) -> Recommendation:
        """A copy whose rows and lists are its own: what a caller changes in it never
        reaches the original. Only the mutable parts are copied (the rows and every list);
        numbers, strings and the frozen provenance are shared, so this costs a tenth of a
        deep copy."""
        rows = []
        for row in self.rows:
            mine = copy.copy(row)
            mine.reasons = list(row.reasons)
            rows.append(mine)
        return dataclasses.replace(
            self,
            rows=rows,
            curve=list(self.curve),
            notes=list(self.notes),
            by_wish=list(self.by_wish),
            stale_wishes=list(self.stale_wishes),
        )


def _program_arrays(cat: Catalogue, idx: np.ndarray) -> ProgramArrays:
    spec = {s.name: s for s in figures.SPECIALTIES}
    mean = np.array([spec[s].step2_mean if s in spec else 250.0 for s in cat.specialty[idx]])
    comp = np.array(
        [
            math.log(spec[s].applicants_per_position / IM_COMPETITION) if s in spec else 0.0
            for s in cat.specialty[idx]
        ]
    )
    return ProgramArrays(
        spec_mean=mean,
        comp=comp,
        z=cat.z[idx],
        state=cat.state[idx],
        visa=_sponsor_chance(cat, idx),
        quota=cat.quota[idx],
        history=cat.history_fill[idx],
        img_open=img_openness(cat.setting[idx]),
    )


def _sponsor_chance(cat: Catalogue, idx: np.ndarray) -> np.ndarray:
    """1 or 0 where a program's visa policy is known; where it is unknown, the share of
    its specialty's programs that sponsor (``figures.visa_share``): unknown is not yes."""
    v = cat.visa[idx]
    specs = cat.specialty[idx]
    share = np.zeros(len(idx))
    for name in set(specs.tolist()):
        share[specs == name] = figures.visa_share(name).value
    return np.where(v < 0, share, (v == 1).astype(float))


def _miles(lat: np.ndarray, lon: np.ndarray, lat0: float, lon0: float) -> np.ndarray:
    p1, p2 = np.radians(lat0), np.radians(lat)
    h = (
        np.sin((p2 - p1) / 2) ** 2
        + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon - lon0) / 2) ** 2
    )
    return 2 * 3958.8 * np.arcsin(np.sqrt(h))


def _coords(cat: Catalogue) -> tuple[np.ndarray, np.ndarray]:
    lat, lon = cat.lat.copy(), cat.lon.copy()
    missing = np.isnan(lat)
    if missing.any():
        fallback = [figures.STATE_COORDS.get(s, (39.8, -98.6)) for s in cat.state[missing]]
        lat[missing] = [c[0] for c in fallback]
        lon[missing] = [c[1] for c in fallback]
    return lat, lon


def _meets_criteria(cat: Catalogue, req: Request) -> np.ndarray:
    """Programs that meet every place, size, setting and visa criterion given."""
    mask = np.ones(cat.n, dtype=bool)
    a = req.applicant
    local = list({a.home_state, a.school_state, *a.tie_states} - {""})
    if req.preferred_states or req.preferred_regions:
        regions = np.array([figures.STATE_REGION.get(s, "") for s in cat.state], dtype=object)
        place = np.isin(cat.state, list(req.preferred_states) + local) | np.isin(
            regions, list(req.preferred_regions)
        )
        mask &= place
    if req.max_distance and a.home_state in figures.STATE_COORDS:
        lat, lon = _coords(cat)
        mask &= _miles(lat, lon, *figures.STATE_COORDS[a.home_state]) <= req.max_distance
    if req.size != "any":
        q = cat.quota
        size_ok = {"small": q < 8, "medium": (q >= 8) & (q <= 20), "large": q > 20}[req.size]
        mask &= size_ok
    if req.setting != "any":
        mask &= (cat.setting == req.setting) | (cat.setting == "")
    if req.visa_sponsor:
        mask &= cat.visa != 0  # unknown counts: the reason says so
    return mask


def _has_criteria(req: Request) -> bool:
    return bool(
        req.preferred_states
        or req.preferred_regions
        or req.max_distance
        or req.size != "any"
        or req.setting != "any"
        or req.visa_sponsor
    )


def candidates(cat: Catalogue, req: Request) -> np.ndarray:
    """Indices of the programs the applicant would consider: the target and backup
    specialties; with criteria used as filters, the programs that meet them, and any
    program the applicant named with a wish."""
    specs = [req.target] + ([req.backup] if req.backup else [])
    mask = np.isin(cat.specialty, specs)
    if req.partner_specialty:
        mask &= _partner_ok(cat, req)
    if req.criteria_mode == "prefer":
        return np.flatnonzero(mask)
    named = np.isin(cat.code, [c for c, _ in req.wishes]) if req.wishes else False
    return np.flatnonzero(mask & (_meets_criteria(cat, req) | named))


def wish_levels(cat: Catalogue, req: Request, idx: np.ndarray) -> np.ndarray:
    """The level (a key of WISHES) of each candidate: the applicant's word for a named
    program; otherwise "would like" for a program meeting the criteria when they are
    preferences, and "fine" for the rest."""
    levels = np.full(len(idx), "fine", dtype=object)
    if req.criteria_mode == "prefer" and _has_criteria(req):
        levels[_meets_criteria(cat, req)[idx]] = "like"
    wished = dict(req.wishes)
    for k, code in enumerate(cat.code[idx].tolist()):
        if code in wished:
            levels[k] = wished[code]
    return levels


def _partner_ok(cat: Catalogue, req: Request) -> np.ndarray:
    partner = np.flatnonzero(cat.specialty == req.partner_specialty)
    if req.partner_constraint == "same_state":
        return np.isin(cat.state, cat.state[partner])
    if req.partner_constraint == "same_region":
        regions = np.array([figures.STATE_REGION.get(s, "") for s in cat.state], dtype=object)
        return np.isin(regions, regions[partner])
    if req.partner_constraint == "within_100":
        lat, lon = _coords(cat)
        ok = np.zeros(cat.n, dtype=bool)
        for lo in range(0, len(partner), 256):
            p = partner[lo : lo + 256]
            d = _miles(lat[:, None], lon[:, None], lat[p][None, :], lon[p][None, :])  # type: ignore[arg-type]
            ok |= (d <= 100).any(axis=1)
        return ok
    return np.ones(cat.n, dtype=bool)


def tier_of(p_interview: float) -> str:
    """Reach below a 20% interview chance, likely from 50%, target between [assumption]."""
    if p_interview >= 0.5:
        return "likely"
    if p_interview >= 0.2:
        return "target"
    return "reach"


def _signal_allowance(req: Request) -> tuple[int, int, list[str]]:
    """The signals the specialty allows, and a note when the request asks for more (a
    profile saved before the form checked it; the form refuses it)."""
    spec = figures.specialty(req.target)
    if spec is None:
        return req.gold, req.silver, []
    gold, silver = min(req.gold, spec.signals_gold), min(req.silver, spec.signals_silver)
    if (gold, silver) == (req.gold, req.silver):
        return gold, silver, []
    return (
        gold,
        silver,
        [
            f"{spec.name} allows {signal_allowance_text(spec.name)}; the list uses that many, "
            "not the number in your profile."
        ],
    )


def signal_allowance_text(specialty: str) -> str:
    """The specialty's signal allowance in words (the ERAS signal table [reported]).

    >>> signal_allowance_text("Internal Medicine"), signal_allowance_text("Psychiatry")
    ('3 gold and 7 silver signals', '3 signals (one tier)')
    """
    spec = figures.specialty(specialty)
    if spec is None:
        return "the signals of its ERAS signal table"
    g, s = spec.signals_gold, spec.signals_silver
    if not g and not s:
        return "no signals"
    if not s:
        return f"{g} signal{'s' if g != 1 else ''} (one tier)"
    return f"{g} gold and {s} silver signals"


def recommend(cat: Catalogue, req: Request) -> Recommendation:
    """The list that maximises the value of where you match with P(match) at least
    ``req.floor``, its curve, the recommended list size and reasons."""
    if req.budget < 1:
        raise ValueError("The budget must pay for at least one application.")
    if req.target not in cat.specialties():
        raise ValueError(f"“{req.target}” is not a specialty in the program catalogue.")
    if not 0 < req.floor < 1:
        raise ValueError("The chance of matching you want must be between 0% and 100%.")
    unknown = [w for w in req.wishes if w[1] not in WISHES]
    if unknown:
        raise ValueError(f"Unknown preference level: {unknown[0][1]!r}.")
    idx = candidates(cat, req)
    a = req.applicant
    score = a.score
    gold, silver, notes = _signal_allowance(req)
    known = set(cat.code.tolist())
    stale = sorted(c for c, _ in req.wishes if c not in known)
    if stale:
        notes.append(
            f"{len(stale)} program{'s' if len(stale) != 1 else ''} you gave a preference for "
            f"{'are' if len(stale) != 1 else 'is'} no longer in the catalogue "
            f"({', '.join(stale)}); {'they are' if len(stale) != 1 else 'it is'} left out."
        )
    typical, typical_source = typical_applications(req.target, a.kind)
    if len(idx) == 0:
        return Recommendation(
            rows=[], p_match=0.0, p_match_low=0.0, p_match_high=0.0, curve=[0.0],
            budget=req.budget, candidates=0, diminishing_returns=0, expected_interviews=0.0,
            cost=0, score=score, synthetic=bool(cat.synthetic.any()),
            notes=["No program in the catalogue fits these preferences. Widen them.", *notes],
            floor=req.floor, floor_met=False, typical_applications=typical,
            typical_source=typical_source, stale_wishes=stale,
        )  # fmt: skip
    progs = _program_arrays(cat, idx)
    is_backup = cat.specialty[idx] != req.target
    logits = np.stack(
        [
            interview_logit(
                a, progs, np.full(len(idx), t, dtype=np.int8), intercepts=page_intercepts()
            )
            for t in (NO_SIGNAL, SILVER, GOLD)
        ],
        axis=1,
    )
    # Signals belong to the target specialty's allotment.
    logits[is_backup, 1] = logits[is_backup, 0]
    logits[is_backup, 2] = logits[is_backup, 0]
    typical_score = progs.spec_mean + PARAMS.points_per_z * progs.z
    q = conversion(a.kind, score, typical_score, progs.comp, progs.history)
    # The applicant ranks the backup specialty below the target: discount its programs'
    # conversion a little so the target is preferred at equal chances [assumption].
    q = np.where(is_backup, 0.9 * q, q)
    levels = wish_levels(cat, req, idx)
    value = np.array([WISHES[x][1] for x in levels])
    horizon = req.horizon or min(len(idx), max(2 * req.budget, req.budget + 20, 40))
    fp = optimise_with_floor(
        logits, q, budget=req.budget, value=value, floor=req.floor, gold=gold, silver=silver,
        shock_sd=PARAMS.shock_sd, horizon=horizon, safest_horizon=req.budget, min_gain=0.0,
    )  # fmt: skip
    plan = fp.plan
    if plan.budget < req.budget:
        notes.append(
            f"Only {words.count(len(idx), 'program')} fit your preferences, fewer than your "
            f"budget of {words.count(req.budget, 'application')}."
        )
    chosen = plan.chosen
    tiers = plan.signal[: plan.budget]
    at_level = match_by_level(
        logits, q, chosen.tolist(), tiers.tolist(), value, shock_sd=PARAMS.shock_sd
    )
    # In the list's own order, what each application adds to what comes before it: the
    # ones that add almost nothing to P(match) and to the value can go together (each
    # one alone adds little to a list that is nearly sure, so "alone" would flag all).
    step_p = np.diff(plan.curve[: plan.budget + 1])
    step_v = np.diff(plan.value_curve[: plan.budget + 1])
    little = (step_p < SMALL_GAIN) & (step_v < SMALL_GAIN)
    keep = ~little
    p_without_little = (
        evaluate(logits, q, chosen[keep].tolist(), tiers[keep].tolist(), shock_sd=PARAMS.shock_sd)
        if little.any()
        else plan.p_match
    )
    lg = logits[chosen, tiers]
    nodes, w = shock_nodes(PARAMS.shock_sd)

    def p_int(x: np.ndarray) -> np.ndarray:
        return (w[None, :] / (1 + np.exp(-(x[:, None] + nodes[None, :])))).sum(axis=1)

    pi = p_int(lg)
    qc = q[chosen]
    # 80% ranges over the model's parameter uncertainty (matchmodel.UNCERTAINTY).
    rg = ranges(
        lg, (score - typical_score[chosen]) / figures.STEP2_SD, qc, shock_sd=PARAMS.shock_sd
    )
    pi_lo, pi_hi = rg.p_interview_low, rg.p_interview_high
    pm_lo, pm_hi = rg.p_match_low, rg.p_match_high
    rows = []
    wished = dict(req.wishes)
    lat, lon = _coords(cat) if req.max_distance else (None, None)
    for k, (j, t) in enumerate(zip(chosen.tolist(), tiers.tolist(), strict=True)):
        g = int(idx[j])
        reasons = _reasons(cat, g, req, t, float(typical_score[j]), bool(is_backup[j]), lat, lon)
        wish = str(levels[j])
        if str(cat.code[g]) in wished:
            reasons.insert(0, f"you marked it “{WISHES[wish][0].lower()}”")
        elif wish == "like":
            reasons.insert(0, "it meets your preferences")
        if little[k]:
            reasons.append("adds almost nothing: your chances are the same without it")
        rows.append(
            Row(
                index=g,
                pk=int(cat.pk[g]),
                code=str(cat.code[g]),
                name=str(cat.name[g]),
                institution=str(cat.institution[g]),
                specialty=str(cat.specialty[g]),
                city=str(cat.city[g]),
                state=str(cat.state[g]),
                signal={GOLD: "gold", SILVER: "silver"}.get(t, ""),
                p_interview=float(pi[k]),
                logit=float(lg[k]),
                p_interview_low=float(pi_lo[k]),
                p_interview_high=float(pi_hi[k]),
                p_match_here=float(pi[k] * qc[k]),
                tier=tier_of(float(pi[k])),
                reasons=reasons,
                synthetic=bool(cat.synthetic[g]),
                backup=bool(is_backup[j]),
                order=k + 1,
                wish=wish,
                adds=float(step_p[k]),
                adds_little=bool(little[k]),
                provenance=cat.provenance[g],
            )
        )
    if not fp.floor_met:
        reach = (
            f"a list of {words.count(fp.floor_budget, 'application')} would reach it"
            if fp.floor_budget
            else "no list of the programs that fit your preferences reaches it"
        )
        notes.append(
            f"No list of {words.count(plan.budget, 'application')} reaches the "
            f"{req.floor:.0%} chance of matching you asked for: the best is about "
            f"{fp.best_p:.0%} (this list); {reach}."
        )
    size, why = _list_size(fp.safest.curve, req.floor)
    by_level = {WISHES[x][1]: x for x in WISHES}
    return Recommendation(
        rows=rows,
        p_match=plan.p_match,
        p_match_low=min(pm_lo, plan.p_match),
        p_match_high=max(pm_hi, plan.p_match),
        curve=plan.curve.tolist(),
        budget=plan.budget,
        candidates=len(idx),
        diminishing_returns=plan.diminishing_returns(),
        expected_interviews=float(pi.sum()),
        interviews_low=rg.interviews_low,
        interviews_high=rg.interviews_high,
        cost=figures.eras_cost(plan.budget),
        score=score,
        synthetic=bool(cat.synthetic.any()),
        notes=notes,
        floor=req.floor,
        floor_met=fp.floor_met,
        best_p=fp.best_p,
        floor_budget=fp.floor_budget,
        recommended_size=size,
        recommended_cost=figures.eras_cost(size),
        recommended_reason=why,
        typical_applications=typical,
        typical_source=typical_source,
        fee_saving=max(0, figures.eras_cost(typical) - figures.eras_cost(size)),
        adds_little=int(little.sum()),
        p_without_little=float(p_without_little),
        by_wish=[(WISHES[by_level[v]][0], p) for v, p in at_level.items() if p > 0],
        value=plan.value,
        stale_wishes=stale,
    )


def _list_size(curve: np.ndarray, floor: float) -> tuple[int, str]:
    """The smallest list that reaches the floor, or past which one more application adds
    less than SMALL_GAIN to P(match), whichever is shorter, with the reason in words."""
    c = np.asarray(curve)
    reach = next((n for n in range(1, len(c)) if c[n] >= floor - 1e-12), None)
    flat = next((n for n in range(1, len(c) - 1) if c[n + 1] - c[n] < SMALL_GAIN), None)
    if reach is not None and (flat is None or reach <= flat):
        return reach, f"the smallest list that reaches your {floor:.0%} chance of matching"
    if flat is not None:
        return flat, (
            f"past it one more application adds less than {SMALL_GAIN:.1%} to your chance "
            "of matching"
        )
    return len(c) - 1, "every program that fits your preferences"


def _reasons(
    cat: Catalogue,
    g: int,
    req: Request,
    tier: int,
    typical: float,
    backup: bool,
    lat: np.ndarray | None,
    lon: np.ndarray | None,
) -> list[str]:
    a = req.applicant
    st = str(cat.state[g])
    out = []
    if backup:
        out.append(f"backup specialty ({req.backup})")
    if st == a.home_state:
        out.append("in your home state")
    elif st == a.school_state:
        out.append("in the state of your medical school")
    elif st in a.tie_states:
        out.append("in a state where you have ties")
    if tier == GOLD:
        out.append("you signalled it (gold)")
    elif tier == SILVER:
        out.append("you signalled it (silver)")
    gap = a.score - typical
    if gap >= 4:
        out.append(f"your score is above the typical interviewed applicant (about {typical:.0f})")
    elif gap <= -4:
        out.append(f"your score is below the typical interviewed applicant (about {typical:.0f})")
    else:
        out.append(
            f"your score is close to the typical interviewed applicant (about {typical:.0f})"
        )
    if history := fill_history(int(cat.unfilled_years[g]), int(cat.history_years[g])):
        out.append(history)
    if a.needs_visa:
        v = int(cat.visa[g])
        share = figures.visa_share(str(cat.specialty[g]))
        unknown = (
            f"visa sponsorship unknown (counted as a {share.value:.0%} chance, the share of "
            f"{cat.specialty[g]} programs that sponsor [{share.quality}])"
        )
        out.append({1: "sponsors visas", 0: "does not sponsor visas", -1: unknown}[v])
    if lat is not None and lon is not None and a.home_state in figures.STATE_COORDS:
        d = float(_miles(lat[g : g + 1], lon[g : g + 1], *figures.STATE_COORDS[a.home_state])[0])
        out.append(f"about {d:.0f} miles from home")
    return out
