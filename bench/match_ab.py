"""Compare the Match engine with an earlier revision, interleaved in one process.

Usage: python bench/match_ab.py REV [--singles 30] [--paired 40] [--draws 256]
       [--rounds 3] [--threads 2]

On a shared machine the speed can drift by a quarter within the hour, so figures from
two separate benchmark runs do not compare. This script extracts ``preceptor/match`` of
git revision REV (``git archive``) into a temporary directory, imports it under another
name beside the working tree's, and alternates the two on the same national markets:

- the singles solve, ``--singles`` times each, alternating which side goes first: each
  side's median and the median of the paired new/old ratios;
- ``--paired`` batches of 4 Monte Carlo draws per thread on the couples market, the
  two sides' kernels called on the same draws back to back (alternating which goes
  first), so that drift hits both alike: the median paired ratio and the ratio of the
  totals. This calls private functions (``solve._local_order``, ``simulate.
  _market_tuple``, ``_kernels.mc_batch``); a revision without them is reported and
  skipped;
- ``--rounds`` whole ``simulate`` calls of ``--draws`` draws each: each round's
  figures and the median ratio.

The draws use ``--threads`` numba threads, 2 by default (1 keeps the comparison fair
while something else runs on the other core).

The first call of each side is a warm-up (the old side compiles into its own JIT cache
under the temporary directory, which can take a few minutes).
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
from collections.abc import Callable
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


def paired(times: dict[str, list[float]]) -> str:
    """Median of the new/old ratios of runs made back to back."""
    ratios = [n / o for o, n in zip(times["old"], times["new"], strict=True)]
    return f"{statistics.median(ratios):.3f}"


def draw_batch(pkg: str, market: object, n: int) -> Callable[[int], object]:
    """A function running Monte Carlo draws d .. d+n-1 (seed 0) with ``pkg``'s kernel,
    everything before the draws done once (as ``simulate`` does per call)."""
    import numba
    import numpy as np

    solve = importlib.import_module(f"{pkg}.solve")
    sim = importlib.import_module(f"{pkg}.simulate")
    kern = importlib.import_module(f"{pkg}._kernels")
    work, app_order, _ = solve._local_order(market)
    prep = solve._prepare(work)
    max_iter = 50 * (len(work.a_list) + len(prep.u_p1) + 1_000)
    orig = app_order.astype(np.int32)
    keys = kern.entry_keys(
        np.uint64(0), orig[prep.a_app], prep.a_list, orig[prep.p_list], prep.p_prog,
        orig[prep.u_s1], prep.u_owner, prep.u_key, orig[prep.s_app], prep.s_list,
    )  # fmt: skip
    mk = sim._market_tuple(prep, keys, solve._unit_order(prep, 0), max_iter, 50)

    threads = numba.get_num_threads()
    if hasattr(sim, "_tally_arrays"):  # since the draws tally themselves
        tally = sim._tally_arrays(prep, *sim._candidates(work), threads)

        def run(d: int) -> object:
            return kern.mc_batch(
                np.uint64(0), d, n, sim._TABLE, 1.0, 1.0, mk, prep.rank_proto, tally
            )
    else:

        def run(d: int) -> object:
            return kern.mc_batch(
                np.uint64(0), d, n, sim._TABLE, 1.0, 1.0, mk, threads, prep.rank_proto
            )

    run(0)  # compile or load
    return run


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("rev", help="git revision to compare with (e.g. HEAD~3, a commit hash)")
    ap.add_argument("--draws", type=int, default=256)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--singles", type=int, default=30)
    ap.add_argument("--paired", type=int, default=40, help="paired batches of 4 draws")
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
        for i in range(args.singles):
            for k in ("old", "new") if i % 2 == 0 else ("new", "old"):
                t = time.perf_counter()
                sides[k].solve(singles, certify=False)
                times[k].append(time.perf_counter() - t)
        med = {k: 1e3 * statistics.median(v) for k, v in times.items()}
        print(
            f"  singles solve, {args.singles} each: median old {med['old']:.2f} ms, "
            f"new {med['new']:.2f} ms; paired new/old {paired(times)}"
        )

        if args.paired > 0:
            try:
                nb = 4 * numba.get_num_threads()
                batches = {k: draw_batch(m.__name__, couples, nb) for k, m in sides.items()}
            except (AttributeError, TypeError) as exc:
                print(f"  paired draws skipped: {args.rev} lacks the private API ({exc})")
            else:
                times = {"old": [], "new": []}
                for i in range(args.paired):
                    for k in ("old", "new") if i % 2 == 0 else ("new", "old"):
                        t = time.perf_counter()
                        batches[k](nb * i)
                        times[k].append(time.perf_counter() - t)
                tot = {k: sum(v) for k, v in times.items()}
                print(
                    f"  Monte Carlo, {args.paired} paired batches of {nb} draws, "
                    f"{numba.get_num_threads()} thread(s): median old "
                    f"{1e3 * statistics.median(times['old']) / nb:.1f} ms/draw, "
                    f"new {1e3 * statistics.median(times['new']) / nb:.1f}; paired new/old "
                    f"{paired(times)}, totals {tot['new'] / tot['old']:.3f}"
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
        if ratios:
            print(
                f"  Monte Carlo, {numba.get_num_threads()} thread(s): median new/old "
                f"{statistics.median(ratios):.2f} over {args.rounds} rounds"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
