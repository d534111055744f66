"""Compiled kernels (numba). Private: the public API checks inputs before calling these.

Conventions: index arrays are int32 (half the memory traffic of int64); programs hold
their current applicants in a max-heap keyed by the program's rank of each (the worst
held sits at the root), stored flat with ``hoff`` giving each program's slice. An
*agent* on the work stack is a single applicant ``a >= 0`` or a unit (couple, or an
applicant with a supplemental list) ``-(u + 1)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import llvmlite.ir as llvm_ir
import numpy as np
from numba import njit, prange, types
from numba.core import cgutils
from numba.extending import intrinsic

STATUS_STABLE_SEARCH_DONE = 0
STATUS_CYCLE = 1
STATUS_BOUND = 2
STATUS_STACK_FULL = 3  # internal: rp_core ran out of stack; the caller grows it, runs again
RING = 256
# numba's private ``_nrt`` option, off: the function keeps no reference counts on the
# arrays it handles, so it cannot allocate, and must return no array, since the
# caller would count the returned array as a new reference. The draw and the
# Roth-Peranson search run so; their inlined helpers' array arguments used to cost
# two atomic count updates per call, about 15% of a national draw.
NO_REFCOUNT: dict[str, Any] = {"_nrt": False}


def _prefetch_intrinsic(typingctx, arr, idx):
    """Hint the processor to fetch ``arr[idx]`` into cache for writing (LLVM's
    ``llvm.prefetch``; a hint only: no fault, no effect on results). A transpose's
    random accesses, issued PREFETCH_AHEAD entries ahead, then overlap instead of
    waiting one after another."""
    sig = types.void(arr, idx)

    def codegen(context, builder, signature, args):
        aryty = signature.args[0]
        ary = context.make_array(aryty)(context, builder, args[0])
        ptr = cgutils.get_item_pointer(context, builder, aryty, ary, [args[1]], wraparound=False)
        i8p = llvm_ir.IntType(8).as_pointer()
        i32 = llvm_ir.IntType(32)
        fnty = llvm_ir.FunctionType(llvm_ir.VoidType(), [i8p, i32, i32, i32])
        fn = cgutils.get_or_insert_function(builder.module, fnty, "llvm.prefetch.p0i8")
        # (address, write, locality 3 = keep in all levels, data cache)
        args = [builder.bitcast(ptr, i8p), i32(1), i32(3), i32(1)]
        builder.call(fn, args)
        return context.get_dummy_value()

    return sig, codegen


# Called as ``_prefetch(arr, idx)`` in compiled code (numba supplies the typing context).
_prefetch = cast("Callable[[Any, Any], None]", intrinsic(_prefetch_intrinsic))
PREFETCH_AHEAD = 16


def _fetch_add_intrinsic(typingctx, arr, idx, val):
    """Atomically add ``val`` to ``arr[idx]`` and return the value before (LLVM's
    ``atomicrmw add``, sequentially consistent): a work counter shared by threads."""
    sig = arr.dtype(arr, idx, val)

    def codegen(context, builder, signature, args):
        aryty = signature.args[0]
        ary = context.make_array(aryty)(context, builder, args[0])
        ptr = cgutils.get_item_pointer(context, builder, aryty, ary, [args[1]], wraparound=False)
        v = context.cast(builder, args[2], signature.args[2], aryty.dtype)
        return builder.atomic_rmw("add", ptr, v, "seq_cst")

    return sig, codegen


_fetch_add = cast("Callable[[Any, Any, Any], Any]", intrinsic(_fetch_add_intrinsic))

RANK_LANES = 8  # list entries whose places _rank_block counts at once (one AVX register)


def _rank_block_intrinsic(typingctx, score, t0, m_lo, m_hi, out):
    """``out[i] = m_lo + #{m in [m_lo, m_hi): m comes before t0 + i}`` for the
    RANK_LANES entries from ``t0``, where m comes before t when ``(score[m], m) <
    (score[t], t)``: a stable sort's order. ``score`` must have RANK_LANES entries from
    ``t0`` (padding past the row's end), ``out`` RANK_LANES places.

    Written as LLVM vector code, since numba's loops are not vectorised here: one
    broadcast, one compare and one subtraction count an entry ``m`` against all
    RANK_LANES entries. Insertion sort spent about 13 ns per entry, mostly on branches
    that no predictor can guess (where the noise moved each entry)."""
    sig = types.void(score, t0, m_lo, m_hi, out)

    def codegen(context, builder, signature, args):
        score_ty, t0_ty, lo_ty, hi_ty, out_ty = signature.args
        data = context.make_array(score_ty)(context, builder, args[0]).data
        out_data = context.make_array(out_ty)(context, builder, args[4]).data
        i32 = llvm_ir.IntType(32)
        i64 = llvm_ir.IntType(64)
        vf = llvm_ir.VectorType(llvm_ir.FloatType(), RANK_LANES)
        vi = llvm_ir.VectorType(i32, RANK_LANES)
        at_zero = llvm_ir.Constant(vi, [0] * RANK_LANES)

        def splat(x, vty):
            v = builder.insert_element(llvm_ir.Constant(vty, llvm_ir.Undefined), x, i32(0))
            return builder.shuffle_vector(v, llvm_ir.Constant(vty, llvm_ir.Undefined), at_zero)

        t0 = context.cast(builder, args[1], t0_ty, types.int64)
        lo = context.cast(builder, args[2], lo_ty, types.int64)
        hi = context.cast(builder, args[3], hi_ty, types.int64)
        s = builder.load(builder.bitcast(builder.gep(data, [t0]), vf.as_pointer()), align=4)
        t_idx = builder.add(
            splat(builder.trunc(t0, i32), vi), llvm_ir.Constant(vi, list(range(RANK_LANES)))
        )
        acc = cgutils.alloca_once_value(builder, at_zero)

        def count(start, stop, before):
            # acc -= mask (a true lane is -1) for each m in [start, stop)
            with cgutils.for_range_slice(builder, start, stop, i64(1), inc=True) as (m, _):
                sm = splat(builder.load(builder.gep(data, [m])), vf)
                mask = before(sm, m)
                builder.store(builder.sub(builder.load(acc), builder.sext(mask, vi)), acc)

        def smin(a, b):
            return builder.select(builder.icmp_signed("<", a, b), a, b)

        def smax(a, b):
            return builder.select(builder.icmp_signed(">", a, b), a, b)

        t8 = builder.add(t0, i64(RANK_LANES))

        def inside(sm, m):
            # within the block a tie goes to the lower index
            lt = builder.fcmp_ordered("<", sm, s)
            eq = builder.fcmp_ordered("==", sm, s)
            m_first = builder.icmp_signed("<", splat(builder.trunc(m, i32), vi), t_idx)
            return builder.or_(lt, builder.and_(eq, m_first))

        # Before the block every m has the lower index, so a tie goes to m; after, to t.
        count(lo, smin(t0, hi), lambda sm, m: builder.fcmp_ordered("<=", sm, s))
        count(smax(t0, lo), smin(t8, hi), inside)
        count(smax(t8, lo), hi, lambda sm, m: builder.fcmp_ordered("<", sm, s))
        res = builder.add(builder.load(acc), splat(builder.trunc(lo, i32), vi))
        builder.store(res, builder.bitcast(out_data, vi.as_pointer()), align=4)
        return context.get_dummy_value()

    return sig, codegen


# ``_rank_block(score, t0, m_lo, m_hi, out)`` in compiled code.
_rank_block = cast("Callable[[Any, Any, Any, Any, Any], None]", intrinsic(_rank_block_intrinsic))


# ``arr[_ix(i)]``: an index that cannot be negative, as an unsigned integer, so that
# numba indexes without its negative-index wraparound (a shift, an and and an add on
# every access, and each array's length held in a register). On deferred acceptance's
# loads, a national singles solve took about a third less time without it. Only where
# the index is non-negative by construction: a negative one would read outside the
# array (there are no bounds checks either way).
_ix = np.uint32


# --------------------------------------------------------------------------- heaps
@njit(cache=True, inline="always")
def _swap(hr, hs, i, j):
    t = hr[_ix(i)]
    hr[_ix(i)] = hr[_ix(j)]
    hr[_ix(j)] = t
    t = hs[_ix(i)]
    hs[_ix(i)] = hs[_ix(j)]
    hs[_ix(j)] = t


@njit(cache=True, inline="always")
def _sift_down(hr, hs, base, n, i):
    while True:
        c = 2 * i + 1
        if c >= n:
            return
        if c + 1 < n and hr[_ix(base + c + 1)] > hr[_ix(base + c)]:
            c += 1
        if hr[_ix(base + c)] > hr[_ix(base + i)]:
            _swap(hr, hs, base + c, base + i)
            i = c
        else:
            return


@njit(cache=True, inline="always")
def _sift_up(hr, hs, base, i):
    while i > 0:
        par = (i - 1) // 2
        if hr[_ix(base + i)] > hr[_ix(base + par)]:
            _swap(hr, hs, base + i, base + par)
            i = par
        else:
            return


@njit(cache=True, inline="always")
def _insert(hr, hs, hoff, hsize, quota, p, r, s):
    """Put slot ``s`` (rank ``r``) into program ``p``; return the evicted slot or -1."""
    base = hoff[_ix(p)]
    n = hsize[_ix(p)]
    if n < quota[_ix(p)]:
        hr[_ix(base + n)] = r
        hs[_ix(base + n)] = s
        hsize[_ix(p)] = n + 1
        _sift_up(hr, hs, base, n)
        return -1
    ev = hs[_ix(base)]
    hr[_ix(base)] = r
    hs[_ix(base)] = s
    _sift_down(hr, hs, base, n, 0)
    return ev


@njit(cache=True, inline="always")
def _remove(hr, hs, hoff, hsize, p, s):
    base = hoff[_ix(p)]
    n = hsize[_ix(p)]
    i = 0
    while i < n and hs[_ix(base + i)] != s:
        i += 1
    if i == n:
        return
    last = n - 1
    hsize[_ix(p)] = last
    if i != last:
        hr[_ix(base + i)] = hr[_ix(base + last)]
        hs[_ix(base + i)] = hs[_ix(base + last)]
        _sift_down(hr, hs, base, last, i)
        _sift_up(hr, hs, base, i)


@njit(cache=True, inline="always")
def _accepts(hr, hoff, hsize, quota, p, r):
    return hsize[_ix(p)] < quota[_ix(p)] or (quota[_ix(p)] > 0 and r < hr[_ix(hoff[_ix(p)])])


@njit(cache=True, inline="always")
def _count_better(hr, hs, hoff, hsize, p, r, s1, s2):
    """Held applicants at ``p`` ranked better than ``r``, not counting slots s1, s2."""
    base = hoff[_ix(p)]
    c = 0
    for i in range(hsize[_ix(p)]):
        if hr[_ix(base + i)] < r and hs[_ix(base + i)] != s1 and hs[_ix(base + i)] != s2:
            c += 1
    return c


@njit(cache=True, inline="always")
def _takes(hr, hs, hoff, hsize, quota, p, r, s1, s2, m1, m2):
    """Would ``p`` take one applicant of rank ``r``, not counting the unit's slots s1, s2
    (held at m1, m2)? When neither is held at ``p`` this is the O(1) heap-root test."""
    if m1 != p and m2 != p:
        return _accepts(hr, hoff, hsize, quota, p, r)
    return _count_better(hr, hs, hoff, hsize, p, r, s1, s2) + 1 <= quota[p]


@njit(cache=True, inline="always")
def _unit_admissible(hr, hs, hoff, hsize, quota, match_prog, s1, s2, p1, p2, r1, r2):
    """Would programs (p1, p2) take the unit's members if the unit left its positions?"""
    if (p1 >= 0 and r1 < 0) or (p2 >= 0 and r2 < 0):
        return False
    if p1 >= 0 and p1 == p2:
        rmax = max(r1, r2)
        return _count_better(hr, hs, hoff, hsize, p1, rmax, s1, s2) + 2 <= quota[p1]
    m1 = match_prog[s1]
    m2 = match_prog[s2]
    if p1 >= 0 and not _takes(hr, hs, hoff, hsize, quota, p1, r1, s1, s2, m1, m2):
        return False
    return not (p2 >= 0 and not _takes(hr, hs, hoff, hsize, quota, p2, r2, s1, s2, m1, m2))


@njit(cache=True, inline="always")
def _offer(a, r, p, hr, hs, hoff, hsize, quota, minrej):
    """Single ``a`` (rank ``r`` on ``p``'s list) proposes to ``p``. Returns -1 if ``p``
    takes it into a free position, the slot it evicts for it, or -2 if ``p`` refuses.
    ``minrej[p]`` falls to the best rank ``p`` has refused or evicted (see
    :func:`rp_core`); ``None`` compiles that bookkeeping away."""
    n = hsize[_ix(p)]
    if n < quota[_ix(p)]:
        _insert(hr, hs, hoff, hsize, quota, p, r, a)
        return -1
    root = hr[_ix(hoff[_ix(p)])] if n > 0 else r
    if r < root:
        if minrej is not None:
            minrej[_ix(p)] = min(minrej[_ix(p)], root)
        return _insert(hr, hs, hoff, hsize, quota, p, r, a)
    if minrej is not None:
        minrej[_ix(p)] = min(minrej[_ix(p)], r)
    return -2


@njit(cache=True, inline="always")
def _propose_one(a, nxt, a_ptr, a_list, a_prank, hr, hs, hoff, hsize, quota, match_prog, minrej):
    """Single ``a`` proposes down its list from ``nxt[a]`` until a program holds it.

    Returns the slot it evicted, -1 if it took a free position, -2 if its list ran out.
    """
    k = nxt[_ix(a)]
    end = a_ptr[_ix(a + 1)]
    while k < end:
        r = a_prank[_ix(k)]
        p = a_list[_ix(k)]
        k += 1
        if r < 0:
            continue
        ev = _offer(a, r, p, hr, hs, hoff, hsize, quota, minrej)
        if ev != -2:
            match_prog[_ix(a)] = p
            nxt[_ix(a)] = k
            return ev
    nxt[_ix(a)] = k
    return -2


SINGLES_LANES = 32  # applicants whose proposals _singles interleaves


@njit(cache=True, **NO_REFCOUNT)
def _singles(
    quota, hoff, a_ptr, a_list, a_prank, is_single, hr, hs, hsize, match_prog, nxt, minrej, lane
):
    """Deferred acceptance among the singles (``is_single``). ``minrej[p]`` falls to the
    best rank ``p`` has refused or evicted (see :func:`rp_core`); ``None`` compiles that
    bookkeeping away (a plain singles solve has no use for it).

    SINGLES_LANES applicants propose in turn, one program each, in the lanes of
    ``lane`` (scratch of that length): a lane's next applicant is itself when refused,
    the applicant it evicted, or, once it is held or its list has run out, the next
    applicant not yet started. A lane's next list entry is requested as soon as it is
    known and read a round later, so the cache misses of several eviction chains
    overlap; one chain at a time (McVitie-Wilson) waited for each in turn. Deferred
    acceptance makes the same proposals in any order, so the matching, ``nxt`` and
    ``minrej`` are the same; only the order inside a program's heap may differ.

    A proposal's heap update is :func:`_offer`'s, as in :func:`_propose_one`: inlined
    into a function without reference counts, the shared helper costs nothing (the
    copies written out here used to save the counts of each call).
    """
    n_app = len(a_ptr) - 1
    new = 0  # the next applicant not yet started
    n_lane = 0
    while n_lane < SINGLES_LANES:
        while new < n_app and not is_single[_ix(new)]:
            new += 1
        if new >= n_app:
            break
        lane[_ix(n_lane)] = new
        n_lane += 1
        new += 1
    i = 0
    while n_lane > 0:
        if i >= n_lane:
            i = 0
        a = lane[_ix(i)]
        k = nxt[_ix(a)]
        end = a_ptr[_ix(a + 1)]
        then = -2  # -2: a proposes again; -1: a is done; else the applicant a evicted
        while k < end:
            r = a_prank[_ix(k)]
            p = a_list[_ix(k)]
            k += 1
            if r < 0:
                continue
            then = _offer(a, r, p, hr, hs, hoff, hsize, quota, minrej)
            if then != -2:
                match_prog[_ix(a)] = p
                if then >= 0:
                    match_prog[_ix(then)] = -1
            break
        nxt[_ix(a)] = k
        if then == -2 and k >= end:
            then = -1  # the list ran out
        if then == -2:
            b = a
        elif then >= 0:
            b = then
        else:
            while new < n_app and not is_single[_ix(new)]:
                new += 1
            if new >= n_app:
                n_lane -= 1  # no one left to start: close the lane
                lane[_ix(i)] = lane[_ix(n_lane)]
                continue
            b = new
            new += 1
        lane[_ix(i)] = b
        _prefetch(a_list, nxt[_ix(b)])
        _prefetch(a_prank, nxt[_ix(b)])
        _prefetch(a_ptr, b + 1)  # the end of b's list, read with nxt[b] on b's turn
        i += 1


@njit(cache=True)
def _grow(a):
    b = np.empty(2 * len(a) + 16, dtype=np.int32)
    b[: len(a)] = a
    return b


# --------------------------------------------------------------------------- Roth-Peranson
@njit(cache=True, inline="always")
def _passed(minrej_u, p1, p2, r1, r2):
    """A unit moved past an entry (p1, p2): lower ``minrej_u`` to its members' ranks."""
    if p1 >= 0 and r1 >= 0 and r1 < minrej_u[p1]:
        minrej_u[p1] = r1
    if p2 >= 0 and r2 >= 0 and r2 < minrej_u[p2]:
        minrej_u[p2] = r2


@njit(cache=True, inline="always")
def _loosened(p, vac, in_vac, dq, in_dirty, cnt):
    """Program ``p`` lost an applicant: queue it for the vacancy offer (``vac``, a stack)
    and for the stability scan (``dq``, a FIFO ring). ``cnt`` = [vac size, ring head,
    ring size]. A program is on each at most once, so both fit in n_programs."""
    if not in_vac[p]:
        vac[cnt[0]] = p
        cnt[0] += 1
        in_vac[p] = True
    if not in_dirty[p]:
        dq[(cnt[1] + cnt[2]) % len(dq)] = p
        cnt[2] += 1
        in_dirty[p] = True


@njit(cache=True, **NO_REFCOUNT)
def rp_core(
    quota,
    hoff,
    is_single,
    a_ptr,
    a_list,
    a_prank,
    p_ptr,
    p_list,
    p_apos,
    u_s1,
    u_s2,
    u_ptr,
    u_p1,
    u_p2,
    u_r1,
    u_r2,
    u_owner,
    pu_ptr,
    pu_k,
    u_newpos,
    u_bstart,
    s_newpos,
    sr_ptr,
    sr_u,
    sr_x,
    unit_order,
    slot_unit,
    n_slots,
    max_iter,
    cycle_bound,
    hr,
    hs,
    hsize,
    match_prog,
    nxt,
    unext,
    ucur,
    displaced,
    last_event,
    stack,
    vac,
    in_vac,
    dq,
    in_dirty,
    minrej,
    minrej_u,
    cnt,
    ev_slot,
    ev_prog,
    evicted,
):
    """Applicant-proposing deferred acceptance with units added one at a time.

    Singles run first (plain deferred acceptance, whose result does not depend on
    order). Then each unit enters in ``unit_order``; evicted applicants go back on the
    stack, a unit that loses a member withdraws the other, and every program left with
    a vacancy by a withdrawal is re-checked best-ranked candidate first.

    Stability is restored incrementally. An entry an agent passed by was refused at the
    time; it can only become acceptable if its program has since *lost* someone
    (evictions only raise a program's bar). Every such program is queued (``dq``, FIFO);
    when the stack is empty, the scan takes the queued programs in turn and looks only
    at the singles on that program's list and the unit entries naming it: for couples,
    ``pu_ptr``, ``pu_k``, an index from program to list entries, which ``u_newpos`` maps
    to their place in the unit lists as given (the identity, or a draw's re-ordering);
    for supplemental units, ``sr_ptr``, ``sr_u``, ``sr_x``, at most one entry per unit
    and reference (see the scan below; ``u_bstart`` gives each entry's block start and
    ``s_newpos`` each supplemental program's place in its block). It re-opens every
    blocking
    single it meets but at most one unit per scan (re-opened at its best admissible
    entry), because two units re-opened together can displace each other for ever. A
    program whose check finds nobody leaves the queue; the search ends when the queue
    is empty, a unit is re-opened more than ``cycle_bound`` times (a cycle) or the work
    exceeds ``max_iter``.

    A single can want a program it passed by only if that program refused or evicted it
    (it moves down its list only so; vacancy offers and re-openings move it up), so
    ``minrej[p]``, the best rank ``p`` has refused or evicted, is where the vacancy
    offers and the scan start on ``p``'s list: entries above it are held by ``p`` or
    prefer where they are (per national draw about 16,000 and 2,000 entries read
    instead of 208,000 and 73,000).
    Likewise ``minrej_u[p]`` is the best rank of a unit member on any entry naming
    ``p`` that its unit has moved past: when ``p`` is full with applicants all better
    than that, and holds no unit member, no unit entry naming ``p`` can block, and the
    scan skips them.

    Compiled without reference counting (``NO_REFCOUNT``), so it allocates nothing and
    returns scalars only: (status, iterations, scan rounds, cycling unit, first event
    of the cycle, events). The matching stays in the work arrays (``match_prog``,
    ``nxt``, ``ucur``, ``hsize``) and the last RING displacements in ``ev_slot`` and
    ``ev_prog``. A push past the end of ``stack`` stops the search with
    STATUS_STACK_FULL; the caller runs it again with a longer stack (:func:`_rp_run`),
    which gives the same result, as the search is deterministic.
    """
    n_app = len(a_ptr) - 1
    n_unit = len(u_s1)
    # The work arrays come from rp_work (reused across Monte Carlo draws): reset them.
    hsize[:] = 0
    match_prog[:] = -1
    for a in range(n_app):  # (an array-to-array copy would need reference counting)
        nxt[a] = a_ptr[a]
    for u in range(n_unit):
        unext[u] = u_ptr[u]
    ucur[:] = -1
    displaced[:] = 0
    last_event[:] = 0
    in_vac[:] = False
    in_dirty[:] = False
    minrej[:] = np.iinfo(np.int32).max
    minrej_u[:] = np.iinfo(np.int32).max
    sp = 0
    cnt[:] = 0
    ev_n = 0
    status = 0
    cycle_unit = -1
    cycle_from = 0
    iters = 0
    rounds = 0

    # Singles first: plain deferred acceptance, whose result does not depend on order.
    # The stack is empty until the units enter: its start serves as _singles' lanes.
    if len(stack) < SINGLES_LANES:
        return STATUS_STACK_FULL, 0, 0, -1, 0, 0
    _singles(
        quota, hoff, a_ptr, a_list, a_prank, is_single, hr, hs, hsize, match_prog, nxt, minrej,
        stack,
    )  # fmt: skip
    for a in range(n_app):
        iters += nxt[a] - a_ptr[a]
    next_unit = 0

    while True:
        if sp > len(stack):
            status = STATUS_STACK_FULL  # pushes past the end were not stored
            break
        if iters > max_iter:
            status = STATUS_BOUND
            break
        if cnt[0] > 0:
            # A withdrawal left program p with a vacancy: offer it to the applicants it
            # ranks, best first, who passed it by and would now rather be there.
            cnt[0] -= 1
            p = vac[cnt[0]]
            in_vac[p] = False
            for j in range(min(p_ptr[p] + minrej[p], p_ptr[p + 1]), p_ptr[p + 1]):
                if hsize[p] >= quota[p]:
                    break
                pos = p_apos[j]
                if pos < 0:
                    continue
                a = p_list[j]
                q = match_prog[a]
                if q == p:
                    continue
                pos += a_ptr[a]  # p_apos counts from the start of a's list
                cur = nxt[a] - 1 if q >= 0 else nxt[a]
                if pos >= cur:
                    continue
                iters += 1
                if q >= 0:
                    _remove(hr, hs, hoff, hsize, q, a)
                    _loosened(q, vac, in_vac, dq, in_dirty, cnt)
                _insert(hr, hs, hoff, hsize, quota, p, j - p_ptr[p], a)
                match_prog[a] = p
                nxt[a] = pos + 1
        elif sp > 0:
            sp -= 1
            agent = stack[sp]
            n_ev = 0
            if agent >= 0:
                a = agent
                if match_prog[a] >= 0:
                    continue
                k0 = nxt[a]
                ev = _propose_one(
                    a, nxt, a_ptr, a_list, a_prank, hr, hs, hoff, hsize, quota, match_prog,
                    minrej,
                )  # fmt: skip
                iters += nxt[a] - k0
                if ev >= 0:
                    evicted[0] = ev
                    n_ev = 1
            else:
                u = -agent - 1
                if ucur[u] >= 0:
                    continue
                s1 = u_s1[u]
                s2 = u_s2[u]
                end = u_ptr[u + 1]
                while unext[u] < end:
                    k = unext[u]
                    unext[u] = k + 1
                    iters += 1
                    p1 = u_p1[k]
                    p2 = u_p2[k]
                    r1 = u_r1[k]
                    r2 = u_r2[k]
                    if p1 >= 0 and r1 >= 0 and not _accepts(hr, hoff, hsize, quota, p1, r1):
                        # p1 refuses this member (the unit holds nothing now), so every
                        # following entry with the same p1 fails too: skip the run (an
                        # advanced program's supplemental pairs, say).
                        _passed(minrej_u, p1, p2, r1, r2)
                        while unext[u] < end and u_p1[unext[u]] == p1:
                            _passed(minrej_u, -1, u_p2[unext[u]], -1, u_r2[unext[u]])
                            unext[u] += 1
                        continue
                    if not _unit_admissible(
                        hr, hs, hoff, hsize, quota, match_prog, s1, s2, p1, p2, r1, r2
                    ):
                        _passed(minrej_u, p1, p2, r1, r2)
                        continue
                    if p1 >= 0:
                        if hsize[p1] >= quota[p1] > 0:
                            minrej[p1] = min(minrej[p1], hr[hoff[p1]])
                        ev = _insert(hr, hs, hoff, hsize, quota, p1, r1, s1)
                        if ev >= 0:
                            evicted[n_ev] = ev
                            n_ev += 1
                    if p2 >= 0:
                        if hsize[p2] >= quota[p2] > 0:
                            minrej[p2] = min(minrej[p2], hr[hoff[p2]])
                        ev = _insert(hr, hs, hoff, hsize, quota, p2, r2, s2)
                        if ev >= 0:
                            evicted[n_ev] = ev
                            n_ev += 1
                    match_prog[s1] = p1
                    match_prog[s2] = p2
                    ucur[u] = k
                    # The unit's own members now sit at p1, p2, and the checks of its
                    # entries above leave them out: when a member evicted someone, an
                    # entry naming that program may have become admissible. If so,
                    # queue the program so that the scan re-opens the unit.
                    for k2 in range(u_ptr[u], k if n_ev > 0 else u_ptr[u]):
                        q1 = u_p1[k2]
                        q2 = u_p2[k2]
                        if (q1 < 0 or (q1 != p1 and q1 != p2)) and (
                            q2 < 0 or (q2 != p1 and q2 != p2)
                        ):
                            continue
                        iters += 1
                        if _unit_admissible(
                            hr, hs, hoff, hsize, quota, match_prog, s1, s2, q1, q2, u_r1[k2],
                            u_r2[k2],
                        ):  # fmt: skip
                            p = q1 if q1 >= 0 and (q1 == p1 or q1 == p2) else q2  # noqa: SIM109 (numba)
                            if not in_dirty[p]:
                                dq[(cnt[1] + cnt[2]) % len(dq)] = p
                                cnt[2] += 1
                                in_dirty[p] = True
                            break
                    break
            # Evicted applicants re-enter; a unit that lost a member withdraws the other.
            # One entry can evict both partners of another couple: unseat every evicted
            # slot first, so that the partner's withdrawal below sees it already gone.
            for i in range(n_ev):
                ev = evicted[i]
                ev_slot[ev_n % RING] = ev
                ev_prog[ev_n % RING] = match_prog[ev]
                ev_n += 1
                match_prog[ev] = -1
            for i in range(n_ev):
                ev = evicted[i]
                v = slot_unit[ev]
                if v < 0:
                    agent2 = ev
                elif ucur[v] < 0:
                    continue  # this unit already withdrew for its other partner
                else:
                    other = u_s2[v] if ev == u_s1[v] else u_s1[v]
                    q = match_prog[other]
                    if q >= 0:
                        _remove(hr, hs, hoff, hsize, q, other)
                        match_prog[other] = -1
                        _loosened(q, vac, in_vac, dq, in_dirty, cnt)
                    k = ucur[v]  # the unit moves past the entry it held
                    _passed(minrej_u, u_p1[k], u_p2[k], u_r1[k], u_r2[k])
                    ucur[v] = -1
                    agent2 = -v - 1
                if sp < len(stack):
                    stack[sp] = agent2
                sp += 1
        elif next_unit < n_unit:
            stack[sp] = -unit_order[next_unit] - 1
            sp += 1
            next_unit += 1
        else:
            if n_unit == 0:
                break  # deferred acceptance among singles is stable: nothing to repair
            if status == STATUS_CYCLE:
                break  # a unit came round too often: finish the pass and stop searching
            rounds += 1
            found = 0
            found_unit = False
            for _step in range(cnt[2]):
                if found_unit:
                    break
                p = dq[cnt[1]]
                cnt[1] = (cnt[1] + 1) % len(dq)
                cnt[2] -= 1
                in_dirty[p] = False
                hit = False
                # Singles on p's list, best first, who passed p by and whom p now takes.
                for j in range(min(p_ptr[p] + minrej[p], p_ptr[p + 1]), p_ptr[p + 1]):
                    r = j - p_ptr[p]
                    if not _accepts(hr, hoff, hsize, quota, p, r):
                        break  # the rest rank lower still
                    pos = p_apos[j]
                    if pos < 0:
                        continue
                    a = p_list[j]
                    q = match_prog[a]
                    if q == p:
                        continue
                    pos += a_ptr[a]  # p_apos counts from the start of a's list
                    cur = nxt[a] - 1 if q >= 0 else nxt[a]
                    if pos >= cur:
                        continue
                    iters += 1
                    if q >= 0:
                        _remove(hr, hs, hoff, hsize, q, a)
                        match_prog[a] = -1
                        _loosened(q, vac, in_vac, dq, in_dirty, cnt)
                    nxt[a] = pos
                    if sp < len(stack):
                        stack[sp] = a
                    sp += 1
                    found += 1
                    hit = True
                # Unit entries naming p, above their unit's current place: couples'
                # entries (pu), then supplemental units' (sr), one or two per unit.
                # None can block when p is full with applicants all better than any
                # unit member on an entry passed by (minrej_u) and holds no unit member.
                n_ref = pu_ptr[p + 1] - pu_ptr[p] + sr_ptr[p + 1] - sr_ptr[p]
                if hsize[p] >= quota[p] and (quota[p] == 0 or hr[hoff[p]] <= minrej_u[p]):
                    for i in range(hsize[p]):
                        if slot_unit[hs[hoff[p] + i]] >= 0:
                            break
                    else:
                        n_ref = 0
                n_pu = pu_ptr[p + 1] - pu_ptr[p]
                # Each reference's place in the draw's unit lists is a random read:
                # request them all before the loop needs the first.
                for i in range(n_ref):
                    if i < n_pu:
                        _prefetch(u_newpos, pu_k[pu_ptr[p] + i])
                    elif sr_x[sr_ptr[p] + i - n_pu] >= 0:
                        _prefetch(u_newpos, sr_x[sr_ptr[p] + i - n_pu])
                for i in range(n_ref):
                    if i < n_pu:
                        # Two independent loads: a unit's entries keep their owner
                        # whatever order a draw puts them in.
                        k0 = pu_k[pu_ptr[p] + i]
                        u = u_owner[k0]
                        k = u_newpos[k0]
                        cur = ucur[u] if ucur[u] >= 0 else unext[u]
                    else:
                        e = sr_ptr[p] + i - n_pu
                        u = sr_u[e]
                        cur = ucur[u] if ucur[u] >= 0 else unext[u]
                        x = sr_x[e]
                        if x >= 0:
                            # p on the primary list: its block's last entry, (p, no
                            # PGY-1) or p alone. Any entry of a block above the current
                            # one is admissible only if this one is (the block's
                            # program takes the applicant), so it stands for them all.
                            k = u_newpos[x]
                        else:
                            # p on the supplemental list: only its pair with the
                            # current block's advanced program can block here; pairs
                            # with programs above are covered by those programs' own
                            # last entries.
                            if cur >= u_ptr[u + 1]:
                                continue
                            k = u_bstart[cur] + s_newpos[-x - 1]
                    if k >= cur:
                        continue
                    iters += 1
                    s1 = u_s1[u]
                    s2 = u_s2[u]
                    if not _unit_admissible(
                        hr, hs, hoff, hsize, quota, match_prog, s1, s2, u_p1[k], u_p2[k],
                        u_r1[k], u_r2[k],
                    ):  # fmt: skip
                        continue
                    hit = True
                    # Re-open the unit at its best admissible entry (which may name
                    # another queued program).
                    best = k
                    for k2 in range(u_ptr[u], k):
                        iters += 1
                        if _unit_admissible(
                            hr, hs, hoff, hsize, quota, match_prog, s1, s2, u_p1[k2], u_p2[k2],
                            u_r1[k2], u_r2[k2],
                        ):  # fmt: skip
                            best = k2
                            break
                    for s in (s1, s2):
                        q = match_prog[s]
                        if q >= 0:
                            _remove(hr, hs, hoff, hsize, q, s)
                            match_prog[s] = -1
                            _loosened(q, vac, in_vac, dq, in_dirty, cnt)
                    ucur[u] = -1
                    unext[u] = best
                    # Moving a unit back up its list is the only non-monotone step,
                    # so re-openings are what can cycle: bound them.
                    displaced[u] += 1
                    if displaced[u] > cycle_bound and status == 0:
                        status = STATUS_CYCLE
                        cycle_unit = u
                        cycle_from = last_event[u]
                    last_event[u] = ev_n
                    ev_slot[ev_n % RING] = s1
                    ev_prog[ev_n % RING] = -1
                    ev_n += 1
                    if sp < len(stack):
                        stack[sp] = -u - 1
                    sp += 1
                    found += 1
                    found_unit = True
                    break
                if hit and not in_dirty[p]:
                    # Others may still block with p: check it again after this pass.
                    dq[(cnt[1] + cnt[2]) % len(dq)] = p
                    cnt[2] += 1
                    in_dirty[p] = True
            if found == 0:
                break

    if status != STATUS_CYCLE:
        cycle_from = ev_n
    return status, iters, rounds, cycle_unit, cycle_from, ev_n


@njit(cache=True)
def rp_work(hoff, n_slots, n_app, n_unit):
    """Work arrays of :func:`rp_core` (allocated once per thread in Monte Carlo)."""
    n_prog = len(hoff) - 1
    return (
        np.empty(hoff[n_prog], dtype=np.int32),  # hr
        np.empty(hoff[n_prog], dtype=np.int32),  # hs
        np.empty(n_prog, dtype=np.int32),  # hsize
        np.empty(n_slots, dtype=np.int32),  # match_prog
        np.empty(n_app, dtype=np.int32),  # nxt
        np.empty(n_unit, dtype=np.int32),  # unext
        np.empty(n_unit, dtype=np.int32),  # ucur
        np.empty(n_unit, dtype=np.int64),  # displaced
        np.empty(n_unit, dtype=np.int64),  # last_event
        np.empty(n_app + n_unit + 16, dtype=np.int32),  # stack
        np.empty(max(n_prog, 1), dtype=np.int32),  # vac
        np.empty(n_prog, dtype=np.bool_),  # in_vac
        np.empty(max(n_prog, 1), dtype=np.int32),  # dq
        np.empty(n_prog, dtype=np.bool_),  # in_dirty
        np.empty(n_prog, dtype=np.int32),  # minrej
        np.empty(n_prog, dtype=np.int32),  # minrej_u
        np.empty(3, dtype=np.int64),  # cnt
        np.empty(RING, dtype=np.int64),  # ev_slot
        np.empty(RING, dtype=np.int64),  # ev_prog
        np.empty(2, dtype=np.int64),  # evicted
    )


@njit(cache=True)
def _rp_run(args, rw, stack):
    """:func:`rp_core` on market ``args`` with work arrays ``rw``, its stack replaced by
    ``stack``, and a stack twice as long each time it runs out (a rare, deterministic
    re-run: rp_core cannot allocate). Returns rp_core's scalars and the stack used."""
    while True:
        out = rp_core(*(args + rw[:9] + (stack,) + rw[10:]))
        if out[0] != STATUS_STACK_FULL:
            return out, stack
        stack = np.empty(2 * len(stack), dtype=np.int32)


@njit(cache=True)
def rp_match(*args):
    """:func:`rp_core` with fresh work arrays; ``args`` are rp_core's, from ``quota`` to
    ``cycle_bound``. Returns (slot programs, next list index, current unit entry, fill,
    status, iterations, scan rounds, cycling unit, cycle slots, cycle programs)."""
    hoff, a_ptr, u_s1, n_slots = args[1], args[3], args[9], args[27]
    rw = rp_work(hoff, n_slots, len(a_ptr) - 1, len(u_s1))
    (status, iters, rounds, cycle_unit, cycle_from, ev_n), _ = _rp_run(args, rw, rw[9])
    # The displacements since the cycling unit's previous re-opening (the last RING).
    ev_slot, ev_prog = rw[17], rw[18]
    start = max(cycle_from, ev_n - RING)
    cyc_slot = np.empty(ev_n - start, dtype=np.int64)
    cyc_prog = np.empty(ev_n - start, dtype=np.int64)
    for i in range(start, ev_n):
        cyc_slot[i - start] = ev_slot[i % RING]
        cyc_prog[i - start] = ev_prog[i % RING]
    return rw[3], rw[4], rw[6], rw[2], status, iters, rounds, cycle_unit, cyc_slot, cyc_prog


# --------------------------------------------------------------------------- program-proposing
@njit(cache=True)
def pp_match(quota, n_app, p_ptr, p_list, p_arel):
    """Program-proposing deferred acceptance among singles (program-optimal matching).

    ``p_arel[j]`` is the position of program ``p`` on applicant ``p_list[j]``'s list, or
    -1 when the applicant does not rank it.
    """
    n_prog = len(quota)
    held_by = np.full(n_app, -1, dtype=np.int64)
    held_pos = np.full(n_app, -1, dtype=np.int64)
    count = np.zeros(n_prog, dtype=np.int64)
    pnext = p_ptr[:-1].copy()
    stack = np.empty(n_prog + 16, dtype=np.int32)
    sp = 0
    for p in range(n_prog - 1, -1, -1):
        stack[sp] = p
        sp += 1
    while sp > 0:
        sp -= 1
        p = stack[sp]
        while count[p] < quota[p] and pnext[p] < p_ptr[p + 1]:
            j = pnext[p]
            pnext[p] = j + 1
            pos = p_arel[j]
            if pos < 0:
                continue
            a = p_list[j]
            old = held_by[a]
            if old < 0 or pos < held_pos[a]:
                if old >= 0:
                    count[old] -= 1
                    if sp == len(stack):
                        stack = _grow(stack)
                    stack[sp] = old
                    sp += 1
                held_by[a] = p
                held_pos[a] = pos
                count[p] += 1
    return held_by, held_pos, count


# --------------------------------------------------------------------------- Monte Carlo
@njit(cache=True, inline="always")
def _mix(z):
    # splitmix64 finaliser: a bijection of uint64 with good avalanche.
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


@njit(cache=True)
def entry_key(seed, stream, i, j):
    """Counter-based key of one list entry: a hash of (seed, stream, i, j)."""
    z = _mix(np.uint64(seed) * _GOLDEN + np.uint64(stream))
    z = _mix(z + np.uint64(i) * _GOLDEN)
    return _mix(z + np.uint64(j) * _GOLDEN)


@njit(cache=True)
def draw_key(seed, draw):
    return _mix(_mix(np.uint64(seed) ^ np.uint64(0x5851F42D4C957F2D)) + np.uint64(draw) * _GOLDEN)


@njit(cache=True, inline="always")
def _noise(key, dkey, table):
    """The draw's noise for an entry: its key mixed with the draw's key, whose top 12 bits
    index a table of logistic quantiles."""
    return table[_mix(key ^ dkey) >> np.uint64(52)]


def logistic_table() -> np.ndarray:
    """Logistic quantiles at the midpoints of 4,096 equal slices of (0, 1) (float32, so
    the table sits in L1 cache; tails at +-9.0)."""
    u = (np.arange(4096, dtype=np.float64) + 0.5) / 4096
    return np.log(u / (1 - u)).astype(np.float32)


@njit(cache=True, parallel=True)
def entry_keys(seed, a_app, a_list, p_list, p_prog, u_s1, u_owner, u_key, s_app, s_list):
    """Keys of every entry on applicants', programs', couples' and supplemental lists
    (once per run)."""
    ka = np.empty(len(a_list), dtype=np.uint64)
    kp = np.empty(len(p_list), dtype=np.uint64)
    ku = np.empty(len(u_key), dtype=np.uint64)
    ks = np.empty(len(s_list), dtype=np.uint64)
    for k in prange(len(s_list)):
        ks[k] = entry_key(seed, 3, s_app[k], s_list[k])
    for k in prange(len(a_list)):
        ka[k] = entry_key(seed, 0, a_app[k], a_list[k])
    for j in prange(len(p_list)):
        kp[j] = entry_key(seed, 1, p_list[j], p_prog[j])
    for k in prange(len(u_key)):
        ku[k] = entry_key(seed, 2, u_s1[u_owner[k]], u_key[k])
    return ka, kp, ku, ks


@njit(cache=True, inline="always")
def _sort_row(lo, hi, keys, dkey, table, scale, score, perm, places):
    """perm[lo:hi] = lo..hi-1 ordered by position + scale * noise, stably. ``score`` is
    scratch for one row plus RANK_LANES (indexed from 0, so it stays in L1 cache),
    ``places`` scratch for RANK_LANES places.

    Each entry's place is counted (:func:`_rank_block`), not found by moving entries:
    how far the noise moves an entry is what a branch cannot predict. Only entries
    within ``w`` places can change order: the noise on the row spans at most ``spread``,
    so an entry more than ``spread`` places earlier has the lower score (rounding to
    float32 keeps that order or makes a tie, which the earlier entry wins)."""
    n = hi - lo
    if n == 0:
        return
    x_min = np.float32(np.inf)
    x_max = np.float32(-np.inf)
    for t in range(n):
        x = _noise(keys[_ix(lo + t)], dkey, table)
        x_min = min(x_min, x)
        x_max = max(x_max, x)
        score[_ix(t)] = np.float32(t) + scale * x
    for t in range(n, n + RANK_LANES):
        score[_ix(t)] = np.float32(np.inf)  # padding: counted against nothing
    spread = np.float64(scale) * (np.float64(x_max) - np.float64(x_min))
    w = int(spread) + 2
    for t0 in range(0, n, RANK_LANES):
        _rank_block(score, t0, max(0, t0 - w), min(n, t0 + RANK_LANES + w), places)
        for i in range(min(RANK_LANES, n - t0)):
            perm[_ix(lo + places[_ix(i)])] = lo + t0 + i


@njit(cache=True, inline="always")
def _gather_ranks(new_rank, j, n, out):
    """``out[i] = new_rank[j[i]]`` (-1 where ``j[i]`` is -1) for ``i < n``: random reads,
    in a pass of their own and requested PREFETCH_AHEAD entries early, so that they
    overlap."""
    for i in range(n):
        if i + PREFETCH_AHEAD < n and j[_ix(i + PREFETCH_AHEAD)] >= 0:
            _prefetch(new_rank, j[_ix(i + PREFETCH_AHEAD)])
        out[_ix(i)] = new_rank[_ix(j[_ix(i)])] if j[_ix(i)] >= 0 else -1


@njit(cache=True, inline="always")
def _put_entry(k0, w, w0, u_p1, u_p2, c_r1, c_r2, newpos_u, ub):
    """Unit entry ``k0`` goes to place ``w`` of a draw's unit lists, in a block from w0
    (``c_r1``, ``c_r2``: the members' new ranks on the entry's programs)."""
    u_p1b, u_p2b, u_r1b, u_r2b, u_bstart2 = ub
    newpos_u[_ix(k0)] = w
    u_bstart2[_ix(w)] = w0
    u_p1b[_ix(w)] = u_p1[_ix(k0)]
    u_p2b[_ix(w)] = u_p2[_ix(k0)]
    u_r1b[_ix(w)] = c_r1[_ix(k0)]
    u_r2b[_ix(w)] = c_r2[_ix(k0)]


@njit(cache=True, **NO_REFCOUNT)
def _draw(dkey, table, a_noise, p_noise, mk, dw, rw, stack):
    """One perturbed market, solved: noise re-orders every list, then rp_core runs on
    the work arrays ``rw`` (its stack replaced by ``stack``), where the result stays.
    Returns the search status (STATUS_STACK_FULL: run again with a longer stack).
    ``mk`` is the tuple of market arrays that :func:`mc_batch` documents.

    Like rp_core, compiled without reference counting (it cannot allocate): every
    array it reads or writes is owned by the caller, and the counts' atomic updates
    were about 7% of a draw's time, at each inlined helper's arguments."""
    (ka, kp, ku, quota, hoff, is_single, a_ptr, a_list, p_aent, p_ptr, p_list, _,
     s_j, u_s1, u_s2, u_ptr, u_p1, u_p2, u_j1, u_j2, u_owner, pu_ptr, pu_k, n_couples,
     p_adv, s_ptr, _, ks, a_ublk, sr_ptr, sr_u, sr_x, unit_order, slot_unit, n_slots,
     max_iter, cycle_bound) = mk  # fmt: skip
    n_prog = len(quota)
    n_app = len(a_ptr) - 1
    a_noise = np.float32(a_noise)
    p_noise = np.float32(p_noise)
    # Programs' lists: the new rank of each entry, and the re-ordered lists.
    # Work arrays from draw_work, reused across draws; every entry is written below.
    perm_p, new_rank, p_list2, perm_a, a_list2, a_prank2, p_apos2 = dw[:7]
    perm_u, u_p1b, u_p2b, u_r1b, u_r2b, newpos_u, u_bstart2, perm_s, s_newpos2 = dw[7:16]
    ar, s_rank2, c_r1, c_r2, score, places = dw[16:22]
    # The lists are joined through ``ar``, two numbers per applicant entry (its original
    # index): the entry's new place on the applicant's list, then the applicant's new
    # rank on the program's list. Both sit in one cache line, so the one transpose
    # between the two sides costs one random access per entry.
    # Applicants' lists first.
    for a in range(n_app):
        lo = a_ptr[_ix(a)]
        hi = a_ptr[_ix(a + 1)]
        _sort_row(lo, hi, ka, dkey, table, a_noise, score, perm_a, places)
        for t in range(hi - lo):
            ar[_ix(2 * perm_a[_ix(lo + t)])] = t  # fits: see rank_proto
            a_list2[_ix(lo + t)] = a_list[_ix(perm_a[_ix(lo + t)])]
    # Programs' lists: new ranks, and for singles where the program now sits on their
    # lists (p_apos2); p_aent is the applicant entry, coded -(k0 + 2) for non-singles.
    for p in range(n_prog):
        lo = p_ptr[_ix(p)]
        hi = p_ptr[_ix(p + 1)]
        _sort_row(lo, hi, kp, dkey, table, p_noise, score, perm_p, places)
        for k in range(lo, hi):
            j = perm_p[_ix(k)]
            new_rank[_ix(j)] = k - lo
            p_list2[_ix(k)] = p_list[_ix(j)]
    # The transpose, in a pass of its own: one random access per entry, each fetched
    # PREFETCH_AHEAD entries early, so that they overlap (the sorting's unpredictable
    # branches in between kept them one at a time).
    n_pl = len(p_list2)
    for k in range(n_pl):
        if k + PREFETCH_AHEAD < n_pl:
            k1 = p_aent[_ix(perm_p[_ix(k + PREFETCH_AHEAD)])]
            if k1 >= 0:
                _prefetch(ar, 2 * k1)
            elif k1 < -1:
                _prefetch(ar, 2 * (-k1 - 2))
        j = perm_p[_ix(k)]
        r = new_rank[_ix(j)]
        k0 = p_aent[_ix(j)]
        if k0 >= 0:
            ar[_ix(2 * k0 + 1)] = r
            p_apos2[_ix(k)] = ar[_ix(2 * k0)]
        else:
            if k0 < -1:
                ar[_ix(2 * (-k0 - 2) + 1)] = r
            p_apos2[_ix(k)] = -1
    # Each applicant entry's rank on the program's new list.
    for k in range(len(a_list2)):
        a_prank2[_ix(k)] = ar[_ix(2 * perm_a[_ix(k)] + 1)]
    # Couples' and supplemental entries' new ranks on the programs' lists.
    n_ce = u_ptr[_ix(n_couples)]
    _gather_ranks(new_rank, u_j1, n_ce, c_r1)
    _gather_ranks(new_rank, u_j2, n_ce, c_r2)
    _gather_ranks(new_rank, s_j, len(s_j), s_rank2)
    # Units' joint lists. A couple's list is perturbed entry by entry, as it is one list.
    ub = (u_p1b, u_p2b, u_r1b, u_r2b, u_bstart2)
    for u in range(n_couples):
        lo = u_ptr[_ix(u)]
        hi = u_ptr[_ix(u + 1)]
        _sort_row(lo, hi, ku, dkey, table, a_noise, score, perm_u, places)
        for k in range(lo, hi):
            _put_entry(perm_u[_ix(k)], k, k, u_p1, u_p2, c_r1, c_r2, newpos_u, ub)
    # A supplemental applicant's joint order follows NRMP's rule in every draw: the
    # primary list (perturbed above) and the supplemental list are each perturbed, and
    # the blocks are rebuilt from them, each advanced program with every supplemental
    # program in the new order and then with no PGY-1.
    for u in range(n_couples, len(u_s1)):
        a = u_s1[_ix(u)]
        s_lo = s_ptr[_ix(a)]
        n_s = s_ptr[_ix(a + 1)] - s_lo
        _sort_row(s_lo, s_lo + n_s, ks, dkey, table, a_noise, score, perm_s, places)
        for t in range(n_s):
            s_newpos2[_ix(perm_s[_ix(s_lo + t)])] = t
        w = u_ptr[_ix(u)]
        w_first = -1  # the first advanced block: the others copy its supplemental side
        for k in range(a_ptr[_ix(a)], a_ptr[_ix(a + 1)]):
            k0a = perm_a[_ix(k)]
            b0 = a_ublk[_ix(k0a)]  # the block's entries as prepared: (p1, s) ..., (p1, -)
            p1 = u_p1[_ix(b0)]
            r1 = ar[_ix(2 * k0a + 1)]  # the applicant's new rank on p1's list
            w0 = w
            if p_adv[_ix(a_list[_ix(k0a)])]:
                for t in range(n_s):
                    newpos_u[_ix(b0 + perm_s[_ix(s_lo + t)] - s_lo)] = w0 + t
                    u_bstart2[_ix(w0 + t)] = w0
                    u_p1b[_ix(w0 + t)] = p1
                    u_r1b[_ix(w0 + t)] = r1
                if w_first < 0:
                    # Each supplemental program in the new order, and the applicant's
                    # new rank on its list: the same in every block.
                    for t in range(n_s):
                        i = perm_s[_ix(s_lo + t)]
                        u_p2b[_ix(w0 + t)] = u_p2[_ix(b0 + i - s_lo)]
                        u_r2b[_ix(w0 + t)] = s_rank2[_ix(i)]
                    w_first = w0
                else:
                    for t in range(n_s):
                        u_p2b[_ix(w0 + t)] = u_p2b[_ix(w_first + t)]
                        u_r2b[_ix(w0 + t)] = u_r2b[_ix(w_first + t)]
                w += n_s
            # The block's last entry: (p1, no PGY-1), or a non-advanced p1 alone.
            newpos_u[_ix(b0 + (n_s if p_adv[_ix(a_list[_ix(k0a)])] else 0))] = w
            u_bstart2[_ix(w)] = w0
            u_p1b[_ix(w)] = p1
            u_p2b[_ix(w)] = -1
            u_r1b[_ix(w)] = r1
            u_r2b[_ix(w)] = -1
            w += 1
    out = rp_core(
        quota,
        hoff,
        is_single,
        a_ptr,
        a_list2,
        a_prank2,
        p_ptr,
        p_list2,
        p_apos2,
        u_s1,
        u_s2,
        u_ptr,
        u_p1b,
        u_p2b,
        u_r1b,
        u_r2b,
        u_owner,
        pu_ptr,
        pu_k,
        newpos_u,
        u_bstart2,
        s_newpos2,
        sr_ptr,
        sr_u,
        sr_x,
        unit_order,
        slot_unit,
        n_slots,
        max_iter,
        cycle_bound,
        rw[0],
        rw[1],
        rw[2],
        rw[3],
        rw[4],
        rw[5],
        rw[6],
        rw[7],
        rw[8],
        stack,
        rw[10],
        rw[11],
        rw[12],
        rw[13],
        rw[14],
        rw[15],
        rw[16],
        rw[17],
        rw[18],
        rw[19],
    )
    return out[0]


@njit(cache=True)
def draw_work(mk, rank_proto):
    """Work arrays of :func:`_draw` for the market tuple ``mk`` (see :func:`mc_batch`),
    allocated once per thread. Ranks on programs' lists take ``rank_proto``'s type:
    int16 when every list is short enough. The transposes between applicants' and
    programs' lists read them at random, and at half the size they stay in cache far
    more often (about twice as fast on the national market). The program numbers on the
    draw's applicant and unit lists take it too (int16 only below 32,768 programs):
    about 5% less time per national draw."""
    a_ptr, a_list, p_ptr, p_list, u_ptr, u_p1 = mk[6], mk[7], mk[9], mk[10], mk[15], mk[16]
    s_ptr, s_list = mk[25], mk[26]
    n_p, n_a, n_u, n_s = len(p_list), len(a_list), len(u_p1), len(s_list)
    n_c = u_ptr[mk[23]]  # couples' entries: u_ptr[n_couples]
    longest = 1  # the longest list of any kind: _sort_row's scratch
    for ptr in (a_ptr, p_ptr, u_ptr, s_ptr):
        for i in range(len(ptr) - 1):
            longest = max(longest, ptr[i + 1] - ptr[i])
    rt = rank_proto.dtype
    return (
        np.empty(n_p, dtype=np.int32),  # perm_p
        np.empty(n_p, dtype=rt),  # new_rank
        np.empty(n_p, dtype=np.int32),  # p_list2
        np.empty(n_a, dtype=np.int32),  # perm_a
        np.empty(n_a, dtype=rt),  # a_list2
        np.empty(n_a, dtype=rt),  # a_prank2
        np.empty(n_p, dtype=rt),  # p_apos2
        np.empty(n_u, dtype=np.int32),  # perm_u
        np.empty(n_u, dtype=rt),  # u_p1b
        np.empty(n_u, dtype=rt),  # u_p2b
        np.empty(n_u, dtype=rt),  # u_r1b
        np.empty(n_u, dtype=rt),  # u_r2b
        np.empty(n_u, dtype=np.int32),  # newpos_u
        np.empty(n_u, dtype=np.int32),  # u_bstart2
        np.empty(n_s, dtype=np.int32),  # perm_s
        np.empty(n_s, dtype=np.int32),  # s_newpos2
        np.full(2 * n_a, -1, dtype=rt),  # ar: -1 stays where no program ranks the entry
        np.empty(n_s, dtype=rt),  # s_rank2
        np.empty(n_c, dtype=rt),  # c_r1
        np.empty(n_c, dtype=rt),  # c_r2
        np.empty(longest + RANK_LANES, dtype=np.float32),  # score
        np.empty(RANK_LANES, dtype=np.int32),  # places
    )


@njit(cache=True, parallel=True)
def mc_batch(seed, d0, n_draws, table, a_noise, p_noise, mk, rank_proto, tally):
    """Draws ``d0 .. d0 + n_draws - 1``, tallied; returns each draw's search status (entry
    i for draw d0 + i, whatever thread ran it).

    ``mk`` is the tuple (ka, kp, ku, quota, hoff, is_single, a_ptr, a_list, p_aent, p_ptr,
    p_list, p_prog, s_j, u_s1, u_s2, u_ptr, u_p1, u_p2, u_j1, u_j2, u_owner, pu_ptr,
    pu_k, n_couples, p_adv, s_ptr, s_list, ks, a_ublk, sr_ptr, sr_u, sr_x, unit_order,
    slot_unit, n_slots, max_iter, cycle_bound): the entry keys from :func:`entry_keys`
    and the prepared market (``solve._Prepared``). ``tally`` is (pgy1_slot, c_ptr,
    c_prog, full_at, counts, matched, filled, fill_sum), the last four with one row per
    worker (see :func:`_tally`); there are as many workers as rows. Only draws whose
    search converged are tallied: one that ended on a cycle or the iteration bound has
    no stable matching to count (its status says so).
    """
    hoff, a_ptr, u_s1, n_slots = mk[4], mk[6], mk[13], mk[34]
    pgy1_slot, c_ptr, c_prog, full_at, counts, matched, filled, fill_sum = tally
    status = np.empty(n_draws, dtype=np.int64)
    # One worker per thread, each with its own work arrays (fresh arrays per draw would
    # cost thousands of page faults each time) and its own tally rows, takes the next
    # draw not yet taken: a thread that runs slow draws, or loses its core for a
    # while, then holds up no one.
    n_w = max(1, min(counts.shape[0], n_draws))
    taken = np.zeros(1, dtype=np.int64)
    n_app = len(a_ptr) - 1
    for w in prange(n_w):
        dw = draw_work(mk, rank_proto)
        rw = rp_work(hoff, n_slots, n_app, len(u_s1))
        stack = rw[9]
        while True:
            i = _fetch_add(taken, 0, 1)
            if i >= n_draws:
                break
            dkey = draw_key(seed, d0 + i)
            st = _draw(dkey, table, a_noise, p_noise, mk, dw, rw, stack)
            while st == STATUS_STACK_FULL:
                stack = np.empty(2 * len(stack), dtype=np.int32)
                st = _draw(dkey, table, a_noise, p_noise, mk, dw, rw, stack)
            if st == STATUS_STABLE_SEARCH_DONE:
                _tally(rw[3], rw[2], full_at, pgy1_slot, c_ptr, c_prog, counts[w], matched[w],
                       filled[w], fill_sum[w])  # fmt: skip
            status[i] = st
    return status


@njit(cache=True, inline="always")
def _tally(mp, hsize, full_at, pgy1_slot, c_ptr, c_prog, counts, matched, filled, fill_sum):
    """Add one draw to a worker's tally, while its result is still in cache: per
    applicant, its match in either slot to ``counts`` (a CSR row of candidate programs
    per applicant) and a match in its primary slot to ``matched``; per program, a full
    draw (``full_at`` held) to ``filled`` and its fill to ``fill_sum``."""
    for a in range(len(c_ptr) - 1):
        for which in range(2):
            s = np.int64(a) if which == 0 else np.int64(pgy1_slot[a])
            if s < 0:
                continue
            p = mp[s]
            if p < 0:
                continue
            if which == 0:
                matched[a] += 1
            for e in range(c_ptr[a], c_ptr[a + 1]):
                if c_prog[e] == p:
                    counts[e] += 1
                    break
    for p in range(len(full_at)):
        fill_sum[p] += hsize[p]
        if hsize[p] == full_at[p]:
            filled[p] += 1


# --------------------------------------------------------------------------- singles fast path
@njit(cache=True)
def da_singles(quota, hoff, a_ptr, a_list, a_prank, order):
    """Applicant-proposing deferred acceptance for singles only (see :func:`_singles`),
    on a market whose applicant ``i`` is applicant ``order[i]`` of the caller's.

    Returns ``(program, rank, fill, proposals)`` in the caller's numbering, int64:
    each applicant's program (-1: unmatched) and 1-based place on its list (0). Done
    here rather than with NumPy, whose passes over the result took about a tenth of a
    national singles solve.
    """
    n_prog = len(quota)
    n_app = len(a_ptr) - 1
    hr = np.empty(hoff[n_prog], dtype=np.int32)
    hs = np.empty(hoff[n_prog], dtype=np.int32)
    hsize = np.zeros(n_prog, dtype=np.int32)
    match_prog = np.full(n_app, -1, dtype=np.int32)
    nxt = a_ptr[:-1].copy()
    every = np.ones(n_app, dtype=np.bool_)
    lane = np.empty(SINGLES_LANES, dtype=np.int32)
    _singles(quota, hoff, a_ptr, a_list, a_prank, every, hr, hs, hsize, match_prog, nxt, None, lane)
    program = np.empty(n_app, dtype=np.int64)
    rank = np.empty(n_app, dtype=np.int64)
    iters = np.int64(0)
    for a in range(n_app):
        iters += nxt[a] - a_ptr[a]
        p = match_prog[a]
        program[order[a]] = p
        rank[order[a]] = nxt[a] - a_ptr[a] if p >= 0 else 0
    return program, rank, hsize.astype(np.int64), iters
