"""A synthetic national market calibrated to published NRMP figures.

The model, per applicant: a type (US MD, US DO, US-IMG, non-US IMG, in the 2025 shares),
a strength drawn around a type mean, a home region (US census division), a preferred
specialty (weighted by the specialty's applicants) and, for a third of applicants, a
backup specialty. Each ranks a lognormal number of programs (mean about 10.7, shorter
for IMGs) chosen where they are competitive, ordered by the programs' common
desirability plus geography plus personal noise. Programs rank the applicants who
ranked them by strength, type and geography plus noise. Applicants aiming at advanced
(PGY-2) programs get a supplemental list of preliminary programs.

Couples are random pairs whose joint list is the best 30 pairs of their two lists,
preferring one region (the default, ``couples_model="random"``). In the "metro" model
they are mostly US MD and DO applicants to categorical programs. A couple has one home
region and aims at a few metro areas in it (programs are grouped into about 80 metro
areas: their cities for real programs); both partners apply there first and more
widely than singles (lists 1.5 times as long), and the joint list pairs programs in one
metro area first, then in one region, never across regions, up to 60 pairs, then each
partner's first choice alone. The partners' lists are thus
correlated through the places they aim at, as real couples' are. Its couples match far
more often than the random pairs, but its national market nearly always ends on a
couples cycle (docs/match.md, "Couples"); the random pairs stay the default.

This is a calibrated *synthetic* market: sizes, shares and competition match the
published figures cited below; individual lists are invented.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ._checks import SEED_MAX, check_int, check_real
from .market import TRACKS, Market

__all__ = ["SPECIALTIES", "Specialty", "national_market"]


@dataclass(frozen=True)
class Specialty:
    name: str
    code: str  # ACGME specialty code, the SSS of an NRMP program code
    track: str
    positions: int
    applicants: int
    program_size: float


# PGY-1 rows: NRMP, Results and Data, 2024 Main Residency Match (positions offered, total
# applicants, average program size), as in ../shared/data/nrmp_specialty_summary_2015_2024.csv
# [NRMP]. "Other combined" holds the combined programs (total PGY-1 38,494 minus the rows).
# Advanced (A) rows: 2024 total positions 41,503 [NRMP] minus PGY-1 38,494 leaves 3,009
# PGY-2 positions; their split across specialties is an approximation [reported].
SPECIALTIES: tuple[Specialty, ...] = (
    Specialty("Anesthesiology", "040", "C", 1695, 3034, 9.52),
    Specialty("Child Neurology", "185", "C", 184, 271, 2.33),
    Specialty("Dermatology", "080", "C", 30, 295, 2.14),
    Specialty("Emergency Medicine", "110", "C", 3026, 3574, 10.36),
    Specialty("Family Medicine", "120", "C", 5213, 7081, 6.55),
    Specialty("Internal Medicine", "140", "C", 10261, 15451, 14.51),
    Specialty("Internal Medicine-Primary", "140", "M", 420, 2034, 4.62),
    Specialty("Interventional Radiology", "416", "C", 51, 293, 1.82),
    Specialty("Medicine-Pediatrics", "700", "C", 390, 644, 5.06),
    Specialty("Medicine-Preliminary", "140", "P", 1640, 5890, 4.98),
    Specialty("Neurological Surgery", "160", "C", 241, 423, 2.08),
    Specialty("Neurology", "180", "C", 878, 1676, 5.93),
    Specialty("Obstetrics-Gynecology", "220", "C", 1539, 2143, 5.29),
    Specialty("Orthopaedic Surgery", "260", "C", 916, 1492, 4.20),
    Specialty("Otolaryngology", "280", "C", 382, 513, 2.77),
    Specialty("Pathology", "300", "C", 628, 1047, 3.55),
    Specialty("Pediatrics", "320", "C", 3078, 3531, 12.26),
    Specialty("Pediatrics-Primary", "320", "M", 61, 525, 5.08),
    Specialty("Physical Medicine & Rehabilitation", "340", "C", 219, 749, 4.21),
    Specialty("Plastic Surgery (Integrated)", "362", "C", 213, 362, 2.32),
    Specialty("Psychiatry", "400", "C", 2261, 3176, 5.92),
    Specialty("Radiation Oncology", "430", "C", 12, 133, 2.00),
    Specialty("Radiology-Diagnostic", "420", "C", 145, 1171, 4.26),
    Specialty("Surgery", "440", "C", 1717, 3164, 4.73),
    Specialty("Surgery-Preliminary", "440", "P", 1152, 2018, 4.59),
    Specialty("Thoracic Surgery", "461", "C", 48, 114, 1.41),
    Specialty("Transitional Year", "999", "P", 1747, 4746, 8.05),
    Specialty("Vascular Surgery", "451", "C", 100, 163, 1.63),
    Specialty("Other combined", "705", "C", 247, 650, 1.80),
    Specialty("Anesthesiology (PGY-2)", "040", "A", 450, 700, 5.0),
    Specialty("Dermatology (PGY-2)", "080", "A", 480, 900, 3.5),
    Specialty("Radiology-Diagnostic (PGY-2)", "420", "A", 1050, 1500, 6.0),
    Specialty("Physical Medicine & Rehabilitation (PGY-2)", "340", "A", 230, 350, 4.0),
    Specialty("Neurology (PGY-2)", "180", "A", 250, 350, 3.0),
    Specialty("Radiation Oncology (PGY-2)", "430", "A", 190, 250, 2.0),
    Specialty("Other advanced", "200", "A", 359, 450, 2.0),
)

# NRMP 2025 Main Match, active PGY-1 applicants by type [NRMP]; strength means and list
# lengths are model choices tuned so match rates land near 93.5/92.6/67.8/58.0%.
_TYPES = ("US MD", "US DO", "US-IMG", "non-US IMG")
_TYPE_COUNT = np.array([20368, 8392, 4587, 11465], dtype=float)
_TYPE_STRENGTH = np.array([0.6, 0.3, -0.6, -0.8])
_TYPE_LIST_MEAN = np.array([13.0, 12.0, 8.0, 7.0])
_TYPE_BIAS = np.array([0.0, -0.2, -0.9, -1.1])  # programs' preference by type

# US census divisions with approximate 2020 population shares [US Census Bureau].
_DIVISIONS = np.array([0.047, 0.125, 0.14, 0.064, 0.205, 0.058, 0.125, 0.075, 0.161])
_STATE_DIVISION = {
    **dict.fromkeys(
        ["CONNECTICUT", "MAINE", "MASSACHUSETTS", "NEW HAMPSHIRE", "RHODE ISLAND", "VERMONT"], 0
    ),
    **dict.fromkeys(["NEW JERSEY", "NEW YORK", "PENNSYLVANIA"], 1),
    **dict.fromkeys(["ILLINOIS", "INDIANA", "MICHIGAN", "OHIO", "WISCONSIN"], 2),
    **dict.fromkeys(
        ["IOWA", "KANSAS", "MINNESOTA", "MISSOURI", "NEBRASKA", "NORTH DAKOTA", "SOUTH DAKOTA"], 3
    ),
    **dict.fromkeys(
        [
            "DELAWARE",
            "DISTRICT OF COLUMBIA",
            "FLORIDA",
            "GEORGIA",
            "MARYLAND",
            "NORTH CAROLINA",
            "SOUTH CAROLINA",
            "VIRGINIA",
            "WEST VIRGINIA",
            "PUERTO RICO",
        ],
        4,
    ),
    **dict.fromkeys(["ALABAMA", "KENTUCKY", "MISSISSIPPI", "TENNESSEE"], 5),
    **dict.fromkeys(["ARKANSAS", "LOUISIANA", "OKLAHOMA", "TEXAS"], 6),
    **dict.fromkeys(
        ["ARIZONA", "COLORADO", "IDAHO", "MONTANA", "NEVADA", "NEW MEXICO", "UTAH", "WYOMING"], 7
    ),
    **dict.fromkeys(["ALASKA", "CALIFORNIA", "HAWAII", "OREGON", "WASHINGTON"], 8),
}
_BACKUP = ("Family Medicine", "Internal Medicine", "Psychiatry", "Pediatrics", "Transitional Year")

# Couples ("metro" model; model choices, not published figures): metro areas per census
# division in proportion to its population (about 80 in all, a few large and many
# small), the metro areas a couple aims at, the most pairs on a joint list (NRMP allows
# up to 700 [secondary, DOMAIN.md]) and the weight of each applicant type among couple
# members (couples are mostly US seniors [reported]).
_N_METROS = 80
_TARGET_METROS = 3
_MAX_PAIRS = 60
_COUPLE_TYPE_WEIGHT = np.array([1.0, 0.6, 0.15, 0.1])
_COUPLE_LIST_FACTOR = 1.5
_METRO_WEIGHT = 2.0
_METRO_ZIPF = 1.0


def _metros(rng: np.random.Generator, p_region: np.ndarray, cities: list[str] | None) -> np.ndarray:
    """A metro area per program: its (state, city) for real programs; for synthetic
    ones, one of its division's metro areas, the first ones far more often (Zipf)."""
    if cities is not None:
        _, metro = np.unique(np.array(cities, dtype=object), return_inverse=True)
        return metro.astype(np.int64)
    share = _DIVISIONS / _DIVISIONS.sum()
    n_m = np.maximum(2, np.round(_N_METROS * share)).astype(np.int64)
    first = np.concatenate([[0], np.cumsum(n_m)[:-1]])
    metro = np.empty(len(p_region), dtype=np.int64)
    for d in range(len(_DIVISIONS)):
        here = np.flatnonzero(p_region == d)
        w = 1.0 / np.arange(1, n_m[d] + 1) ** _METRO_ZIPF
        metro[here] = first[d] + rng.choice(n_m[d], size=len(here), p=w / w.sum())
    return metro


