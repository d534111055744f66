"""The program catalogue as plain values: the shipped real catalogue, provenance, the
synthetic catalogue and competitiveness.

Pure Python and NumPy; :mod:`.services` stores these rows. The **shipped catalogue**
(``data/programs.csv``) is built by ``manage.py build_catalogue`` from the public NRMP and
ACGME files (:func:`.importer.build_catalogue`); every row says where its positions and
its place come from, and in which year (:class:`Provenance`). The synthetic catalogue is a
deterministic function of the published per-specialty figures (:mod:`.figures`): the
number of programs and their sizes follow NRMP 2024 positions and average program size
scaled to the 2025 total (43,237 positions); programs are spread over states by
population; fill histories follow the specialty's latest published fill rate, with
programs that lastingly fill less than others (``FILL_CONCENTRATION``). Every row says
``synthetic=True``; only the tests and the national simulation (``calibrate``) use it.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import figures

__all__ = [
    "CATALOGUE_PATH",
    "ProgramRow",
    "Provenance",
    "competitiveness",
    "coverage",
    "read_catalogue",
    "synthetic_catalogue",
    "write_catalogue",
]

# The generator's revision is part of the source, so a database holding an older
# synthetic catalogue is regenerated (services.ensure_catalogue). Revision 2: fill
# histories with lasting program differences (FILL_CONCENTRATION).
SYNTHETIC_SOURCE = (
    "Synthetic (generator 2): generated from NRMP 2024 per-specialty positions and sizes "
    "scaled to 2025 [NRMP]; institutions, places and histories are invented"
)


@dataclass
class ProgramRow:
    nrmp_code: str
    institution_code: str
    institution: str
    specialty: str
    specialty_code: str
    track: str
    city: str
    state: str
    latitude: float | None
    longitude: float | None
    quota: int
    fill_history: dict[str, list[int]] = field(default_factory=dict)  # year -> [quota, matched]
    setting: str = ""
    visa_sponsor: bool | None = None
    img_share: float | None = None
    synthetic: bool = False
    name: str = ""
    # Provenance: the year of ``quota`` (None when estimated), where it and the place
    # come from (the POSITIONS_* and LOCATION_* keys below; "" when unknown).
    positions_year: int | None = None
    positions_basis: str = ""
    location_basis: str = ""


# Where a program's positions come from.
POSITIONS_RESULTS = "results"
POSITIONS_FLORIDA = "florida"
POSITIONS_ESTIMATED = "estimated"
POSITIONS_SYNTHETIC = "synthetic"
POSITIONS_BASES = {
    POSITIONS_RESULTS: "NRMP Program Results, the program's own row [NRMP]",
    POSITIONS_FLORIDA: (
        "NRMP program results for Florida 2020-2026 (Main Match), republished by a "
        "Florida hospital dashboard [NRMP]"
    ),
    POSITIONS_ESTIMATED: (
        "estimated: the mean of the specialty's programs whose positions are known [assumption]"
    ),
    POSITIONS_SYNTHETIC: "synthetic: invented from NRMP per-specialty totals",
}
# Where a program's city and coordinates come from.
LOCATION_PROGRAM_CITY = "program_city"
LOCATION_INSTITUTION_CITY = "institution_city"
LOCATION_ACGME = "acgme"
LOCATION_STATE = "state"
LOCATION_SYNTHETIC = "synthetic"
LOCATION_BASES = {
    LOCATION_PROGRAM_CITY: "the program's city in NRMP Program Results, at the city's centroid",
    LOCATION_INSTITUTION_CITY: (
        "the city of the institution's other programs in NRMP Program Results, at the "
        "city's centroid"
    ),
    LOCATION_ACGME: "the ACGME program list (2019), at the city's centroid",
    LOCATION_STATE: "state only: placed at the state's largest city",
    LOCATION_SYNTHETIC: "synthetic: near the state's largest city",
}
CITY_BASES = (LOCATION_PROGRAM_CITY, LOCATION_INSTITUTION_CITY, LOCATION_ACGME)


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where one program's figures come from, with their year, and how to say it.

    >>> p = Provenance(8, 2020, "results", "program_city", (2014, 2020))
    >>> p.positions_note, p.location_note, p.history_note
    ('positions: 8 (2020)', 'location: city centroid', 'fill history: 2014-2020')
    >>> Provenance(6, None, "estimated", "state", None).positions_note
    'positions: 6 (estimated: specialty mean)'
    """

    positions: int
    positions_year: int | None
    positions_basis: str
    location_basis: str
    history_years: tuple[int, int] | None

    @property
    def positions_note(self) -> str:
        if self.positions_basis == POSITIONS_ESTIMATED:
            return f"positions: {self.positions} (estimated: specialty mean)"
        if self.positions_basis == POSITIONS_SYNTHETIC:
            return f"positions: {self.positions} (synthetic)"
        if self.positions_year:
            return f"positions: {self.positions} ({self.positions_year})"
        return f"positions: {self.positions} (year unknown)"

    @property
    def location_note(self) -> str:
        if self.location_basis in CITY_BASES:
            return "location: city centroid"
        if self.location_basis == LOCATION_STATE:
            return "location: state only"
        if self.location_basis == LOCATION_SYNTHETIC:
            return "location: synthetic"
        return "location: source unknown"

    @property
    def history_note(self) -> str:
        if self.history_years is None:
            return "fill history: none published"
        first, last = self.history_years
        return f"fill history: {first}-{last}" if first != last else f"fill history: {first}"

    @property
    def positions_source(self) -> str:
        return POSITIONS_BASES.get(self.positions_basis, "not recorded")

    @property
    def location_source(self) -> str:
        return LOCATION_BASES.get(self.location_basis, "not recorded")

    def as_dict(self) -> dict[str, object]:
        return {
            "positions": self.positions,
            "positions_year": self.positions_year,
            "positions_basis": self.positions_basis,
            "positions_note": self.positions_note,
            "positions_source": self.positions_source,
            "location_basis": self.location_basis,
            "location_note": self.location_note,
            "location_source": self.location_source,
            "history_note": self.history_note,
        }


