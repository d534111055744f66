"""Preceptor's Match engine: the NRMP Main Residency Match as a pure library.

Roth-Peranson applicant-proposing deferred acceptance with couples and supplemental
PGY-1 lists, an independent stability checker, CSV I/O, a synthetic national market and
a counter-based Monte Carlo. NumPy and numba only; no Django.

Examples
--------
>>> from preceptor.match import Market, solve
>>> m = Market.build(
...     quotas={"h1": 1},
...     applicant_rankings={"ann": ["h1"], "bob": ["h1"]},
...     program_rankings={"h1": ["bob", "ann"]},
... )
>>> solve(m).assignment()
{'ann': None, 'bob': 'h1'}
"""

from __future__ import annotations

from .market import NO_MATCH, TRACKS, Couple, Market
from .solve import Difference, MatchResult, compare, solve
from .stability import Certificate, check_stability

__all__ = [
    "NO_MATCH",
    "TRACKS",
    "Certificate",
    "Couple",
    "Difference",
    "Market",
    "MatchResult",
    "check_stability",
    "compare",
    "solve",
]
