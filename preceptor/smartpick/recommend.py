"""One full recommendation: candidates, interview and match models, optimizer, reasons.

Pure NumPy over a :class:`Catalogue` of arrays (built from the database by
:mod:`.services`, or from plain rows in tests and the benchmark).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import figures
from .catalogue import ProgramRow, Provenance, competitiveness, provenance
from .interview import (
    GOLD,
    NO_SIGNAL,
    PARAMS,
    SILVER,
    Applicant,
    ProgramArrays,
    interview_logit,
    shock_nodes,
)
from .matchmodel import conversion, p_match
from .optimizer import optimise

__all__ = ["Catalogue", "Recommendation", "Request", "recommend"]

# The interview model's parameters are uncertain; every probability is shown with the
# range it takes when all interview log-odds move by this much [assumption].
UNCERTAINTY_LOGIT = 0.5
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
    provenance: Provenance | None = None  # where the program's figures come from


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
        visa=cat.visa[idx] != 0,  # unknown counts as sponsoring; the reason says unknown
        quota=cat.quota[idx],
        history=cat.history_fill[idx],
    )


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


def candidates(cat: Catalogue, req: Request) -> np.ndarray:
    """Indices of the programs the applicant would consider."""
    specs = [req.target] + ([req.backup] if req.backup else [])
    mask = np.isin(cat.specialty, specs)
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
    if req.partner_specialty:
        mask &= _partner_ok(cat, req)
    return np.flatnonzero(mask)


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


def recommend(cat: Catalogue, req: Request) -> Recommendation:
    """The optimised list, its curve and reasons."""
    if req.budget < 1:
        raise ValueError("The budget must pay for at least one application.")
    if req.target not in cat.specialties():
        raise ValueError(f"“{req.target}” is not a specialty in the program catalogue.")
    idx = candidates(cat, req)
    a = req.applicant
    score = a.score
    notes = []
    if len(idx) == 0:
        return Recommendation(
            rows=[], p_match=0.0, p_match_low=0.0, p_match_high=0.0, curve=[0.0],
            budget=req.budget, candidates=0, diminishing_returns=0, expected_interviews=0.0,
            cost=0, score=score, synthetic=bool(cat.synthetic.any()),
            notes=["No program in the catalogue fits these preferences. Widen them."],
        )  # fmt: skip
    progs = _program_arrays(cat, idx)
    is_backup = cat.specialty[idx] != req.target
    logits = np.stack(
        [
            interview_logit(a, progs, np.full(len(idx), t, dtype=np.int8))
            for t in (NO_SIGNAL, SILVER, GOLD)
        ],
        axis=1,
    )
    # Signals belong to the target specialty's allotment.
    logits[is_backup, 1] = logits[is_backup, 0]
    logits[is_backup, 2] = logits[is_backup, 0]
    typical = progs.spec_mean + PARAMS.points_per_z * progs.z
    q = conversion(a.kind, score, typical, progs.comp, progs.history)
    # The applicant ranks the backup specialty below the target: discount its programs'
    # conversion a little so the target is preferred at equal chances [assumption].
    q = np.where(is_backup, 0.9 * q, q)
    horizon = req.horizon or min(len(idx), max(2 * req.budget, req.budget + 20, 40))
    plan = optimise(
        logits, q, budget=req.budget, gold=req.gold, silver=req.silver,
        shock_sd=PARAMS.shock_sd, horizon=horizon,
    )  # fmt: skip
    if plan.budget < req.budget:
        notes.append(
            f"Only {len(idx)} programs fit your preferences, fewer than your budget of "
            f"{req.budget} applications."
        )
    chosen = plan.chosen
    tiers = plan.signal[: plan.budget]
    lg = logits[chosen, tiers]
    nodes, w = shock_nodes(PARAMS.shock_sd)

    def p_int(x: np.ndarray) -> np.ndarray:
        return (w[None, :] / (1 + np.exp(-(x[:, None] + nodes[None, :])))).sum(axis=1)

    pi, pi_lo, pi_hi = p_int(lg), p_int(lg - UNCERTAINTY_LOGIT), p_int(lg + UNCERTAINTY_LOGIT)
    qc = q[chosen]
    # The range moves both stages: interview and conversion log-odds by +-0.5 each.
    q_logit = np.log(qc / (1 - qc))
    q_lo = 1 / (1 + np.exp(-(q_logit - UNCERTAINTY_LOGIT)))
    q_hi = 1 / (1 + np.exp(-(q_logit + UNCERTAINTY_LOGIT)))
    pm_lo = p_match(lg - UNCERTAINTY_LOGIT, q_lo)
    pm_hi = p_match(lg + UNCERTAINTY_LOGIT, q_hi)
    rows = []
    lat, lon = _coords(cat) if req.max_distance else (None, None)
    for k, (j, t) in enumerate(zip(chosen.tolist(), tiers.tolist(), strict=True)):
        g = int(idx[j])
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
                reasons=_reasons(cat, g, req, t, float(typical[j]), bool(is_backup[j]), lat, lon),
                synthetic=bool(cat.synthetic[g]),
                backup=bool(is_backup[j]),
                order=k + 1,
                provenance=cat.provenance[g],
            )
        )
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
        cost=figures.eras_cost(plan.budget),
        score=score,
        synthetic=bool(cat.synthetic.any()),
        notes=notes,
    )


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
    u, years = int(cat.unfilled_years[g]), int(cat.history_years[g])
    if years:
        if u:
            out.append(f"left positions unfilled in {u} of the last {years} years")
        else:
            out.append(f"filled every position in the last {years} years")
    if a.needs_visa:
        v = int(cat.visa[g])
        out.append(
            {1: "sponsors visas", 0: "does not sponsor visas", -1: "visa sponsorship unknown"}[v]
        )
    if lat is not None and lon is not None and a.home_state in figures.STATE_COORDS:
        d = float(_miles(lat[g : g + 1], lon[g : g + 1], *figures.STATE_COORDS[a.home_state])[0])
        out.append(f"about {d:.0f} miles from home")
    return out