def provenance(row: ProgramRow) -> Provenance:
    years = sorted(int(y) for y in row.fill_history)
    return Provenance(
        positions=row.quota,
        positions_year=row.positions_year,
        positions_basis=POSITIONS_SYNTHETIC if row.synthetic else row.positions_basis,
        location_basis=LOCATION_SYNTHETIC if row.synthetic else row.location_basis,
        history_years=(years[0], years[-1]) if years else None,
    )


# ------------------------------------------------------------ the shipped catalogue

CATALOGUE_PATH = Path(__file__).resolve().parent / "data" / "programs.csv"
CATALOGUE_COLUMNS = [
    "nrmp_code", "name", "institution", "specialty", "city", "state", "latitude",
    "longitude", "location_basis", "positions", "positions_year", "positions_basis",
    "fill_history",
]  # fmt: skip
# What the shipped catalogue is built from (shown on the About page).
CATALOGUE_SOURCES = (
    ("nrmp_program_codes_2024.csv", "which programs: NRMP program codes of the 2024 Match "
     "(program name and code), from a crowd-built interview tracker's seed data"),
    ("nrmp_institution_codes_2024.csv", "institution names and states, same source"),
    ("acgme_specialty_codes.csv", "specialty names by ACGME code, same source"),
    ("nrmp_program_results_2014_2020.csv", "positions, matches and city per program "
     "2014-2020: NRMP Program Results reports [NRMP]"),
    ("nrmp_program_results_florida_2020_2026.csv", "positions and matches 2020-2026, "
     "Florida programs, Main Match table: NRMP program results republished by a Florida "
     "hospital dashboard [NRMP]"),
    ("acgme_programs_geocoded_2019.csv", "program cities and coordinates: the ACGME "
     "program list geocoded by a 2019 couples rank-list tool"),
    ("us_city_latlong.csv", "city centroids: an R package's US city table (MIT)"),
)  # fmt: skip


def _history_text(history: dict[str, list[int]]) -> str:
    return " ".join(f"{y}:{history[y][0]}/{history[y][1]}" for y in sorted(history))


def _history_parse(text: str) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for item in text.split():
        year, _, qm = item.partition(":")
        q, _, m = qm.partition("/")
        out[year] = [int(q), int(m)]
    return out


