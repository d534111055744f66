"""SmartPick over the shipped real catalogue: its memory, and one full recommendation.

Usage: python bench/smartpick_catalogue_bench.py [--quick]

Prints, each beside its target:
- the shipped catalogue (``preceptor/smartpick/data/programs.csv``) as the process keeps
  it (``recommend.Catalogue``, the arrays ``services.load_catalogue`` caches): memory
  held after loading and the peak while loading (tracemalloc), target <= 50 MB;
- one full recommendation (candidates, interview and match models, the optimiser with
  preferences and the P(match) floor, the list size, curve, reasons, provenance) over it,
  p50 and p95 over varied applicants, each marking a dozen programs of their specialty
  dream, would like or would rather not, half using criteria as preferences, a floor of
  80-95%: target p95 <= 100 ms.
``--quick`` times 20 applicants instead of 200.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from preceptor.smartpick.catalogue import read_catalogue  # noqa: E402
from preceptor.smartpick.interview import Applicant  # noqa: E402
from preceptor.smartpick.recommend import Catalogue, Request, recommend  # noqa: E402

SPECS = [
    "Internal Medicine", "Family Medicine", "Pediatrics", "Psychiatry", "Surgery",
    "Emergency Medicine", "Anesthesiology", "Obstetrics-Gynecology", "Neurology",
]  # fmt: skip


def requests(k: int, cat: Catalogue) -> list[Request]:
    rng = np.random.default_rng(0)
    out = []
    for i in range(k):
        kind = ["md", "do", "usimg", "img"][i % 4]
        spec = SPECS[i % len(SPECS)]
        codes = cat.code[cat.specialty == spec]
        marked = rng.choice(codes, size=min(12, len(codes)), replace=False)
        levels = rng.choice(["dream", "like", "avoid"], size=len(marked))
        out.append(
            Request(
                applicant=Applicant(
                    kind=kind,
                    step2=float(rng.normal(245, 12)),
                    home_state=str(rng.choice(["NY", "CA", "TX", "OH", "FL"])),
                    needs_visa=kind == "img",
                ),
                target=spec,
                budget=int(rng.choice([10, 30, 40, 60] if kind == "md" else [20, 40, 67, 160])),
                gold=3,
                silver=7,
                backup="Family Medicine" if i % 5 == 0 and spec != "Family Medicine" else "",
                preferred_regions=("Northeast", "South") if i % 3 == 0 else (),
                max_distance=800 if i % 7 == 0 else None,
                wishes=tuple(sorted(zip(marked.tolist(), levels.tolist(), strict=True))),
                criteria_mode="prefer" if i % 2 else "only",
                floor=float(rng.choice([0.8, 0.9, 0.95])),
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    n = 20 if args.quick else 200

    gc.collect()
    tracemalloc.start()
    t = time.perf_counter()
    rows = read_catalogue()
    cat = Catalogue.from_rows(rows)
    del rows
    gc.collect()
    held, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    mb = held / 2**20
    print(
        f"catalogue: {cat.n} programs, {int(cat.quota.sum())} positions, loaded in "
        f"{time.perf_counter() - t:.2f} s"
    )
    print(
        f"  memory held by the catalogue:      {mb:7.1f} MB (peak while loading "
        f"{peak / 2**20:.1f} MB)   target <= 50 MB   {'met' if mb <= 50 else 'MISSED'}"
    )

    reqs = requests(n, cat)
    recommend(cat, reqs[0])  # fitted intercepts and other first-call caches
    ms = []
    for req in reqs:
        t = time.perf_counter()
        recommend(cat, req)
        ms.append(1000 * (time.perf_counter() - t))
    p95 = float(np.percentile(ms, 95))
    print(
        f"  recommendation with preferences (real catalogue): p50 "
        f"{statistics.median(ms):6.1f} ms, p95 {p95:6.1f} ms   target p95 <= 100 ms  "
        f"{'met' if p95 <= 100 else 'MISSED'}"
        f"  ({n} applicants)"
    )


if __name__ == "__main__":
    main()
