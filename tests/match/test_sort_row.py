"""A draw's list re-ordering (``_kernels._sort_row``) is exactly a stable sort of the
noisy scores, whatever the noise scale, the row length and the ties."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from numba import njit

from preceptor.match import _kernels as K
from preceptor.match._kernels import logistic_table


@njit  # not cached: the cache would not notice a change to the inlined _sort_row
def _sorted_rows(ptr, keys, dkey, table, scale):
    """_sort_row on every row; returns the permutation and each row's scores."""
    longest = 1
    for i in range(len(ptr) - 1):
        longest = max(longest, ptr[i + 1] - ptr[i])
    score = np.empty(longest + K.RANK_LANES, dtype=np.float32)
    places = np.empty(K.RANK_LANES, dtype=np.int32)
    perm = np.full(len(keys), -1, dtype=np.int32)
    scores = np.empty(len(keys), dtype=np.float32)
    for r in range(len(ptr) - 1):
        lo, hi = ptr[r], ptr[r + 1]
        K._sort_row(lo, hi, keys, dkey, table, np.float32(scale), score, perm, places)
        for t in range(hi - lo):
            scores[lo + t] = score[t]
    return perm, scores


def _check(lengths: list[int], table: np.ndarray, scale: float, seed: int) -> int:
    rng = np.random.default_rng(seed)
    ptr = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    keys = rng.integers(0, 2**63, size=int(ptr[-1]), dtype=np.uint64)
    dkey = np.uint64(rng.integers(0, 2**63))
    perm, scores = _sorted_rows(ptr, keys, dkey, table, scale)
    ties = 0
    for lo, hi in itertools.pairwise(ptr.tolist()):
        row = scores[lo:hi]
        # The row's own scores, as the kernel computed them, sorted stably by NumPy.
        assert (perm[lo:hi] == lo + np.argsort(row, kind="stable")).all()
        ties += len(row) - len(np.unique(row))
    return ties


LENGTHS = [0, 1, 2, 7, 8, 9, 15, 16, 17, 30, 64, 65, 200, 283]


@pytest.mark.parametrize("scale", [0.0, 0.5, 1.0, 2.0, 5.0, 40.0])
def test_rows_come_out_stably_sorted_at_every_noise_scale(scale: float) -> None:
    _check(LENGTHS * 3, logistic_table(), scale, seed=int(scale * 10))


def test_ties_keep_the_original_order() -> None:
    # Noise of whole places makes ties between neighbours common: t + 1 == (t + 1) + 0.
    table = np.tile(np.array([-1.0, 0.0, 1.0, 2.0], dtype=np.float32), 1024)
    ties = _check(LENGTHS * 5, table, 1.0, seed=3)
    assert ties > 100  # the case this test is for did occur


def test_an_extreme_draw_at_the_tails_moves_an_entry_far() -> None:
    # Every entry takes one of the table's two extreme values: the window must reach
    # as far as the spread on the row, or these rows would come out wrong.
    table = logistic_table()
    extremes = np.where(np.arange(4096) % 2 == 0, table.min(), table.max()).astype(np.float32)
    _check(LENGTHS * 3, extremes, 3.0, seed=4)
