"""Monte Carlo over the Match: many perturbed markets, solved in parallel.

Each draw re-orders every rank list by adding logistic noise (scale in rank positions)
to each entry's position and sorting. The noise for an entry comes from a counter-based
hash of ``(seed, draw, applicant, program)`` (splitmix64), never from a stream, so a
draw's outcome does not depend on which thread or process ran it, nor on how many.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numba
import numpy as np
import numpy.typing as npt

from . import _kernels
from ._checks import INT32_MAX, MAX_NOISE, SEED_MAX, MatchInputError, check_int, check_real
from .market import Market, _permute_rows
from .solve import _local_order, _prepare, _Prepared, _unit_order

__all__ = ["Simulation", "simulate", "wilson_interval"]

_TABLE = _kernels.logistic_table()


def wilson_interval(
    successes: npt.ArrayLike, n: int, *, z: float = 1.959964
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a binomial proportion (95% by default).

    Examples
    --------
    >>> lo, hi = wilson_interval([0, 50, 100], 100)
    >>> np.round(lo, 3).tolist(), np.round(hi, 3).tolist()
    ([0.0, 0.404, 0.963], [0.037, 0.596, 1.0])
    """
    n = check_int("n", n, 0, 2**63 - 1)
    z = check_real("z", z, 0.0, 100.0)
    k = np.asarray(successes, dtype=float)
    if n <= 0:
        return np.zeros_like(k), np.ones_like(k)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


@dataclass(frozen=True, eq=False)
class Simulation:
    """Results of :func:`simulate`.

    Every probability, count and mean is over the *counted* draws: those whose search
    converged to a matching. A draw that ends on a couples cycle (or the iteration
    bound) has no stable matching, so it is counted apart (``n_cycle``, ``n_bound``)
    and left out of the tallies; ``unstable_share`` is their share of all draws.

    Attributes
    ----------
    draws : int
        Draws run, counted or not.
    n_counted : int
        Draws in the tallies (``draws - n_unstable``). When it is 0 the probabilities
        are NaN and the intervals (0, 1).
    p_matched, p_matched_low, p_matched_high : ndarray, shape (n_applicants,)
        Probability each applicant matches, with its Wilson 95% interval.
    cand_ptr, cand_program, cand_count : ndarray
        Per applicant (CSR), each program they could match (primary, couple and
        supplemental lists) and in how many counted draws they did.
    p_filled, mean_fill : ndarray, shape (n_programs,)
        Share of counted draws in which each program filled, and its mean fill.
    n_cycle, n_bound : int
        Draws whose search ended on a couples cycle, or on the iteration bound.
    n_unstable : int
        ``n_cycle + n_bound``: draws left out of the tallies.
    """

    market: Market
    draws: int
    p_matched: np.ndarray
    p_matched_low: np.ndarray
    p_matched_high: np.ndarray
    cand_ptr: np.ndarray
    cand_program: np.ndarray
    cand_count: np.ndarray
    p_filled: np.ndarray
    mean_fill: np.ndarray
    n_cycle: int
    n_bound: int

    @property
    def n_unstable(self) -> int:
        return self.n_cycle + self.n_bound

    @property
    def n_counted(self) -> int:
        return self.draws - self.n_unstable

    @property
    def unstable_share(self) -> float:
        """Share of the draws left out of the tallies (cycle or iteration bound)."""
        return self.n_unstable / self.draws

    def summary(self) -> str:
        """One line for people: the draws, and how many were left out and why.

        Examples
        --------
        >>> from preceptor.match import Market
        >>> m = Market.build(quotas={"h": 1}, applicant_rankings={"a": ["h"]},
        ...                  program_rankings={"h": ["a"]})
        >>> simulate(m, draws=3).summary()
        '3 draws, all converged to a matching'
        """
        n = self.draws
        head = f"{n:,} draw{'s' if n != 1 else ''}"
        if not self.n_unstable:
            return f"{head}, all converged to a matching"
        why = []
        if self.n_cycle:
            why.append(f"{self.n_cycle:,} ended on a couples cycle")
        if self.n_bound:
            why.append(f"{self.n_bound:,} on the iteration bound")
        return (
            f"{head}: {' and '.join(why)} ({self.unstable_share:.1%}) and "
            f"{'are' if self.n_unstable != 1 else 'is'} left out; the figures are over "
            f"the other {self.n_counted:,}"
        )

    def program_probabilities(self, applicant_id: str) -> dict[str, float]:
        """P(applicant matches each program), over the counted draws."""
        a = self.market.applicant_index(applicant_id)
        lo, hi = self.cand_ptr[a], self.cand_ptr[a + 1]
        pid = self.market.program_ids
        n = self.n_counted
        return {
            pid[p]: c / n if n else float("nan")
            for p, c in zip(
                self.cand_program[lo:hi].tolist(), self.cand_count[lo:hi].tolist(), strict=True
            )
        }


