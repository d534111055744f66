"""Solve a market: Roth-Peranson applicant-proposing deferred acceptance, with couples.

References
----------
.. [1] D. Gale and L. S. Shapley, "College admissions and the stability of marriage",
   American Mathematical Monthly 69 (1962) 9-15.
.. [2] A. E. Roth and E. Peranson, "The redesign of the matching market for American
   physicians: some engineering aspects of economic design", American Economic Review
   89 (1999) 748-780.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Literal

import numpy as np

from . import _kernels
from ._checks import INT32_MAX, SEED_MAX, MatchInputError, check_int
from .market import _ADVANCED, IntArray, Market
from .stability import Certificate, check_stability

__all__ = ["Difference", "MatchResult", "compare", "solve"]

_STATUS = {0: "converged", 1: "cycle", 2: "iteration bound"}


@dataclass(frozen=True)
class _Prepared:
    """Kernel inputs derived from a market (cached per market)."""

    n_slots: int
    quota: np.ndarray
    hoff: np.ndarray
    is_single: np.ndarray
    a_ptr: np.ndarray
    a_list: np.ndarray
    a_app: np.ndarray
    a_prank: np.ndarray
    a_to_p: np.ndarray
    p_ptr: np.ndarray
    p_list: np.ndarray
    p_prog: np.ndarray
    p_apos: np.ndarray
    a_pbase: np.ndarray
    p_aent: np.ndarray
    s_j: np.ndarray
    u_identity: np.ndarray
    p_arel: np.ndarray
    u_s1: np.ndarray
    u_s2: np.ndarray
    u_ptr: np.ndarray
    u_p1: np.ndarray
    u_p2: np.ndarray
    u_r1: np.ndarray
    u_r2: np.ndarray
    u_j1: np.ndarray
    u_j2: np.ndarray
    u_rank: np.ndarray
    u_key: np.ndarray
    u_owner: np.ndarray
    pu_ptr: np.ndarray
    pu_k: np.ndarray
    u_bstart: np.ndarray
    a_ublk: np.ndarray
    p_adv: np.ndarray
    s_ptr: np.ndarray
    s_list: np.ndarray
    s_app: np.ndarray
    s_newpos: np.ndarray
    sr_ptr: np.ndarray
    sr_u: np.ndarray
    sr_x: np.ndarray
    slot_unit: np.ndarray
    pgy1_slot: np.ndarray
    n_couples: int
    rank_proto: np.ndarray
    full_at: np.ndarray


_cache: weakref.WeakKeyDictionary[Market, _Prepared] = weakref.WeakKeyDictionary()


def _prepare(m: Market) -> _Prepared:
    if m in _cache:
        return _cache[m]
    n_app, n_prog = m.n_applicants, m.n_programs
    i64 = np.int64

    def i32(x: np.ndarray) -> np.ndarray:
        # Kernel arrays are int32; converting each as soon as it is made keeps the peak
        # memory of a national market low.
        return np.ascontiguousarray(x, dtype=np.int32)

    # Ranks and positions within one list are int16 when every list is short enough
    # (always, in practice): the kernels read them at random, and half the bytes stay
    # in cache far more often. Monte Carlo draws also write program numbers in this
    # type (about 5% faster per draw), so it takes fewer than 32,768 programs too.
    longest = max(
        int(np.diff(m.p_ptr).max(initial=0)),
        int(np.diff(m.a_ptr).max(initial=0)),
        int(np.diff(m.s_ptr).max(initial=0)),
    )
    rank_dtype = np.int16 if max(longest, n_prog) < 2**15 else np.int32

    def rk(x: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(x, dtype=rank_dtype)

    p_prog = np.repeat(np.arange(n_prog, dtype=i64), np.diff(m.p_ptr))
    keys = p_prog * n_app + m.p_list
    order = np.argsort(keys, kind="stable")
    lookup = {"keys": keys[order], "order": order}
    del keys, order

    def entry(progs: IntArray, apps: IntArray) -> IntArray:
        """Index into p_list of (program, applicant), -1 when the program does not rank them."""
        q = progs * n_app + apps
        sorted_keys, order = lookup["keys"], lookup["order"]
        if len(sorted_keys) == 0:
            return np.full(len(q), -1, dtype=i64)
        i = np.clip(np.searchsorted(sorted_keys, q), 0, len(sorted_keys) - 1)
        return np.where((progs >= 0) & (sorted_keys[i] == q), order[i], -1).astype(i64)

    def rank(j: IntArray) -> IntArray:
        if len(p_prog) == 0:
            return np.full(len(j), -1, dtype=i64)
        return np.where(j >= 0, j - m.p_ptr[p_prog[np.maximum(j, 0)]], -1).astype(i64)

    a_app = i32(np.repeat(np.arange(n_app, dtype=i64), np.diff(m.a_ptr)))
    a_to_p = i32(entry(m.a_list, a_app))
    a_prank = rk(rank(a_to_p))

    # Applicants with a supplemental list and an advanced program become units whose second
    # "member" is their PGY-1 slot: pairs (A, s) for each supplemental s, then (A, no PGY-1).
    has_supp = np.diff(m.s_ptr) > 0
    supp_apps = np.flatnonzero(has_supp)
    is_single = np.ones(n_app, dtype=i64)
    is_single[m.couple_members.ravel()] = 0
    is_single[supp_apps] = 0
    n_slots = n_app + len(supp_apps)
    pgy1_slot = np.full(n_app, -1, dtype=i64)
    pgy1_slot[supp_apps] = np.arange(n_app, n_slots, dtype=i64)

    # Couples' joint lists, as they are (vectorised: no Python lists of ints).
    c_len = np.diff(m.c_ptr)
    c_owner = np.repeat(np.arange(m.n_couples, dtype=i64), c_len)
    c_k = np.arange(len(m.c_pairs), dtype=i64) - m.c_ptr[c_owner]
    # Supplemental units: for each primary-list entry, (A, s) for each supplemental s and
    # then (A, no PGY-1) when the program is advanced, else the program alone.
    row_len = np.diff(m.a_ptr)[supp_apps]
    e_owner = np.repeat(np.arange(len(supp_apps), dtype=i64), row_len)
    e_idx = np.arange(len(e_owner), dtype=i64)
    e_first = np.concatenate([[0], np.cumsum(row_len)[:-1]]).astype(i64) if len(row_len) else e_idx
    e_app = supp_apps[e_owner].astype(i64)
    e_prog = m.a_list[m.a_ptr[e_app] + e_idx - e_first[e_owner]]
    e_rank = e_idx - e_first[e_owner] + 1
    n_supp = np.diff(m.s_ptr)[e_app]
    e_adv = m.track[e_prog] == _ADVANCED
    e_count = np.where(e_adv, n_supp + 1, 1)
    x_entry = np.repeat(e_idx, e_count)
    x_start = np.cumsum(e_count) - e_count
    x_t = np.arange(len(x_entry), dtype=i64) - x_start[x_entry]
    x_app = e_app[x_entry]
    x_supp = e_adv[x_entry] & (x_t < n_supp[x_entry])
    x_q2 = np.full(len(x_entry), -1, dtype=i64)
    x_q2[x_supp] = m.s_list[m.s_ptr[x_app[x_supp]] + x_t[x_supp]]
    s_unit_len = np.bincount(e_owner, weights=e_count, minlength=len(supp_apps)).astype(i64)

    # Each primary-list entry of a supplemental applicant is a block of its unit's list:
    # where the block starts, for every entry of the unit, and for the primary entry.
    n_c_entries = len(m.c_pairs)
    blk_start = n_c_entries + x_start
    u_bstart = np.concatenate([np.arange(n_c_entries, dtype=i64), blk_start[x_entry]])
    a_ublk = np.full(len(m.a_list), -1, dtype=i64)
    a_ublk[m.a_ptr[e_app] + e_idx - e_first[e_owner]] = blk_start
    # The supplemental units' references to programs, for the stability scan: a program on
    # the primary list names the block's last entry, (program, no PGY-1) or the program
    # alone; a program on the supplemental list names its position on that list.
    s_len = np.diff(m.s_ptr)
    s_app = np.repeat(np.arange(n_app, dtype=i64), s_len)
    s_newpos = np.arange(len(m.s_list), dtype=i64) - m.s_ptr[s_app]
    s_j = i32(entry(m.s_list, s_app))
    unit_of_app = np.full(n_app, -1, dtype=i64)
    unit_of_app[supp_apps] = m.n_couples + np.arange(len(supp_apps), dtype=i64)
    sr_p = np.concatenate([e_prog, m.s_list]).astype(i64)
    sr_u = np.concatenate([unit_of_app[e_app], unit_of_app[s_app]])
    sr_x = np.concatenate([blk_start + e_count - 1, -np.arange(1, len(m.s_list) + 1, dtype=i64)])
    sr_order = np.argsort(sr_p, kind="stable")
    sr_u, sr_x = sr_u[sr_order], sr_x[sr_order]
    sr_ptr = np.zeros(n_prog + 1, dtype=i64)
    sr_ptr[1:] = np.cumsum(np.bincount(sr_p, minlength=n_prog))
    del sr_order, sr_p, unit_of_app

    u_p1 = np.concatenate([m.c_pairs[:, 0], e_prog[x_entry]]).astype(i64)
    u_p2 = np.concatenate([m.c_pairs[:, 1], x_q2]).astype(i64)
    who1 = np.concatenate([m.couple_members[c_owner, 0], x_app]).astype(i64)
    who2 = np.concatenate([m.couple_members[c_owner, 1], x_app]).astype(i64)
    u_rank_all = np.concatenate([c_k + 1, e_rank[x_entry]]).astype(i64)
    u_j1 = i32(entry(u_p1, who1))
    u_j2 = i32(entry(u_p2, who2))
    del who1, who2
    lookup.clear()
    u_ptr = np.zeros(m.n_couples + len(supp_apps) + 1, dtype=i64)
    u_ptr[1:] = np.cumsum(np.concatenate([c_len, s_unit_len]))
    s1 = np.concatenate([m.couple_members[:, 0], supp_apps]).astype(i64)
    s2 = np.concatenate([m.couple_members[:, 1], pgy1_slot[supp_apps]]).astype(i64)
    del c_owner, c_k, e_owner, e_idx, e_app, x_entry, x_start, x_t, x_app, x_supp, x_q2
    n_units = len(s1)
    slot_unit = np.full(n_slots, -1, dtype=i64)
    slot_unit[s1] = np.arange(n_units, dtype=i64)
    slot_unit[s2] = np.arange(n_units, dtype=i64)

    # For re-checking a program's vacancy: where the program sits on each single's list
    # (counted from the start of that list, so that it fits the rank type).
    p_apos = np.full(len(m.p_list), -1, dtype=i64)
    single_entries = np.flatnonzero((a_to_p >= 0) & (is_single[a_app] == 1))
    p_apos[a_to_p[single_entries]] = single_entries - m.a_ptr[a_app[single_entries]]
    # Start of the program's list for each applicant entry (-1 if the program does not
    # rank the applicant): Monte Carlo draws write p_apos from the applicant side.
    a_pbase = np.full(len(a_to_p), -1, dtype=i64)
    ranked = a_to_p >= 0
    a_pbase[ranked] = m.p_ptr[p_prog[a_to_p[ranked]]]
    p_arel = np.full(len(m.p_list), -1, dtype=i64)
    ok = a_to_p >= 0
    p_arel[a_to_p[ok]] = (np.arange(len(m.a_list)) - m.a_ptr[a_app])[ok]
    # For Monte Carlo draws: each program entry's applicant entry, coded -(k + 2) when
    # the applicant is not single (-1: the applicant does not rank the program).
    p_aent = np.full(len(m.p_list), -1, dtype=i64)
    entries = np.flatnonzero(ok)
    p_aent[a_to_p[ok]] = np.where(is_single[a_app[ok]] == 1, entries, -(entries + 2))
    p_apos, a_pbase, p_arel, p_aent = rk(p_apos), i32(a_pbase), i32(p_arel), i32(p_aent)
    del single_entries, ranked, ok, entries

    # A program holds only applicants it ranks: its heap needs min(quota, list length)
    # places. The kernels take that as the quota (the same matchings), so that memory is
    # bounded by the lists, not by a quota of 2**31 - 1. A program is full in a draw's
    # tally at its real quota (one more than its list when it can never fill).
    p_len = np.diff(m.p_ptr)
    cap = np.minimum(m.quota, p_len)
    full_at = np.minimum(m.quota, p_len + 1)
    hoff = np.zeros(n_prog + 1, dtype=i64)
    hoff[1:] = np.cumsum(cap)
    u_owner = np.repeat(np.arange(n_units, dtype=i64), np.diff(u_ptr))
    # From each program to the couples' list entries naming it (for the incremental scan;
    # supplemental units have their own, smaller index above).
    ref_k = np.concatenate([np.arange(n_c_entries, dtype=i64)] * 2)
    ref_p = np.concatenate([u_p1[:n_c_entries], u_p2[:n_c_entries]])
    keep = ref_p >= 0
    ref_k, ref_p = ref_k[keep], ref_p[keep]
    ref_order = np.argsort(ref_p, kind="stable")
    pu_k = i32(ref_k[ref_order])
    del ref_k, ref_order, keep
    pu_ptr = np.zeros(n_prog + 1, dtype=i64)
    pu_ptr[1:] = np.cumsum(np.bincount(ref_p, minlength=n_prog))

    prep = _Prepared(
        n_slots=n_slots,
        quota=i32(cap),
        hoff=i32(hoff),
        is_single=i32(is_single),
        a_ptr=i32(m.a_ptr),
        a_list=i32(m.a_list),
        a_app=i32(a_app),
        a_prank=a_prank,
        a_to_p=i32(a_to_p),
        p_ptr=i32(m.p_ptr),
        p_list=i32(m.p_list),
        p_prog=i32(p_prog),
        p_apos=p_apos,
        a_pbase=i32(a_pbase),
        p_aent=p_aent,
        s_j=s_j,
        u_identity=i32(np.arange(len(u_p1))),
        p_arel=i32(p_arel),
        u_s1=i32(s1),
        u_s2=i32(s2),
        u_ptr=i32(u_ptr),
        u_p1=i32(u_p1),
        u_p2=i32(u_p2),
        u_r1=rk(rank(u_j1)),
        u_r2=rk(rank(u_j2)),
        u_j1=i32(u_j1),
        u_j2=i32(u_j2),
        u_rank=i32(u_rank_all),
        u_key=i32((u_p1 + 1) * (n_prog + 1) + (u_p2 + 1)),
        u_owner=i32(u_owner),
        pu_ptr=i32(pu_ptr),
        pu_k=i32(pu_k),
        u_bstart=i32(u_bstart),
        a_ublk=i32(a_ublk),
        p_adv=i32(m.track == _ADVANCED),
        s_ptr=i32(m.s_ptr),
        s_list=i32(m.s_list),
        s_app=i32(s_app),
        s_newpos=i32(s_newpos),
        sr_ptr=i32(sr_ptr),
        sr_u=i32(sr_u),
        sr_x=i32(sr_x),
        slot_unit=i32(slot_unit),
        pgy1_slot=i32(pgy1_slot),
        n_couples=m.n_couples,
        rank_proto=np.empty(0, dtype=rank_dtype),
        full_at=i32(full_at),
    )
    _cache[m] = prep
    return prep


_local: weakref.WeakKeyDictionary[Market, tuple[Market, IntArray, IntArray]] = (
    weakref.WeakKeyDictionary()
)


def _local_order(m: Market) -> tuple[Market, IntArray, IntArray]:
    """``m`` with its applicants renumbered by the first program they rank (couple
    members by their side of the joint list), the order (new applicant ``i`` is old
    applicant ``order[i]``) and its inverse.

    Applicants who rank the same program first then sit side by side, so the draws'
    passes between applicants' and programs' lists, and the proposals, touch memory
    that is already in cache (on the national market the singles solve is about 30%
    faster and the draws about 10%: ``bench/match_ab.py``, docs/match.md). Cached per
    market, like the prepared arrays.
    """
    if m in _local:
        return _local[m]
    first = np.full(m.n_applicants, m.n_programs, dtype=np.int64)
    has = np.diff(m.a_ptr) > 0
    first[has] = m.a_list[m.a_ptr[:-1][has]]
    for c in range(m.n_couples):
        for side in (0, 1):
            col = m.c_pairs[m.c_ptr[c] : m.c_ptr[c + 1], side]
            named = col[col >= 0]
            if len(named):
                first[m.couple_members[c, side]] = named[0]
    order = np.argsort(first, kind="stable")
    # Applicants with a supplemental list keep their relative order (in the places the
    # sort gave them): the solver breaks ties between their units in that order, so the
    # renumbered market gives exactly the same results.
    supp = np.diff(m.s_ptr)[order] > 0
    order[supp] = np.sort(order[supp])
    inv = np.empty_like(order)
    inv[order] = np.arange(len(order), dtype=order.dtype)
    out = (m.with_applicant_order(order), order, inv)
    _local[m] = out
    return out


def _unit_order(prep: _Prepared, seed: int) -> IntArray:
    # Couples enter in a seeded random order (NRMP's order is its own); supplemental
    # units after them, in applicant order.
    rng = np.random.default_rng(seed)
    n_units = len(prep.u_s1)
    couples = rng.permutation(prep.n_couples).astype(np.int64)
    return np.concatenate([couples, np.arange(prep.n_couples, n_units, dtype=np.int64)])


@dataclass(frozen=True, eq=False)
class MatchResult:
    """The outcome of :func:`solve`.

    Attributes
    ----------
    market : Market
    program : ndarray of int64, shape (n_applicants,)
        Index of each applicant's program, -1 if unmatched. For an applicant with a
        supplemental list this is the primary-list program (advanced or not).
    rank : ndarray of int64
        1-based position of the match on the applicant's list (a couple's joint list for
        couple members), 0 if unmatched.
    pgy1 : ndarray of int64
        Preliminary program matched through a supplemental list, -1 otherwise.
    fill : ndarray of int64, shape (n_programs,)
    proposing : {"applicants", "programs"}
    status : {"converged", "cycle", "iteration bound"}
        How the search ended. "cycle" and "iteration bound" mean no stable matching was
        found (one may or may not exist).
    cycle : tuple of (applicant, program) pairs
        When ``status == "cycle"``, the displacements that brought the cycling unit back
        (program "" marks a unit re-opened by the stability scan).
    certificate : Certificate or None
        The independent checker's verdict (None when ``certify=False``).
    iterations : int
    """

    market: Market
    program: IntArray
    rank: IntArray
    pgy1: IntArray
    fill: IntArray
    proposing: str
    status: str
    cycle: tuple[tuple[str, str], ...]
    certificate: Certificate | None
    iterations: int

    @property
    def stable(self) -> bool:
        """True when the independent checker certified the matching stable."""
        return self.certificate is not None and self.certificate.stable

    def assignment(self) -> dict[str, str | None]:
        """Each applicant's program id, or None.

        Examples
        --------
        >>> from preceptor.match import Market, solve
        >>> m = Market.build(quotas={"h": 1}, applicant_rankings={"a": ["h"], "b": ["h"]},
        ...                  program_rankings={"h": ["b", "a"]})
        >>> solve(m).assignment()
        {'a': None, 'b': 'h'}
        """
        pid = self.market.program_ids
        return {
            a: (pid[p] if p >= 0 else None)
            for a, p in zip(self.market.applicant_ids, self.program.tolist(), strict=True)
        }

    @property
    def n_matched(self) -> int:
        return int((self.program >= 0).sum())


def _rp_args(
    prep: _Prepared, seed: int, max_iterations: int, cycle_bound: int
) -> tuple[object, ...]:
    """The market arguments of :func:`_kernels.rp_core` (and ``rp_match``), in order."""
    return (
        prep.quota,
        prep.hoff,
        prep.is_single,
        prep.a_ptr,
        prep.a_list,
        prep.a_prank,
        prep.p_ptr,
        prep.p_list,
        prep.p_apos,
        prep.u_s1,
        prep.u_s2,
        prep.u_ptr,
        prep.u_p1,
        prep.u_p2,
        prep.u_r1,
        prep.u_r2,
        prep.u_owner,
        prep.pu_ptr,
        prep.pu_k,
        prep.u_identity,
        prep.u_bstart,
        prep.s_newpos,
        prep.sr_ptr,
        prep.sr_u,
        prep.sr_x,
        _unit_order(prep, seed),
        prep.slot_unit,
        prep.n_slots,
        max_iterations,
        cycle_bound,
    )


def solve(
    market: Market,
    *,
    proposing: Literal["applicants", "programs"] = "applicants",
    seed: int = 0,
    max_iterations: int | None = None,
    cycle_bound: int = 50,
    certify: bool = True,
) -> MatchResult:
    """Match a market.

    Parameters
    ----------
    market : Market
    proposing : {"applicants", "programs"}, default "applicants"
        "applicants" runs Roth-Peranson applicant-proposing deferred acceptance; with
        singles only it returns the applicant-optimal stable matching. "programs" returns
        the program-optimal stable matching and is defined for singles-only markets.
    seed : int, default 0
        Order in which couples enter. The result is a deterministic function of
        ``(market, seed)``; without couples it does not depend on the seed at all.
        0 to 2**64 - 1.
    max_iterations : int, optional
        Bound on proposals and checks; default 50 x (ranks + 1,000). 1 to 2**63 - 1.
    cycle_bound : int, default 50
        A unit re-opened (sent back up its list by the stability scan) more often than
        this is taken to be on a cycle; the search stops and reports it. 1 to
        2**31 - 1.
    certify : bool, default True
        Run the independent stability checker on the result.

    Returns
    -------
    MatchResult

    Raises
    ------
    MatchInputError (a ValueError)
        Naming the parameter that is not a number in its range.

    Examples
    --------
    >>> from preceptor.match import Market, solve
    >>> m = Market.build(
    ...     quotas={"h1": 1, "h2": 1},
    ...     applicant_rankings={"a": ["h1", "h2"], "b": ["h1", "h2"]},
    ...     program_rankings={"h1": ["b", "a"], "h2": ["a", "b"]},
    ... )
    >>> r = solve(m)
    >>> r.assignment(), r.rank.tolist(), r.stable
    ({'a': 'h2', 'b': 'h1'}, [2, 1], True)
    """
    if not isinstance(market, Market):
        raise MatchInputError(f"market must be a Market, not {type(market).__name__}")
    if proposing not in ("applicants", "programs"):
        raise MatchInputError(f"proposing must be 'applicants' or 'programs', not {proposing!r}")
    seed = check_int("seed", seed, 0, SEED_MAX)
    cycle_bound = check_int("cycle_bound", cycle_bound, 1, INT32_MAX)
    if max_iterations is not None:
        max_iterations = check_int("max_iterations", max_iterations, 1, 2**63 - 1)
    if not isinstance(certify, bool):
        raise MatchInputError(f"certify must be True or False, not {certify!r}")
    n_app = market.n_applicants
    singles = market.n_couples == 0 and not market.has_supplemental
    prep = None if singles and proposing == "applicants" else _prepare(market)
    if max_iterations is None:
        n_units = 0 if prep is None else len(prep.u_p1)
        max_iterations = 50 * (len(market.a_list) + n_units + 1_000)
    cycle: tuple[tuple[str, str], ...] = ()
    if proposing == "programs":
        assert prep is not None
        if len(prep.u_s1):
            raise ValueError(
                "proposing='programs' is defined for singles only; this market has "
                "couples or supplemental lists"
            )
        program, pos, fill = _kernels.pp_match(
            prep.quota, n_app, prep.p_ptr, prep.p_list, prep.p_arel
        )
        program = program.astype(np.int64)
        rank = np.where(program >= 0, pos + 1, 0)
        pgy1 = np.full(n_app, -1, dtype=np.int64)
        status, iterations = "converged", 0
    elif prep is None:
        # Singles only: deferred acceptance on a copy renumbered by first choice, for
        # cache locality; the applicant-optimal matching does not depend on numbering.
        local, order, _ = _local_order(market)
        lp = _prepare(local)
        program, rank, fill, iterations = _kernels.da_singles(
            lp.quota, lp.hoff, lp.a_ptr, lp.a_list, lp.a_prank, order
        )
        status = "converged"
        pgy1 = np.full(n_app, -1, dtype=np.int64)
    else:
        (slots, nxt, ucur, fill, st, iterations, _rounds, _cu, cyc_slot, cyc_prog) = (
            _kernels.rp_match(*_rp_args(prep, seed, max_iterations, cycle_bound))
        )
        status = _STATUS[int(st)]
        program = slots[:n_app].astype(np.int64)
        rank = np.where(program >= 0, nxt - market.a_ptr[:-1], 0)
        pgy1 = np.where(prep.pgy1_slot >= 0, slots[np.maximum(prep.pgy1_slot, 0)], -1)
        unit_rank = np.where(ucur >= 0, prep.u_rank[np.maximum(ucur, 0)], 0)
        rank[prep.u_s1] = unit_rank
        real = prep.u_s2[: prep.n_couples]
        rank[real] = unit_rank[: prep.n_couples]
        if status == "cycle":
            slot_person = np.concatenate([np.arange(n_app), np.flatnonzero(prep.pgy1_slot >= 0)])
            cycle = tuple(
                (
                    market.applicant_ids[slot_person[s]],
                    market.program_ids[p] if p >= 0 else "",
                )
                for s, p in zip(cyc_slot.tolist(), cyc_prog.tolist(), strict=True)
            )
    cert = check_stability(market, program, pgy1=pgy1) if certify else None
    return MatchResult(
        market=market,
        program=program,
        rank=rank.astype(np.int64, copy=False),
        pgy1=pgy1.astype(np.int64, copy=False),
        fill=fill.astype(np.int64, copy=False),
        proposing=proposing,
        status=status,
        cycle=cycle,
        certificate=cert,
        iterations=int(iterations),
    )


@dataclass(frozen=True)
class Difference:
    """An applicant matched differently by two results (None = unmatched)."""

    applicant: str
    first: str | None
    second: str | None


def compare(first: MatchResult, second: MatchResult) -> list[Difference]:
    """Applicants whose match differs between two results on the same market.

    Examples
    --------
    >>> from preceptor.match import Market, solve, compare
    >>> m = Market.build(
    ...     quotas={"h1": 1, "h2": 1},
    ...     applicant_rankings={"a": ["h1", "h2"], "b": ["h2", "h1"]},
    ...     program_rankings={"h1": ["b", "a"], "h2": ["a", "b"]},
    ... )
    >>> for d in compare(solve(m), solve(m, proposing="programs")):
    ...     print(d)
    Difference(applicant='a', first='h1', second='h2')
    Difference(applicant='b', first='h2', second='h1')
    """
    if first.market is not second.market:
        raise ValueError("results come from different markets")
    x, y = first.assignment(), second.assignment()
    return [Difference(a, x[a], y[a]) for a in x if x[a] != y[a]]
