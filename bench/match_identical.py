"""Check that the working tree's Monte Carlo gives byte-identical results to a revision.

Usage: python bench/match_identical.py REV

Performance changes to ``preceptor/match`` are meant to change no result. This script
extracts ``preceptor/match`` at git revision REV (as ``bench/match_ab.py`` does), runs
``simulate`` with both on four markets and compares every tally array exactly: the
national market (24 draws); 3,000 applicants with couples and noise (2.0, 0.5), 60
draws; 2,000 applicants with applicant noise 0, 10 draws; 4,000 singles, 30 draws. It
exits 1 if any differs. The old side compiles into its own JIT cache the first time
(a few minutes).
"""

from __future__ import annotations

import argparse
import importlib
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

FIELDS = ("p_matched", "cand_ptr", "cand_program", "cand_count", "p_filled", "mean_fill")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rev", help="git revision to compare with")
    args = ap.parse_args()

    from match_ab import extract

    from preceptor.match.synthetic import national_market

    cases: list[tuple[str, Callable[[], Any], dict[str, Any]]] = [
        ("national, 24 draws", lambda: national_market(seed=0), {"draws": 24}),
        (
            "3,000 with couples, noise (2, 0.5)",
            lambda: national_market(seed=3, n_applicants=3000, n_couples=120),
            {"draws": 60, "applicant_noise": 2.0, "program_noise": 0.5},
        ),
        (
            "2,000, applicant noise 0",
            lambda: national_market(seed=5, n_applicants=2000, n_couples=40),
            {"draws": 10, "applicant_noise": 0.0},
        ),
        (
            "4,000 singles",
            lambda: national_market(seed=7, n_applicants=4000, n_couples=0, supplemental=False),
            {"draws": 30},
        ),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        sys.path.insert(0, tmp)
        old = importlib.import_module(f"{extract(args.rev, Path(tmp))}.simulate")
        new = importlib.import_module("preceptor.match.simulate")
        ok = True
        for name, make, kw in cases:
            m = make()
            a, b = new.simulate(m, **kw), old.simulate(m, **kw)
            same = a.n_unstable == b.n_unstable and all(
                np.array_equal(getattr(a, f), getattr(b, f)) for f in FIELDS
            )
            ok &= same
            print(f"  {name:<38} {'identical' if same else 'DIFFERENT'}")
    print("all identical" if ok else "results differ")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
