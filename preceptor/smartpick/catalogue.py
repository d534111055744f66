"""The program catalogue as plain values: the synthetic default and competitiveness.

Pure Python and NumPy; :mod:`.services` stores these rows. The synthetic catalogue is a
deterministic function of the published per-specialty figures (:mod:`.figures`): the
number of programs and their sizes follow NRMP 2024 positions and average program size
scaled to the 2025 total (43,237 positions); programs are spread over states by
population; fill histories follow the specialty's 2025 fill rate. Every row says
``synthetic=True`` and the pages label it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from . import figures

__all__ = ["ProgramRow", "competitiveness", "synthetic_catalogue"]

SYNTHETIC_SOURCE = (
    "Synthetic: generated from NRMP 2024 per-specialty positions and sizes scaled to 2025 "
    "[NRMP]; institutions, places and histories are invented"
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
    -1.2
    """
    years = sorted(history)[-5:]
    unfilled = sum(1 for y in years if history[y][1] < history[y][0])
    filled_all = 0.3 if years and unfilled == 0 else 0.0
    size = 0.5 * math.log(max(quota, 1) / max(spec_size, 1.0))
    return round(max(-2.5, min(2.5, filled_all - 0.75 * unfilled + size)), 3)


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
        fill = figures.FILL_RATE_2025.get(s.name, min(1.0, 0.9 + 0.03 * s.applicants_per_position))
        # Larger specialties spread over more institutions; prestige goes with size.
        inst = rng.choice(n_inst, size=n, replace=n > n_inst)
        for k in range(n):
            i = int(inst[k])
            st = states[int(inst_state[i])]
            code4 = f"{1000 + i:04d}"
            history: dict[str, list[int]] = {}
            for year in range(2021, 2026):
                unfilled = rng.random() > fill ** max(1, quota[k] / 2)
                missing = int(rng.integers(1, min(int(quota[k]), 2) + 1)) if unfilled else 0
                matched = int(quota[k]) - missing
                history[str(year)] = [int(quota[k]), max(0, matched)]
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
