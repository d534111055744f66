"""Command line: ``preceptor match solve DIR`` and ``preceptor match simulate DIR``.

``main`` takes the arguments after ``match`` (``python -m preceptor.match`` passes its
own), prints results as CSV on stdout and progress on stderr.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from collections.abc import Callable
from typing import NoReturn

from ._checks import INT32_MAX, MAX_NOISE, SEED_MAX, MatchInputError, check_int, check_real
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


class _Parser(argparse.ArgumentParser):
    """argparse, with its errors on one line (and exit status 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _number(kind: str, lo: float, hi: float) -> Callable[[str], float]:
    """An argparse type: a whole number (kind "int") or a finite real in [lo, hi]."""

    def parse(text: str) -> float:
        try:
            if kind == "int":
                if not re.fullmatch(r"[+-]?[0-9]{1,30}", text.strip()):
                    raise MatchInputError(f"{text!r} is not a whole number")
                return check_int("value", int(text), int(lo), int(hi))
            try:
                x = float(text)
            except ValueError:
                raise MatchInputError(f"{text!r} is not a number") from None
            return check_real("value", x, lo, hi)
        except MatchInputError as exc:
            msg = str(exc).removeprefix("value ")
            raise argparse.ArgumentTypeError(msg) from None

    parse.__name__ = "whole number" if kind == "int" else "number"
    return parse


_SEED = _number("int", 0, SEED_MAX)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="preceptor match",
        description="Run the NRMP-style Match on a market directory (programs.csv, "
        "applicants.csv, rankings.csv, optional couples.csv).",
    )
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("solve", help="solve once; print each applicant's match as CSV")
    s.add_argument("directory", help="market directory")
    s.add_argument(
        "--seed",
        type=_SEED,
        default=0,
        help="order in which couples enter, 0 to 2**64 - 1 (default 0)",
    )
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
    m.add_argument(
        "--draws",
        type=_number("int", 1, INT32_MAX),
        default=1000,
        help="number of draws, 1 to 2**31 - 1 (default 1000)",
    )
    m.add_argument("--seed", type=_SEED, default=0, help="noise seed, 0 to 2**64 - 1 (default 0)")
    m.add_argument(
        "--noise",
        type=_number("real", 0.0, MAX_NOISE),
        default=1.0,
        help="logistic noise scale, in rank positions, on both sides: 0 to 1,000,000 (default 1.0)",
    )
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status (2: bad input, with a one-line
    message on stderr)."""
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except (ValueError, OSError) as exc:  # bad input the checks name; never a traceback
        sys.stderr.write(f"error: {' '.join(str(exc).split())}\n")
        return 2
    except MemoryError:
        sys.stderr.write("error: the market is too large for this machine's memory\n")
        return 2


def _run(args: argparse.Namespace) -> int:
    sys.stderr.write(f"loading {args.directory}\n")
    market = load_market(args.directory)
    out = csv.writer(sys.stdout)
    if args.command == "solve":
        report = _progress("solve")
        report(0, 1)
        r = solve(market, seed=args.seed, proposing=args.proposing)
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
    sys.stderr.write(f"{sim.summary()}\n")
    return 0