def write_catalogue(rows: Iterable[ProgramRow]) -> str:
    """The catalogue as the shipped CSV text (one program a line, by code)."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CATALOGUE_COLUMNS)
    for r in sorted(rows, key=lambda r: r.nrmp_code):
        w.writerow(
            [
                r.nrmp_code, r.name, r.institution, r.specialty, r.city, r.state,
                "" if r.latitude is None else f"{r.latitude:.4f}",
                "" if r.longitude is None else f"{r.longitude:.4f}",
                r.location_basis, r.quota,
                "" if r.positions_year is None else r.positions_year,
                r.positions_basis, _history_text(r.fill_history),
            ]
        )  # fmt: skip
    return out.getvalue()


def read_catalogue(path: Path = CATALOGUE_PATH) -> list[ProgramRow]:
    """The shipped catalogue's rows."""
    with path.open(newline="", encoding="utf-8") as f:
        return [
            ProgramRow(
                nrmp_code=r["nrmp_code"],
                institution_code=r["nrmp_code"][:4],
                institution=r["institution"],
                specialty=r["specialty"],
                specialty_code=r["nrmp_code"][4:7],
                track=r["nrmp_code"][7],
                city=r["city"],
                state=r["state"],
                latitude=float(r["latitude"]) if r["latitude"] else None,
                longitude=float(r["longitude"]) if r["longitude"] else None,
                quota=int(r["positions"]),
                fill_history=_history_parse(r["fill_history"]),
                name=r["name"],
                positions_year=int(r["positions_year"]) if r["positions_year"] else None,
                positions_basis=r["positions_basis"],
                location_basis=r["location_basis"],
            )
            for r in csv.DictReader(f)
        ]


