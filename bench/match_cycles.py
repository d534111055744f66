"""How often the synthetic national market's Monte Carlo draws end on a couples cycle.

Usage: python bench/match_cycles.py [--draws N] [--seeds 0,1,2] [--couples 1500]
                                    [--model metro|random] [--cycle-bound 50] [--core]
                                    [--set NAME=VALUE ...]

For each market seed: builds ``national_market(seed=S)`` (47,208 applicants, the
couples given), solves it once unperturbed (search status and certificate) and runs
``simulate(market, draws=N, seed=0)``, then prints the draws that ended on a couples
cycle or the iteration bound (left out of the tallies), and the couples' match rate
over the counted draws. ``--core`` also prints, for the same market without couples or
supplemental lists, how many applicants the applicant- and program-proposing stable
matchings place differently (the size of the set of stable matchings). The figures in
docs/match.md ("Couples") come from this script. ``--set _MAX_PAIRS=20`` (JSON values)
changes one of the metro model's constants in ``preceptor.match.synthetic`` for the run.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from preceptor.match import compare, solve, synthetic
from preceptor.match.simulate import simulate
from preceptor.match.synthetic import national_market


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=200)
    ap.add_argument("--seeds", default="0,1,2")
    ap.add_argument("--couples", type=int, default=1_500)
    ap.add_argument("--applicants", type=int, default=47_208)
    ap.add_argument(
        "--model", default="metro", help="couples model of national_market: metro or random"
    )
    ap.add_argument("--cycle-bound", type=int, default=50)
    ap.add_argument("--core", action="store_true")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    args = ap.parse_args()
    for item in args.set:
        name, value = item.split("=", 1)
        if not hasattr(synthetic, name):
            ap.error(f"preceptor.match.synthetic has no {name}")
        x = json.loads(value)
        setattr(synthetic, name, np.array(x, dtype=float) if isinstance(x, list) else x)
        print(f"set {name} = {x}")
    total = cyc = bound = 0
    for seed in (int(x) for x in args.seeds.split(",")):
        t = time.perf_counter()
        m = national_market(
            seed=seed,
            n_applicants=args.applicants,
            n_couples=args.couples,
            couples_model=args.model,
        )
        r = solve(m, cycle_bound=args.cycle_bound)
        sim = simulate(m, draws=args.draws, seed=0, cycle_bound=args.cycle_bound)
        members = m.couple_members.ravel()
        pairs = np.diff(m.c_ptr)
        if sim.n_counted and len(members):
            rates = (
                f"couple members matched {float(sim.p_matched[members].mean()):.1%} "
                f"(all applicants {float(sim.p_matched.mean()):.1%})"
            )
        else:
            rates = "no draw counted"
        print(
            f"{args.model} market seed {seed}: {m.n_couples} couples, "
            f"{pairs.mean() if len(pairs) else 0:.1f} "
            f"pairs each; unperturbed solve {r.status} ({r.iterations:,} iterations), "
            f"certified stable {r.stable}; "
            f"draws {sim.summary()}; {rates} [{time.perf_counter() - t:.0f}s]",
            flush=True,
        )
        if args.core:
            s = national_market(
                seed=seed, n_applicants=args.applicants, n_couples=0, supplemental=False
            )
            d = compare(solve(s, certify=False), solve(s, proposing="programs", certify=False))
            print(f"  singles market: {len(d)} of {s.n_applicants} applicants differ", flush=True)
        total += sim.draws
        cyc += sim.n_cycle
        bound += sim.n_bound
    print(
        f"all markets: {cyc}/{total} draws ended on a couples cycle ({cyc / total:.1%}), "
        f"{bound} on the iteration bound"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
