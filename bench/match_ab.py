"""Compare the Match engine with an earlier revision, interleaved in one process.

Usage: python bench/match_ab.py REV [--draws 256] [--rounds 3] [--singles 30] [--threads 2]

On a shared machine the speed can drift by a quarter within the hour, so figures from
two separate benchmark runs do not compare. This script extracts ``preceptor/match`` of
git revision REV (``git archive``) into a temporary directory, imports it under another
name beside the working tree's, and alternates the two on the same national markets:
the singles solve (median of ``--singles`` alternating runs each) and ``--draws``
Monte Carlo draws on the couples market (``--rounds`` alternating rounds, ``--threads``
numba threads, 2 by default; 1 keeps the comparison fair while something else runs on
the other core). It prints each side's figures, the new/old ratio of each round and
their median. The first call of each
side is a warm-up (the old side compiles into its own JIT cache under the temporary
directory, which can take a few minutes).
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def extract(rev: str, into: Path) -> str:
    """``preceptor/match`` at ``rev`` as package ``match_at_rev`` under ``into``."""
    blob = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, "preceptor/match"],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(blob)) as tar:
        tar.extractall(into, filter="data")
    (into / "preceptor" / "match").rename(into / "match_at_rev")
    return "match_at_rev"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rev", help="git revision to compare with (e.g. HEAD~3, a commit hash)")
    ap.add_argument("--draws", type=int, default=256)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--singles", type=int, default=30)
    ap.add_argument("--threads", type=int, default=2, help="numba threads for the draws")
    args = ap.parse_args()
    import numba

    numba.set_num_threads(args.threads)

    from preceptor.match.synthetic import national_market

    with tempfile.TemporaryDirectory() as tmp:
        sys.path.insert(0, tmp)
        name = extract(args.rev, Path(tmp))
        sides = {
            "old": importlib.import_module(name),
            "new": importlib.import_module("preceptor.match"),
        }
        sims = {k: importlib.import_module(f"{m.__name__}.simulate") for k, m in sides.items()}
        singles = national_market(seed=0, n_couples=0, supplemental=False)
        couples = national_market(seed=0)
        print(f"comparing preceptor/match at {args.rev} (old) with the working tree (new)")
        for k in sides:  # warm-up: JIT (old side compiles under the temporary directory)
            sides[k].solve(singles, certify=False)
            sims[k].simulate(couples, draws=2)

        times: dict[str, list[float]] = {"old": [], "new": []}
        for _ in range(args.singles):
            for k, m in sides.items():
                t = time.perf_counter()
                m.solve(singles, certify=False)
                times[k].append(time.perf_counter() - t)
        med = {k: 1e3 * statistics.median(v) for k, v in times.items()}
        print(
            f"  singles solve, median of {args.singles}: old {med['old']:.2f} ms, "
            f"new {med['new']:.2f} ms, new/old {med['new'] / med['old']:.2f}"
        )

        per_draw: dict[str, list[float]] = {"old": [], "new": []}
        for r in range(args.rounds):
            for k, sim in sims.items():
                t = time.perf_counter()
                sim.simulate(couples, draws=args.draws, seed=r)
                per_draw[k].append(1e3 * (time.perf_counter() - t) / args.draws)
        for r in range(args.rounds):
            o, n = per_draw["old"][r], per_draw["new"][r]
            print(
                f"  Monte Carlo round {r + 1}, {args.draws} draws: old {o:.1f} ms/draw, "
                f"new {n:.1f} ms/draw (1,000 draws: {o:.1f} s vs {n:.1f} s), "
                f"new/old {n / o:.2f}"
            )
        ratios = [n / o for o, n in zip(per_draw["old"], per_draw["new"], strict=True)]
        print(
            f"  Monte Carlo, {numba.get_num_threads()} thread(s): median new/old "
            f"{statistics.median(ratios):.2f} over {args.rounds} rounds"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