def _candidates(m: Market) -> tuple[np.ndarray, np.ndarray]:
    """Per applicant (CSR), the programs they could match, ascending: those on their
    primary and supplemental lists and their side of their couple's pairs."""
    apps = [
        np.repeat(np.arange(m.n_applicants), np.diff(m.a_ptr)),
        np.repeat(np.arange(m.n_applicants), np.diff(m.s_ptr)),
    ]
    progs = [np.asarray(m.a_list), np.asarray(m.s_list)]
    per_couple = np.diff(m.c_ptr)
    for side in (0, 1):
        prog = np.asarray(m.c_pairs[:, side])
        keep = prog >= 0
        apps.append(np.repeat(m.couple_members[:, side], per_couple)[keep])
        progs.append(prog[keep])
    key = np.concatenate(apps).astype(np.int64) * m.n_programs + np.concatenate(progs)
    key.sort()  # then drop repeats (np.unique's hashing is slower at this size)
    key = key[np.concatenate(([True], key[1:] != key[:-1]))] if len(key) else key
    ptr = np.zeros(m.n_applicants + 1, dtype=np.int64)
    np.cumsum(np.bincount(key // m.n_programs, minlength=m.n_applicants), out=ptr[1:])
    return ptr, key % m.n_programs


def _tally_arrays(
    prep: _Prepared, cand_ptr: np.ndarray, cand_prog: np.ndarray, n_workers: int
) -> tuple[np.ndarray, ...]:
    """The ``tally`` argument of :func:`_kernels.mc_batch`: zeroed rows, one per worker,
    summed when the draws are done (int32 where a count cannot exceed the draws)."""
    n_w = max(1, n_workers)
    n_app, n_prog = len(cand_ptr) - 1, len(prep.quota)
    return (
        prep.pgy1_slot, cand_ptr, cand_prog, prep.full_at,
        np.zeros((n_w, len(cand_prog)), dtype=np.int32),
        np.zeros((n_w, n_app), dtype=np.int32),
        np.zeros((n_w, n_prog), dtype=np.int32),
        np.zeros((n_w, n_prog), dtype=np.int64),  # fill_sum: up to quota x draws
    )  # fmt: skip


def _market_tuple(
    prep: _Prepared,
    keys: tuple[np.ndarray, ...],
    order: np.ndarray,
    max_iter: int,
    cycle_bound: int,
) -> tuple[object, ...]:
    """The market arguments of :func:`_kernels.mc_batch`, in its order."""
    ka, kp, ku, ks = keys
    p = prep
    return (
        ka, kp, ku, p.quota, p.hoff, p.is_single, p.a_ptr, p.a_list, p.p_aent, p.p_ptr,
        p.p_list, p.p_prog, p.s_j, p.u_s1, p.u_s2, p.u_ptr, p.u_p1, p.u_p2, p.u_j1,
        p.u_j2, p.u_owner, p.pu_ptr, p.pu_k, p.n_couples, p.p_adv, p.s_ptr, p.s_list, ks,
        p.a_ublk, p.sr_ptr, p.sr_u, p.sr_x, order, p.slot_unit, p.n_slots, max_iter,
        cycle_bound,
    )  # fmt: skip


def simulate(
    market: Market,
    *,
    draws: int = 1000,
    seed: int = 0,
    applicant_noise: float = 1.0,
    program_noise: float = 1.0,
    batch: int | None = None,
    cycle_bound: int = 50,
    progress: Callable[[int, int], None] | None = None,
    reorder: bool = True,
) -> Simulation:
    """Solve ``draws`` perturbed copies of ``market`` and tally the outcomes.

    Parameters
    ----------
    market : Market
    draws : int, default 1000
        1 to 2**31 - 1.
    seed : int, default 0
        Keys the noise and the couples' entry order; equal seeds give equal results
        whatever the number of threads (``numba.set_num_threads``). 0 to 2**64 - 1.
    applicant_noise, program_noise : float, default 1.0
        Scale of the logistic noise added to each rank position on each side: finite,
        0 to 1,000,000.
    batch : int, optional
        Draws per parallel batch; ``progress(done, total)`` is called after each. By
        default about a tenth of the draws, and at least 32: each batch allocates its
        threads' work arrays afresh (tens of MB on the national market).
    cycle_bound : int, default 50
        1 to 2**31 - 1; see :func:`preceptor.match.solve`.
    reorder : bool, default True
        Solve a copy with the applicants renumbered for cache locality (faster; the
        results are identical: the noise is keyed by the original numbering, and units
        keep their order).

    Returns
    -------
    Simulation
        Draws that end on a couples cycle are counted apart and left out of its
        probabilities (see :class:`Simulation`).

    Raises
    ------
    MatchInputError (a ValueError)
        Naming the parameter that is not a number in its range.

    Examples
    --------
    >>> from preceptor.match import Market
    >>> m = Market.build(quotas={"h": 1}, applicant_rankings={"a": ["h"], "b": ["h"]},
    ...                  program_rankings={"h": ["a", "b"]})
    >>> sim = simulate(m, draws=200, seed=1, program_noise=0.0)
    >>> sim.p_matched.tolist()
    [1.0, 0.0]
    """
    if not isinstance(market, Market):
        raise MatchInputError(f"market must be a Market, not {type(market).__name__}")
    draws = check_int("draws", draws, 1, INT32_MAX)
    seed = check_int("seed", seed, 0, SEED_MAX)
    applicant_noise = check_real("applicant_noise", applicant_noise, 0.0, MAX_NOISE)
    program_noise = check_real("program_noise", program_noise, 0.0, MAX_NOISE)
    batch = max(32, -(-draws // 10)) if batch is None else check_int("batch", batch, 1, INT32_MAX)
    cycle_bound = check_int("cycle_bound", cycle_bound, 1, INT32_MAX)
    if progress is not None and not callable(progress):
        raise MatchInputError(f"progress must be callable, not {progress!r}")
    if not isinstance(reorder, bool):
        raise MatchInputError(f"reorder must be True or False, not {reorder!r}")
    if reorder:
        work, app_order, inv = _local_order(market)
    else:
        work, app_order = market, np.arange(market.n_applicants, dtype=np.int64)
    prep = _prepare(work)
    order = _unit_order(prep, seed)
    max_iter = 50 * (len(work.a_list) + len(prep.u_p1) + 1_000)
    cand_ptr, cand_prog = _candidates(work)
    tally = _tally_arrays(prep, cand_ptr, cand_prog, numba.get_num_threads())
    n_cycle = n_bound = 0
    done = 0
    # Entry keys name applicants by their original number: equal draws either way.
    orig = app_order.astype(np.int32)
    ka, kp, ku, ks = _kernels.entry_keys(
        np.uint64(seed), orig[prep.a_app], prep.a_list, orig[prep.p_list], prep.p_prog,
        orig[prep.u_s1], prep.u_owner, prep.u_key, orig[prep.s_app], prep.s_list,
    )  # fmt: skip
    mk = _market_tuple(prep, (ka, kp, ku, ks), order, max_iter, cycle_bound)
    while done < draws:
        n = min(batch, draws - done)
        status = _kernels.mc_batch(
            np.uint64(seed), done, n, _TABLE, applicant_noise, program_noise, mk,
            prep.rank_proto, tally,
        )  # fmt: skip
        n_cycle += int((status == _kernels.STATUS_CYCLE).sum())
        n_bound += int((status == _kernels.STATUS_BOUND).sum())
        done += n
        if progress is not None:
            progress(done, draws)
    counts, matched, filled, fill_sum = (t.sum(axis=0, dtype=np.int64) for t in tally[4:])
    if reorder:
        # Back to the caller's numbering: old applicant a is new applicant inv[a].
        matched = matched[inv]
        _, counts = _permute_rows(cand_ptr, counts, inv)
        cand_ptr, cand_prog = _permute_rows(cand_ptr, cand_prog, inv)
    counted = draws - n_cycle - n_bound
    lo, hi = wilson_interval(matched, counted)

    def per(x: np.ndarray) -> np.ndarray:
        return x / counted if counted else np.full(len(x), np.nan)

    return Simulation(
        market=market,
        draws=draws,
        p_matched=per(matched),
        p_matched_low=lo,
        p_matched_high=hi,
        cand_ptr=cand_ptr,
        cand_program=cand_prog,
        cand_count=counts,
        p_filled=per(filled),
        mean_fill=per(fill_sum),
        n_cycle=n_cycle,
        n_bound=n_bound,
    )
