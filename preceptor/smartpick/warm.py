"""Compile the Match engine's kernels ahead of the first simulation.

numba compiles each kernel the first time it runs with a given signature and keeps the
machine code in its on-disk cache (``cache=True``). Compiling every kernel SmartPick's
simulation uses takes about a minute on a small machine, which the first applicant to
click "Run the simulation" on a fresh install used to wait for. :func:`warm` runs a tiny
market through the same code path (the same array types, hence the same signatures),
so the compiled code is on disk before anyone asks: ``manage.py warm_simulation`` at
install (``make setup``/``make migrate``) and at worker start.
"""

from __future__ import annotations

import time

import numpy as np

from preceptor.match import Market, solve

from .catalogue import synthetic_catalogue
from .recommend import Catalogue
from .simulation import simulate_applicant

__all__ = ["warm"]


def warm() -> float:
    """Run a tiny applicant simulation and a tiny Match; returns the seconds it took."""
    start = time.perf_counter()
    rows = [r for r in synthetic_catalogue() if r.specialty == "Internal Medicine"][:40]
    cat = Catalogue.from_rows(rows)
    chosen = np.arange(5, dtype=np.int64)
    simulate_applicant(
        cat,
        target="Internal Medicine",
        chosen=chosen,
        logits=np.zeros(len(chosen)),
        kind="md",
        score=250.0,
        home_state=rows[0].state,
        gold=1,
        silver=1,
        replicas=2,
        draws=4,
        max_positions=60,
    )
    # The deferred-acceptance solve the national simulation (calibrate) uses.
    solve(
        Market.build(
            quotas={"h1": 1, "h2": 1},
            applicant_rankings={"a": ["h1", "h2"], "b": ["h1"]},
            program_rankings={"h1": ["b", "a"], "h2": ["a"]},
        )
    )
    return time.perf_counter() - start
