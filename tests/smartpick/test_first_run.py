"""The first simulation: compiled ahead of time, with a progress bar that moves."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from preceptor.smartpick.catalogue import read_catalogue
from preceptor.smartpick.interview import Applicant
from preceptor.smartpick.recommend import Catalogue, Request, recommend
from preceptor.smartpick.simulation import simulate_applicant

ROOT = Path(__file__).resolve().parents[2]


def test_the_progress_bar_moves_while_the_market_is_built_and_solved() -> None:
    cat = Catalogue.from_rows(read_catalogue())
    rec = recommend(
        cat,
        Request(
            applicant=Applicant(kind="md", step2=245, home_state="OH"),
            target="Pediatrics",
            budget=12,
        ),
    )
    index = {c: i for i, c in enumerate(cat.code.tolist())}
    calls: list[tuple[int, int]] = []
    simulate_applicant(
        cat, target="Pediatrics", chosen=np.array([index[r.code] for r in rec.rows]),
        logits=np.array([r.logit for r in rec.rows]), kind="md", score=245.0,
        home_state="OH", draws=100, progress=lambda done, total: calls.append((done, total)),
    )  # fmt: skip
    shares = [done / total for done, total in calls]
    # Reported before the first Match draw (building the market takes time too), then
    # after every tenth of the draws, always forward, ending at 100%.
    assert 0 < shares[0] < 0.3
    assert len(shares) >= 12 and shares == sorted(shares) and shares[-1] == 1.0
    assert max(b - a for a, b in itertools.pairwise(shares)) <= 0.2


# A fresh process: warm(), then a real simulation; any kernel signature that warm()
# left out would be compiled during the simulation, on the applicant's time.
CHECK = """
import json
import numba
import numpy as np
from preceptor.match import _kernels
from preceptor.smartpick.warm import warm

def signatures():
    return {name: len(d.signatures) for name, d in vars(_kernels).items()
            if isinstance(d, numba.core.registry.CPUDispatcher)}

warm()
before = signatures()
from preceptor.smartpick.catalogue import read_catalogue
from preceptor.smartpick.interview import Applicant
from preceptor.smartpick.recommend import Catalogue, Request, recommend
from preceptor.smartpick.simulation import simulate_applicant
cat = Catalogue.from_rows(read_catalogue())
rec = recommend(cat, Request(applicant=Applicant(kind="img", step2=238, home_state="TX",
                needs_visa=True), target="Internal Medicine", budget=40, gold=3, silver=7))
index = {c: i for i, c in enumerate(cat.code.tolist())}
simulate_applicant(cat, target="Internal Medicine",
                   chosen=np.array([index[r.code] for r in rec.rows]),
                   logits=np.array([r.logit for r in rec.rows]), kind="img", score=238.0,
                   home_state="TX", gold=3, silver=7, draws=20)
after = signatures()
new = {k: after[k] - before.get(k, 0) for k in after if after[k] != before.get(k, 0)}
print(json.dumps({"compiled": sum(before.values()), "new": new}))
"""


@pytest.mark.slow
def test_warming_compiles_every_kernel_the_simulation_uses() -> None:
    out = subprocess.run(
        [sys.executable, "-c", CHECK], cwd=ROOT, check=True, capture_output=True, text=True
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["compiled"] >= 2  # the entry points; their callees compile with them
    assert result["new"] == {}
