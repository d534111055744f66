"""The program catalogue as plain values: the synthetic default and competitiveness.

Pure Python and NumPy; :mod:`.services` stores these rows. The synthetic catalogue is a
deterministic function of the published per-specialty figures (:mod:`.figures`): the
number of programs and their sizes follow NRMP 2024 positions and average program size
scaled to the 2025 total (43,237 positions); programs are spread over states by
population; fill histories follow the specialty's latest published fill rate, with
programs that lastingly fill less than others (``FILL_CONCENTRATION``). Every row says
``synthetic=True`` and the pages label it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from . import figures

__all__ = ["ProgramRow", "competitiveness", "synthetic_catalogue"]

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
