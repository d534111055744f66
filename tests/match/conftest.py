"""Shared helpers for the Match engine tests (plain pytest, no database)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from preceptor.match import Market

# CI checks out shared/ beside the clone: <clone>/../shared/data.
SHARED_DATA = Path(
    os.environ.get(
        "PRECEPTOR_SHARED_DATA",
        Path(__file__).resolve().parents[2] / ".." / "shared" / "data",
    )
)


@pytest.fixture
def shared_data() -> Path:
    if not (SHARED_DATA / "nrmp_program_results_2014_2020.csv").exists():
        pytest.skip(f"NRMP data not found at {SHARED_DATA} (set PRECEPTOR_SHARED_DATA)")
    return SHARED_DATA


def random_lists(
    rng: np.random.Generator,
    n_app: int,
    n_prog: int,
    *,
    max_len: int = 4,
    max_quota: int = 3,
    drop: float = 0.2,
) -> tuple[dict[str, int], dict[str, list[str]], dict[str, list[str]]]:
    """A random singles market: quotas, applicants' lists, programs' lists.

    Programs rank most of the applicants who rank them (a share ``drop`` is left off,
    so some ranks are unacceptable to the program), in random order.
    """
    progs = [f"h{i}" for i in range(n_prog)]
    apps = {}
    for i in range(n_app):
        k = int(rng.integers(0, min(max_len, n_prog) + 1))
        apps[f"a{i}"] = [str(p) for p in rng.choice(progs, size=k, replace=False)]
    prefs: dict[str, list[str]] = {p: [] for p in progs}
    for a, lst in apps.items():
        for p in lst:
            if rng.random() >= drop:
                prefs[p].append(a)
    for p in progs:
        rng.shuffle(prefs[p])
    quotas = {p: int(rng.integers(1, max_quota + 1)) for p in progs}
    return quotas, apps, prefs


def random_market(rng: np.random.Generator, n_app: int, n_prog: int, **kw: int | float) -> Market:
    q, a, p = random_lists(rng, n_app, n_prog, **kw)  # type: ignore[arg-type]
    return Market.build(quotas=q, applicant_rankings=a, program_rankings=p)
