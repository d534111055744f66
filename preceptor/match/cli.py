"""Command line: ``preceptor match solve DIR`` and ``preceptor match simulate DIR``.

``main`` takes the arguments after ``match`` (``python -m preceptor.match`` passes its
own), prints results as CSV on stdout and progress on stderr.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections.abc import Callable

from .io import load_market
from .simulate import simulate
from .solve import solve

__all__ = ["main"]


def _progress(label: str) -> Callable[[int, int], None]:
    start = time.perf_counter()

    def report(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        elapsed = time.perf_counter() - start
        sys.stderr.write(
            f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} {elapsed:.1f}s"
        )
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return report


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="preceptor match",
        description="Run the NRMP-style Match on a market directory (programs.csv, "
        "applicants.csv, rankings.csv, optional couples.csv).",
    )
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("solve", help="solve once; print each applicant's match as CSV")
    s.add_argument("directory", help="market directory")
    s.add_argument("--seed", type=int, default=0, help="order in which couples enter (default 0)")
    s.add_argument(
        "--proposing",
        choices=["applicants", "programs"],
        default="applicants",
        help="proposing side (default applicants; programs needs a singles-only market)",
    )
    m = sub.add_parser(
        "simulate", help="Monte Carlo over noisy rank lists; print match probabilities as CSV"
    )
    m.add_argument("directory", help="market directory")
    m.add_argument("--draws", type=int, default=1000, help="number of draws (default 1000)")
    m.add_argument("--seed", type=int, default=0, help="noise seed (default 0)")
    m.add_argument(
        "--noise",
        type=float,
        default=1.0,
        help="logistic noise scale, in rank positions, on both sides (default 1.0)",
    )
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    try:
        sys.stderr.write(f"loading {args.directory}\n")
        market = load_market(args.directory)
    except ValueError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    out = csv.writer(sys.stdout)
    if args.command == "solve":
        report = _progress("solve")
        report(0, 1)
        try:
            r = solve(market, seed=args.seed, proposing=args.proposing)
        except ValueError as exc:
            sys.stderr.write(f"\nerror: {exc}\n")
            return 2
        report(1, 1)
        pid = market.program_ids
        out.writerow(["applicant_id", "program_code", "rank", "pgy1_program_code"])
        for a, p, k, s in zip(market.applicant_ids, r.program, r.rank, r.pgy1, strict=True):
            out.writerow([a, pid[p] if p >= 0 else "", int(k), pid[s] if s >= 0 else ""])
        cert = r.certificate
        verdict = "stable" if r.stable else "NOT certified stable"
        sys.stderr.write(
            f"matched {r.n_matched}/{market.n_applicants}; search {r.status}; {verdict}"
            f"{'' if cert is None or cert.stable else ': ' + cert.message}\n"
        )
        return 0 if r.stable else 1
    if args.draws < 1:
        sys.stderr.write("error: --draws must be at least 1\n")
        return 2
    sim = simulate(
        market,
        draws=args.draws,
        seed=args.seed,
        applicant_noise=args.noise,
        program_noise=args.noise,
        progress=_progress("simulate"),
    )
    out.writerow(["applicant_id", "p_matched", "ci_low", "ci_high"])
    for row in zip(
        market.applicant_ids, sim.p_matched, sim.p_matched_low, sim.p_matched_high, strict=True
    ):
        out.writerow([row[0], *(f"{x:.4f}" for x in row[1:])])
    sys.stderr.write(f"{sim.draws} draws; {sim.n_unstable} without a certified-stable search\n")
    return 0
