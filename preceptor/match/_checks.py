"""Checks of the numbers that enter the engine: once, at the boundary.

The compiled kernels trust their inputs (no bounds checks, int32 indices, float32
scores), so every public entry point (``Market.build``, ``Market(...)`` from arrays,
``solve``, ``simulate``, ``check_stability``, ``national_market``, the CSV reader and
the command line) checks its numbers here first: whole where a count is meant, finite,
and in range for the type the kernels use. The errors are :class:`MatchInputError`
(a ``ValueError``) naming the parameter.
"""

from __future__ import annotations

import math
import numbers
from typing import Final

import numpy as np

__all__ = [
    "INT32_MAX",
    "MAX_NOISE",
    "SEED_MAX",
    "MarketError",
    "MatchInputError",
    "check_int",
    "check_real",
]

#: Largest quota, rank, draw count or index: the kernels hold them in int32.
INT32_MAX: Final = 2**31 - 1
#: Seeds key a uint64 hash and NumPy's generator: 0 to 2**64 - 1.
SEED_MAX: Final = 2**64 - 1
#: Largest noise scale, in rank positions. Beyond a few times the longest list every
#: order is equally likely already; the cap keeps the kernels' float arithmetic finite.
MAX_NOISE: Final = 1e6


class MatchInputError(ValueError):
    """A number or value given to the engine that it cannot use (names the parameter)."""


class MarketError(MatchInputError):
    """An error in a market's lists, with where it is, so a file reader can name the
    line: ``source`` is ``"quota"``, ``"applicant"``, ``"program"``, ``"supplemental"``
    or ``"couple"``; ``owner`` the program or applicant id (a couple's index in the
    couples given); ``position`` the 1-based place on that list, when there is one."""

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        owner: str | int | None = None,
        position: int | None = None,
    ) -> None:
        super().__init__(message)
        self.source = source
        self.owner = owner
        self.position = position


def _fmt(x: int | float) -> str:
    if isinstance(x, float) and not x.is_integer():
        return f"{x:g}"
    return f"{int(x):,}"


def check_int(name: str, value: object, lo: int, hi: int) -> int:
    """``value`` as an int, if it is a whole number (not a bool, not a float) in
    ``[lo, hi]``; else :class:`MatchInputError` naming ``name``.

    Examples
    --------
    >>> check_int("draws", 5, 1, 10)
    5
    >>> check_int("seed", -3, 0, 99)
    Traceback (most recent call last):
    ...
    preceptor.match._checks.MatchInputError: seed must be a whole number from 0 to 99, not -3
    """
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral):
        raise MatchInputError(f"{name} must be a whole number, not {value!r}")
    v = int(value)
    if not lo <= v <= hi:
        raise MatchInputError(
            f"{name} must be a whole number from {_fmt(lo)} to {_fmt(hi)}, not {v}"
        )
    return v


def check_real(name: str, value: object, lo: float, hi: float) -> float:
    """``value`` as a float, if it is a finite real number in ``[lo, hi]``.

    Examples
    --------
    >>> check_real("noise", float("nan"), 0.0, 9.0)
    Traceback (most recent call last):
    ...
    preceptor.match._checks.MatchInputError: noise must be a finite number from 0 to 9, not nan
    """
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        raise MatchInputError(f"{name} must be a number, not {value!r}")
    try:
        v = float(value)
    except OverflowError:  # an int too large for a float
        v = math.inf if value > 0 else -math.inf  # type: ignore[operator]
    if not math.isfinite(v) or not lo <= v <= hi:
        raise MatchInputError(
            f"{name} must be a finite number from {_fmt(lo)} to {_fmt(hi)}, not {v!r}"
        )
    return v