def _metro_couples(
    rng: np.random.Generator,
    n_couples: int,
    kind: np.ndarray,
    primary: np.ndarray,
    is_adv_spec: np.ndarray,
) -> np.ndarray:
    """Couples' members, as pairs: applicants to categorical and primary care
    programs, mostly US MD and DO (weights ``_COUPLE_TYPE_WEIGHT``)."""
    eligible = np.flatnonzero(~is_adv_spec[primary])
    if 2 * n_couples > len(eligible):
        raise ValueError(f"only {len(eligible)} applicants can be in couples")
    w = _COUPLE_TYPE_WEIGHT[kind[eligible]]
    members = rng.choice(eligible, size=2 * n_couples, replace=False, p=w / w.sum())
    return members.reshape(-1, 2)


def _programs_synthetic(
    rng: np.random.Generator, scale: float
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Program codes, quota, specialty row, region, desirability, track."""
    total = sum(s.positions for s in SPECIALTIES)
    factor = 43_237 / total * scale  # NRMP 2025: 43,237 positions [NRMP]
    codes, quota, spec, track = [], [], [], []
    for i, s in enumerate(SPECIALTIES):
        positions = max(1, round(s.positions * factor))
        n = max(1, round(positions / s.program_size))
        # Sizes: a spread around the mean, summing to the positions.
        w = rng.gamma(2.0, 1.0, size=n)
        q = np.maximum(1, np.floor(w / w.sum() * positions)).astype(np.int64)
        q[: positions - q.sum()] += 1 if positions > q.sum() else 0
        for k in range(n):
            inst = int(rng.integers(1000, 9999))
            codes.append(f"{inst:04d}{s.code}{s.track}{k % 10}")
        quota += q.tolist()
        spec += [i] * n
        track += [TRACKS.index(s.track)] * n
    n = len(codes)
    # Make codes unique (the serial digit and institution are invented).
    seen: dict[str, int] = {}
    for k, c in enumerate(codes):
        while c in seen:
            c = f"{int(rng.integers(1000, 9999)):04d}{c[4:]}"
        seen[c] = k
        codes[k] = c
    region = rng.choice(len(_DIVISIONS), size=n, p=_DIVISIONS / _DIVISIONS.sum())
    return (
        codes,
        np.array(quota, dtype=np.int64),
        np.array(spec, dtype=np.int64),
        region,
        rng.normal(size=n),
        np.array(track, dtype=np.int8),
    )


def _programs_real(
    path: Path, year: int, rng: np.random.Generator
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[str]]:
    by_key = {(s.code, s.track): i for i, s in enumerate(SPECIALTIES)}
    other = next(i for i, s in enumerate(SPECIALTIES) if s.name == "Other combined")
    other_a = next(i for i, s in enumerate(SPECIALTIES) if s.name == "Other advanced")
    codes, quota, spec, region, desir, track, city = [], [], [], [], [], [], []
    with path.open(newline="", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f):
            q = row.get(f"quota_{year}", "")
            if not q or int(q) <= 0 or row["track"] not in TRACKS:
                continue
            t = row["track"]
            if t == "R":
                continue  # reserved PGY-2 positions are for physicians; not modelled here
            codes.append(row["program_code"])
            quota.append(int(q))
            default = other_a if t == "A" else other
            spec.append(by_key.get((row["specialty_code"], t), default))
            region.append(_STATE_DIVISION.get(row["state"].upper(), int(rng.integers(0, 9))))
            unfilled = sum(
                int(row.get(f"unfilled_flag_{y}") or 0) for y in range(year - 4, year + 1)
            )
            desir.append(rng.normal() - 0.5 * unfilled)
            track.append(TRACKS.index(t))
            city.append(f"{row['state'].upper()}/{row.get('city', '').upper()}")
    return (
        codes,
        np.array(quota, dtype=np.int64),
        np.array(spec, dtype=np.int64),
        np.array(region, dtype=np.int64),
        np.array(desir, dtype=float),
        np.array(track, dtype=np.int8),
        city,
    )


def national_market(
    *,
    seed: int = 0,
    n_applicants: int = 47_208,
    n_couples: int = 1_500,
    supplemental: bool = True,
    scale: float | None = None,
    program_results: str | Path | None = None,
    year: int = 2020,
    couples_model: str = "random",
) -> Market:
    """A synthetic NRMP Main Match of national size.

    Parameters
    ----------
    seed : int
    n_applicants : int, default 47,208
        NRMP 2025: 47,208 applicants submitted rank lists.
    n_couples : int, default 1,500
    supplemental : bool, default True
        Give applicants to advanced programs supplemental PGY-1 lists.
    scale : float, optional
        Multiplies the number of positions; defaults to ``n_applicants / 47,208`` so
        small markets keep the national competition.
    program_results : path, optional
        NRMP program results CSV (``nrmp_program_results_2014_2020.csv`` format): use its
        real programs, tracks and quotas for ``year`` instead of synthetic ones.
    year : int, default 2020
    couples_model : {"random", "metro"}, default "random"
        "random": random pairs whose joint list is the best 30 pairs of two lists
        chosen apart (the benchmark market). "metro": couples of mostly US seniors who
        choose a home region and a few metro areas in it, apply mostly there, and pair
        programs in one metro area first, then one region (see the module docstring).
        The metro couples match far more often, as real couples do, but nearly every
        national draw then ends on a couples cycle (docs/match.md, "Couples"), so it
        is not the default.

    Returns
    -------
    Market

    Examples
    --------
    >>> m = national_market(n_applicants=2_000, n_couples=40, seed=1)
    >>> m.n_applicants, m.n_couples
    (2000, 40)
    >>> 7 < m.n_ranks / m.n_applicants < 13  # small markets cap lists in small specialties
    True
    """
    seed = check_int("seed", seed, 0, SEED_MAX)
    n_applicants = check_int("n_applicants", n_applicants, 2, 10_000_000)
    n_couples = check_int("n_couples", n_couples, 0, n_applicants // 2)
    year = check_int("year", year, 1952, 2100)
    rng = np.random.default_rng(seed)
    if scale is None:
        scale = n_applicants / 47_208
    scale = check_real("scale", scale, 1e-6, 100.0)
    if couples_model not in ("metro", "random"):
        raise ValueError(f"couples_model must be 'metro' or 'random', not {couples_model!r}")
    if program_results is not None:
        codes, quota, spec, p_region, desir, track, city = _programs_real(
            Path(program_results), year, rng
        )
    else:
        codes, quota, spec, p_region, desir, track = _programs_synthetic(rng, scale)
        city = None
    n_prog = len(codes)
    n_spec = len(SPECIALTIES)
    progs_of = [np.flatnonzero(spec == i) for i in range(n_spec)]

    # Applicants.
    n = n_applicants
    kind = rng.choice(4, size=n, p=_TYPE_COUNT / _TYPE_COUNT.sum())
    strength = _TYPE_STRENGTH[kind] + rng.normal(size=n)
    a_region = rng.choice(len(_DIVISIONS), size=n, p=_DIVISIONS / _DIVISIONS.sum())
    apps_w = np.array(
        [
            s.applicants if len(progs_of[i]) and s.track != "P" else 0
            for i, s in enumerate(SPECIALTIES)
        ],
        dtype=float,
    )
    primary = rng.choice(n_spec, size=n, p=apps_w / apps_w.sum())
    backup_ids = [i for i, s in enumerate(SPECIALTIES) if s.name in _BACKUP and len(progs_of[i])]
    backup = np.where(rng.random(n) < 0.33, rng.choice(backup_ids, size=n), -1)
    backup[backup == primary] = -1
    length = np.clip(
        np.round(_TYPE_LIST_MEAN[kind] * rng.lognormal(-0.125, 0.5, size=n)), 1, 30
    ).astype(np.int64)
    n_backup = np.where(backup >= 0, np.round(length * 0.35).astype(np.int64), 0)

    # Couples ("metro" model): partners chosen first, so that their lists can follow
    # the couple's geography. A generator of its own keeps the singles' draws apart.
    is_adv_spec = np.array([s.track == "A" for s in SPECIALTIES])
    target = np.full((n, _TARGET_METROS), -1, dtype=np.int64)
    p_metro = np.zeros(n_prog, dtype=np.int64)
    if couples_model == "metro":
        crng = np.random.default_rng([seed, 1])
        p_metro = _metros(crng, p_region, city)
        pairs = _metro_couples(crng, n_couples, kind, primary, is_adv_spec)
        home = a_region[pairs[:, 0]]
        a_region[pairs[:, 1]] = home
        for c, (x, y) in enumerate(pairs):
            # A few metro areas of the home region, more often the large ones.
            here = np.flatnonzero(p_region == home[c])
            if not len(here):
                continue
            metros, counts = np.unique(p_metro[here], return_counts=True)
            n_t = min(_TARGET_METROS, len(metros))
            pick = crng.choice(metros, size=n_t, replace=False, p=counts / counts.sum())
            target[x, :n_t] = target[y, :n_t] = pick
        # Couples apply more widely than singles (they need two places in one area).
        both = pairs.ravel()
        length[both] = np.minimum(np.round(length[both] * _COUPLE_LIST_FACTOR), 45)
        n_backup[both] = np.where(backup[both] >= 0, np.round(length[both] * 0.35), 0)

    # Each applicant's chosen programs, as (applicant, program, utility) entries.
    ent_a: list[np.ndarray] = []
    ent_p: list[np.ndarray] = []
    ent_u: list[np.ndarray] = []
    prelim_specs = [i for i, s in enumerate(SPECIALTIES) if s.track == "P" and len(progs_of[i])]
    supp_a: list[np.ndarray] = []
    supp_p: list[np.ndarray] = []
    supp_u: list[np.ndarray] = []

    def choose(apps: np.ndarray, pool: np.ndarray, k: np.ndarray, out: tuple) -> None:
        if len(apps) == 0 or len(pool) == 0:
            return
        for lo in range(0, len(apps), 1024):
            chunk = apps[lo : lo + 1024]
            kk = np.minimum(k[lo : lo + 1024], len(pool))
            geo = p_region[pool][None, :] == a_region[chunk][:, None]
            if couples_model == "metro":
                # Couple members: their metro areas first, the rest of the region next.
                near = (p_metro[pool][None, :, None] == target[chunk][:, None, :]).any(axis=2)
                geo = geo + _METRO_WEIGHT * near
            # Where they apply and interview: programs near their level, and nearby ones.
            reach = -np.abs(desir[pool][None, :] - strength[chunk][:, None]) + 0.8 * geo
            reach = reach + rng.gumbel(size=reach.shape)
            top = np.argsort(-reach, axis=1)[:, : kk.max()]
            util = desir[pool][top] + 0.6 * np.take_along_axis(geo, top, 1)
            util = util + rng.normal(scale=0.7, size=util.shape)
            keep = np.arange(top.shape[1])[None, :] < kk[:, None]
            out[0].append(np.repeat(chunk, kk))
            out[1].append(pool[top][keep])
            out[2].append(util[keep])

    for i in range(n_spec):
        apps = np.flatnonzero(primary == i)
        choose(apps, progs_of[i], length[apps] - n_backup[apps], (ent_a, ent_p, ent_u))
        apps_b = np.flatnonzero(backup == i)
        choose(apps_b, progs_of[i], n_backup[apps_b], (ent_a, ent_p, ent_u))
    if supplemental and prelim_specs:
        adv = np.flatnonzero(is_adv_spec[primary])
        pool = np.concatenate([progs_of[i] for i in prelim_specs])
        k = rng.integers(3, 9, size=len(adv))
        choose(adv, pool, k, (supp_a, supp_p, supp_u))

    def cat(xs: list[np.ndarray], dtype: type) -> np.ndarray:
        return np.concatenate(xs).astype(dtype) if xs else np.zeros(0, dtype=dtype)

    ea, ep, eu = cat(ent_a, np.int64), cat(ent_p, np.int64), cat(ent_u, float)
    # One entry per (applicant, program): the backup may repeat a program? never (other
    # specialty), but keep the guard cheap.
    order = np.lexsort((-eu, ea))
    ea, ep, eu = ea[order], ep[order], eu[order]
    sa, sp_, su = cat(supp_a, np.int64), cat(supp_p, np.int64), cat(supp_u, float)
    order = np.lexsort((-su, sa))
    sa, sp_ = sa[order], sp_[order]

    a_ptr_all = np.zeros(n + 1, dtype=np.int64)
    a_ptr_all[1:] = np.cumsum(np.bincount(ea, minlength=n))
    if couples_model == "random":
        # Couples: disjoint random pairs among applicants with at least two ranks.
        eligible = rng.permutation(
            np.flatnonzero((np.bincount(ea, minlength=n) >= 2) & (primary >= 0))
        )
        eligible = eligible[~is_adv_spec[primary[eligible]]]
        if 2 * n_couples > len(eligible):
            raise ValueError(f"only {len(eligible)} applicants can be in couples")
        pairs = eligible[: 2 * n_couples].reshape(-1, 2)
    c_rows_p1: list[np.ndarray] = []
    c_rows_p2: list[np.ndarray] = []
    for x, y in pairs:
        lx, ux = ep[a_ptr_all[x] : a_ptr_all[x + 1]], eu[a_ptr_all[x] : a_ptr_all[x + 1]]
        ly, uy = ep[a_ptr_all[y] : a_ptr_all[y + 1]], eu[a_ptr_all[y] : a_ptr_all[y + 1]]
        same_region = p_region[lx][:, None] == p_region[ly][None, :]
        score = ux[:, None] + uy[None, :] + 1.5 * same_region
        if couples_model == "random":
            flat = np.argsort(-score, axis=None)[: min(30, score.size)]
            ix, iy = np.unravel_index(flat, score.shape)
            c_rows_p1.append(np.concatenate([lx[ix], [lx[0], -1]]))
            c_rows_p2.append(np.concatenate([ly[iy], [-1, ly[0]]]))
            continue
        # Pairs in one metro area first, then in one region; never across regions.
        # Then each partner's best program alone (the other to find a place in SOAP).
        score = score + 3.0 * (p_metro[lx][:, None] == p_metro[ly][None, :])
        score[~same_region] = -np.inf
        ok = int(same_region.sum())
        flat = np.argsort(-score, axis=None, kind="stable")[: min(_MAX_PAIRS, ok)]
        ix, iy = np.unravel_index(flat, score.shape)
        c_rows_p1.append(np.concatenate([lx[ix], [lx[0], -1]]))
        c_rows_p2.append(np.concatenate([ly[iy], [-1, ly[0]]]))
    in_couple = np.zeros(n, dtype=bool)
    in_couple[pairs.ravel()] = True

    # Applicant order: singles first, then couple members (as Market.build does).
    singles = np.flatnonzero(~in_couple)
    new_id = np.empty(n, dtype=np.int64)
    new_id[singles] = np.arange(len(singles))
    new_id[pairs.ravel()] = np.arange(len(singles), n)

    single_entry = ~in_couple[ea]
    sa_new, sp_single = new_id[ea[single_entry]], ep[single_entry]
    order = np.argsort(sa_new, kind="stable")
    a_list = sp_single[order]
    a_ptr = np.zeros(n + 1, dtype=np.int64)
    a_ptr[1:] = np.cumsum(np.bincount(sa_new, minlength=n))
    s_new = new_id[sa]
    order = np.argsort(s_new, kind="stable")
    s_list = sp_[order]
    s_ptr = np.zeros(n + 1, dtype=np.int64)
    s_ptr[1:] = np.cumsum(np.bincount(s_new, minlength=n))

    # Programs rank everyone who ranked them (primary or supplemental), bar a few.
    pa = np.concatenate([ea, sa])
    pp = np.concatenate([ep, sp_])
    _, first = np.unique(pp * n + pa, return_index=True)  # primary and supplemental overlap
    first = np.sort(first)
    pa, pp = pa[first], pp[first]
    keep = rng.random(len(pa)) > 0.05
    pa, pp = pa[keep], pp[keep]
    score = (
        strength[pa]
        + _TYPE_BIAS[kind[pa]]
        + 0.3 * (p_region[pp] == a_region[pa])
        + rng.normal(scale=0.5, size=len(pa))
    )
    order = np.lexsort((-score, pp))
    p_list = new_id[pa[order]]
    p_ptr = np.zeros(n_prog + 1, dtype=np.int64)
    p_ptr[1:] = np.cumsum(np.bincount(pp, minlength=n_prog))

    c_ptr = np.zeros(n_couples + 1, dtype=np.int64)
    c_ptr[1:] = np.cumsum([len(r) for r in c_rows_p1])
    c_pairs = np.stack([cat(c_rows_p1, np.int64), cat(c_rows_p2, np.int64)], axis=1)
    ids = [f"A{i:06d}" for i in range(n)]
    old_of = np.argsort(new_id)
    return Market(
        applicant_ids=tuple(ids),
        program_ids=tuple(codes),
        quota=quota,
        track=track,
        a_ptr=a_ptr,
        a_list=a_list,
        p_ptr=p_ptr,
        p_list=p_list,
        s_ptr=s_ptr,
        s_list=s_list,
        couple_members=new_id[pairs].reshape(-1, 2),
        c_ptr=c_ptr,
        c_pairs=c_pairs.reshape(-1, 2),
        applicant_type=tuple(_TYPES[k] for k in kind[old_of]),
    )
