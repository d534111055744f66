"""Benchmark the Match engine at national scale and print every figure beside its target.

Usage: python bench/match_bench.py [--quick]

Every number is measured in this run; nothing is hard-coded. ``--quick`` runs a small
market for a smoke test (its figures are not comparable with the targets).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numba  # noqa: E402
import numpy as np  # noqa: E402

from preceptor.match import Market, solve  # noqa: E402
from preceptor.match.simulate import simulate  # noqa: E402
from preceptor.match.synthetic import national_market  # noqa: E402

ROWS: list[tuple[str, str, str, str]] = []


def row(name: str, value: str, target: str, ok: bool | None) -> None:
    verdict = "" if ok is None else ("met" if ok else "MISSED")
    ROWS.append((name, value, target, verdict))
    print(f"  {name:<52} {value:>16}   target {target:<14} {verdict}", flush=True)


def timed(fn, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


_SNIPPET = """
import time, resource, sys
sys.path.insert(0, {root!r})
t = time.perf_counter()
from preceptor.match import Couple, Market, solve
m = Market.build(quotas={{"h": 1}}, applicant_rankings={{"a": ["h"]}},
                 program_rankings={{"h": ["a"]}})
solve(m)
m = Market.build(quotas={{"h": 2}}, applicant_rankings={{"a": ["h"]}},
                 program_rankings={{"h": ["a", "b"]}}, couples=[Couple("b", "c", ["h"], ["-"])])
solve(m)
print(time.perf_counter() - t)
"""


def first_call(cache_dir: str) -> float:
    env = {**os.environ, "NUMBA_CACHE_DIR": cache_dir}
    out = subprocess.run(
        [sys.executable, "-c", _SNIPPET.format(root=str(ROOT))],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


_MEMORY = """
import resource, sys
sys.path.insert(0, {root!r})
from preceptor.match import solve
from preceptor.match.synthetic import national_market
m = national_market(seed=0, n_applicants={n}, n_couples={c})
solve(m)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def matching_solve(m: Market) -> float:
    from matching.games import HospitalResident

    apps = m.applicant_rankings()
    progs = m.program_rankings()
    ranked = {p: set(v) for p, v in progs.items()}
    res = {a: [p for p in v if a in ranked[p]] for a, v in apps.items()}
    app_sets = {a: set(v) for a, v in apps.items()}
    hos = {p: [a for a in v if p in app_sets.get(a, ())] for p, v in progs.items()}
    res = {a: v for a, v in res.items() if v}
    hos = {p: v for p, v in hos.items() if v}
    caps = {p: int(m.quota[m.program_index(p)]) for p in hos}
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 50 * len(res) + 10_000))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = time.perf_counter()
        game = HospitalResident.create_from_dictionaries(res, hos, caps)
        game.solve(optimal="resident")
        return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small smoke run (figures not comparable)")
    args = ap.parse_args()
    n_app, n_couples, draws, n_diff = (
        (4_000, 120, 40, 2_000) if args.quick else (47_208, 1_500, 1_000, 20_000)
    )
    print(
        f"Match engine benchmark ({'QUICK smoke run' if args.quick else 'national scale'}); "
        f"numba threads {numba.get_num_threads()}, cores {os.cpu_count()}"
    )

    with tempfile.TemporaryDirectory() as cold:
        t_cold = first_call(cold)
        t_warm = first_call(cold)
    row("JIT first call (both kernels), cache cold (s)", f"{t_cold:.2f}", "reported", None)
    row("JIT first call (both kernels), cache warm (s)", f"{t_warm:.2f}", "reported", None)

    t = time.perf_counter()
    singles = national_market(seed=0, n_applicants=n_app, n_couples=0, supplemental=False)
    couples = national_market(seed=0, n_applicants=n_app, n_couples=n_couples)
    print(
        f"  built markets in {time.perf_counter() - t:.1f}s: {singles.n_applicants} applicants, "
        f"{singles.n_programs} programs, {int(singles.quota.sum())} positions, "
        f"{singles.n_ranks / singles.n_applicants:.1f} ranks each; couples market "
        f"{couples.n_couples} couples, {int((np.diff(couples.s_ptr) > 0).sum())} "
        f"supplemental lists"
    )

    solve(singles, certify=False)
    ts = timed(lambda: solve(singles, certify=False), 30)
    r = solve(singles)
    row(
        "singles solve, median after warm-up (ms)",
        f"{1e3 * statistics.median(ts):.1f}",
        "<= 10",
        statistics.median(ts) <= 0.010,
    )
    row(
        "singles: certified stable / match rate",
        f"{r.stable} / {r.n_matched / n_app:.1%}",
        "True",
        r.stable,
    )
    tc = timed(lambda: solve(singles), 3)
    row(
        "singles solve + independent certificate (ms)",
        f"{1e3 * statistics.median(tc):.1f}",
        "reported",
        None,
    )

    solve(couples, certify=False)
    ts = timed(lambda: solve(couples, certify=False), 10)
    rc = solve(couples)
    row(
        "couples+supplemental solve, median (ms)",
        f"{1e3 * statistics.median(ts):.1f}",
        "<= 50",
        statistics.median(ts) <= 0.050,
    )
    row(
        "couples: search status / certified stable",
        f"{rc.status} / {rc.stable}",
        "stable",
        rc.stable,
    )

    sim_market = couples
    simulate(sim_market, draws=2, seed=0)  # compile
    t = time.perf_counter()
    sim = simulate(sim_market, draws=draws, seed=0)
    t_mc = time.perf_counter() - t
    row(
        f"Monte Carlo {draws} draws, couples market (s)",
        f"{t_mc:.1f}",
        "<= 30" if not args.quick else "reported",
        None if args.quick else t_mc <= 30,
    )
    row("Monte Carlo draws without a stable search", f"{sim.n_unstable}/{draws}", "reported", None)

    code = _MEMORY.format(root=str(ROOT), n=n_app, c=n_couples)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    rss = float(out.stdout.strip().splitlines()[-1])
    row("peak memory, generate + solve couples market (MB)", f"{rss:.0f}", "<= 300", rss <= 300)

    diff_market = national_market(seed=1, n_applicants=n_diff, n_couples=0, supplemental=False)
    solve(diff_market, certify=False)
    ours = statistics.median(timed(lambda: solve(diff_market, certify=False), 20))
    theirs = matching_solve(diff_market)
    same = None
    row(f"`matching` solve, {n_diff} applicants (s)", f"{theirs:.2f}", "reported", same)
    row("ours, same market (ms)", f"{1e3 * ours:.2f}", "reported", None)
    row("speed-up", f"{theirs / ours:,.0f}x", ">= 1,000x", theirs / ours >= 1000)
    row(
        "this process ru_maxrss (MB, includes `matching`)",
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}",
        "reported",
        None,
    )
    missed = [r for r in ROWS if r[3] == "MISSED"]
    print(f"{len(missed)} target(s) missed" if missed else "all targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