@functools.lru_cache(maxsize=4)
def shipped_source(path: Path = CATALOGUE_PATH) -> str:
    """The ``source`` of the shipped catalogue's rows: names the build (by the file's
    digest) so a database holding an older build is refreshed."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return f"{SHIPPED_PREFIX} (build {digest}) [NRMP]"


SHIPPED_PREFIX = "Preceptor's catalogue from public NRMP and ACGME files"

# NRMP's published Main Match totals [NRMP] (DOMAIN.md §6), for the coverage report.
NRMP_TOTALS = {2024: (6395, 41503), 2025: (6626, 43237)}


@dataclass
class Coverage:
    specialty: str
    programs: int
    positions: int
    positions_known: int  # programs whose positions come from a published row
    placed_by_city: int
    latest_year: int | None


def coverage(
    specialties: Sequence[str], provenances: Sequence[Provenance]
) -> tuple[Coverage, list[Coverage]]:
    """The whole catalogue's coverage and each specialty's (largest first)."""
    groups: dict[str, list[Provenance]] = {}
    for s, p in zip(specialties, provenances, strict=True):
        groups.setdefault(s, []).append(p)

    def one(name: str, ps: list[Provenance]) -> Coverage:
        years = [p.positions_year for p in ps if p.positions_year]
        return Coverage(
            specialty=name,
            programs=len(ps),
            positions=sum(p.positions for p in ps),
            positions_known=sum(
                p.positions_basis in (POSITIONS_RESULTS, POSITIONS_FLORIDA) for p in ps
            ),
            placed_by_city=sum(p.location_basis in CITY_BASES for p in ps),
            latest_year=max(years) if years else None,
        )

    total = one("All programs", list(provenances))
    per = sorted((one(k, v) for k, v in groups.items()), key=lambda c: (-c.positions, c.specialty))
    return total, per


def competitiveness(quota: int, spec_size: float, history: dict[str, list[int]]) -> float:
    """A program's competitiveness (0 = typical for its specialty, about ±2).

    Unfilled years lower it (a program that went unfilled attracts fewer strong
    applicants); size relative to the specialty raises it (large programs are mostly
    academic centres) [assumption].

    >>> competitiveness(10, 10.0, {"2019": [10, 10], "2020": [10, 10]})
    0.3
    >>> competitiveness(10, 10.0, {"2019": [10, 8], "2020": [10, 9]})
    -1.5
    """
    years = sorted(history)[-5:]
    unfilled = sum(1 for y in years if history[y][1] < history[y][0])
    filled_all = 0.3 if years and unfilled == 0 else 0.0
    size = 0.5 * math.log(max(quota, 1) / max(spec_size, 1.0))
    return round(max(-2.5, min(2.5, filled_all - 0.75 * unfilled + size)), 3)


# How programs differ lastingly in filling: each program's chance of filling a
# position is Beta(c*m, c*(1 - m)) around its specialty's fill rate m. c = 5 reproduces
# the NRMP Program Results 2015-2019 (categorical programs and the transitional year,
# ``../shared/data/nrmp_program_results_2014_2020.csv`` [NRMP]): 82.4% of positions are
# in programs that filled every year (5 gives 83.2%, 10 gives 77%, no spread 49%), 5.0%
# in programs that filled under 90% of their positions over the five years (5 gives
# 5.3%). Unfilled positions thus sit in programs that usually go unfilled, as in the real
# file (test: ``test_fill_concentration_reproduces_the_real_program_results``).
FILL_CONCENTRATION = 5.0
_SETTINGS = ("university", "community_university", "community")
_SUFFIX = (
    "University Hospital",
    "Medical Center",
    "Regional Health",
    "Community Hospital",
    "Health System",
    "Memorial Hospital",
)


def synthetic_catalogue(seed: int = 2025) -> list[ProgramRow]:
    """The embedded default catalogue (deterministic for a seed).

    >>> rows = synthetic_catalogue()
    >>> len(rows) > 4000, all(r.synthetic for r in rows)
    (True, True)
    >>> rows[0] == synthetic_catalogue()[0]
    True
    """
    rng = np.random.default_rng(seed)
    total = sum(s.positions for s in figures.SPECIALTIES)
    factor = 43_237 * 0.93 / total  # NRMP 2025 positions, less the advanced share
    states = list(figures.STATE_POP)
    pop = np.array([figures.STATE_POP[s] for s in states])
    pop = pop / pop.sum()
    # A fixed set of institutions per state, so specialties share hospitals.
    n_inst = 900
    inst_state = rng.choice(len(states), size=n_inst, p=pop)
    inst_setting = rng.choice(3, size=n_inst, p=[0.35, 0.35, 0.30])
    rng.normal(size=n_inst)
    rows: list[ProgramRow] = []
    for s in figures.SPECIALTIES:
        positions = max(1, round(s.positions * factor))
        n = max(1, round(positions / s.program_size))
        w = rng.gamma(2.0, 1.0, size=n)
        quota = np.maximum(1, np.round(w / w.sum() * positions)).astype(int)
        # The latest published fill rate (2025, else NRMP 2024), not a guess from
        # applicants per position, which gave psychiatry 94% and anesthesiology 95%.
        fill = figures.fill_rate(s.name) if s.name in figures.UNFILLED_2024 else 0.95
        # Larger specialties spread over more institutions; prestige goes with size.
        inst = rng.choice(n_inst, size=n, replace=n > n_inst)
        for k in range(n):
            i = int(inst[k])
            st = states[int(inst_state[i])]
            code4 = f"{1000 + i:04d}"
            # Each program has its own lasting chance of filling a position, Beta with
            # the specialty's mean and concentration FILL_CONCENTRATION; each year's
            # matched count is binomial on it (see FILL_CONCENTRATION).
            c = FILL_CONCENTRATION
            p_fill = float(rng.beta(fill * c, (1 - fill) * c)) if fill < 1 else 1.0
            history: dict[str, list[int]] = {}
            for year in range(2021, 2026):
                matched = int(rng.binomial(int(quota[k]), p_fill))
                history[str(year)] = [int(quota[k]), matched]
            lat, lon = figures.STATE_COORDS[st]
            # Spread programs around the state's largest city (about ±60 miles).
            lat += float(rng.normal(scale=0.5))
            lon += float(rng.normal(scale=0.6))
            setting = _SETTINGS[int(inst_setting[i])]
            inst_name = f"{figures.STATES[states.index(st)][3]} {_SUFFIX[i % len(_SUFFIX)]} {i}"
            rows.append(
                ProgramRow(
                    nrmp_code=f"{code4}{s.code}{s.track}{k % 10}",
                    institution_code=code4,
                    institution=f"{inst_name}-{st}",
                    specialty=s.name,
                    specialty_code=s.code,
                    track=s.track,
                    city=figures.STATES[states.index(st)][3],
                    state=st,
                    latitude=round(lat, 4),
                    longitude=round(lon, 4),
                    quota=int(quota[k]),
                    fill_history=history,
                    setting=setting,
                    visa_sponsor=bool(rng.random() < s.visa_share),
                    img_share=round(float(rng.beta(1, 4 if setting == "community" else 9)), 2),
                    synthetic=True,
                    name=s.name,
                    positions_year=2025,
                    positions_basis=POSITIONS_SYNTHETIC,
                    location_basis=LOCATION_SYNTHETIC,
                )
            )
    # Codes must be unique: bump the serial digit, then the institution, on a clash.
    seen: set[str] = set()
    for r in rows:
        code = r.nrmp_code
        bump = 0
        while code in seen:
            bump += 1
            code = f"{(int(code[:4]) + bump * 901) % 9000 + 1000:04d}{code[4:]}"
        seen.add(code)
        r.nrmp_code = code
    return rows
