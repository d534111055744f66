# ruff: noqa: E501, S102 -- the kernel edits read best one per line; exec compiles them
"""Where a Monte Carlo draw spends its time, from the processor's cycle counter.

Usage: python bench/match_profile.py [--draws 40]

This machine has no hardware performance counters, and profilers do not see numba's
compiled code, so this script compiles an instrumented copy of the draw kernel: it takes
the source of ``_kernels._draw`` and ``_kernels.rp_core``, inserts reads of LLVM's
``readcyclecounter`` at the phase boundaries (by text substitution; it stops with an
error if a marker is missing, as after a rewrite of those functions) and runs
``--draws`` national draws on one thread. It prints milliseconds per draw by phase, at
the counter's rate measured against the wall clock. Figures of one run only: compare
two revisions with ``bench/match_ab.py`` instead.
"""

from __future__ import annotations

import argparse
import inspect
import sys
import time
from pathlib import Path
from typing import Any

import llvmlite.ir as llvm_ir
import numba
import numpy as np
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from preceptor.match import _kernels as K


def _rdtsc_intrinsic(typingctx: Any) -> Any:
    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        fnty = llvm_ir.FunctionType(llvm_ir.IntType(64), [])
        fn = cgutils.get_or_insert_function(builder.module, fnty, "llvm.readcyclecounter")
        return builder.call(fn, [])

    return types.int64(), codegen


rdtsc = intrinsic(_rdtsc_intrinsic)

DRAW_PHASES = (
    "applicants' lists: re-sort and write",
    "programs' lists: re-sort, transpose",
    "applicant entries' ranks",
    "couples' entries",
    "supplemental blocks",
)
SEARCH_PHASES = (
    "search: set-up",
    "search: singles' deferred acceptance",
    "search: vacancy offers",
    "search: singles' proposals",
    "search: units' proposals",
    "search: stability scan",
)


def _patch(src: str, edits: list[tuple[str, str]]) -> str:
    src = src.replace("@njit(cache=True)\n", "").replace("@njit(cache=True, **NO_REFCOUNT)\n", "")
    for old, new in edits:
        if src.count(old) != 1:
            raise SystemExit(f"marker not found once in the kernel source: {old.strip()!r}")
        src = src.replace(old, new)
    return src


def instrumented() -> Any:
    """The instrumented ``_draw``; ``T[0:5]`` draw phases, ``T[8:14]`` search phases."""
    ns = dict(vars(K))
    ns["rdtsc"] = rdtsc
    core = _patch(
        inspect.getsource(K.rp_core),
        [
            ("    evicted,\n):", "    evicted,\n    T,\n):\n    t0 = rdtsc()"),
            ("    # The stack is empty until the units enter", "    T[8] += rdtsc() - t0\n    t0 = rdtsc()\n    # The stack is empty until the units enter"),
            ("    next_unit = 0\n", "    next_unit = 0\n    T[9] += rdtsc() - t0\n    br = 13\n    tprev = rdtsc()\n"),
            ("    while True:\n        if sp > len(stack):", "    while True:\n        tn = rdtsc()\n        T[br] += tn - tprev\n        tprev = tn\n        if sp > len(stack):"),
            ("            cnt[0] -= 1\n            p = vac[cnt[0]]", "            br = 10\n            cnt[0] -= 1\n            p = vac[cnt[0]]"),
            ("            if agent >= 0:\n                a = agent\n", "            if agent >= 0:\n                br = 11\n                a = agent\n"),
            ("            else:\n                u = -agent - 1\n", "            else:\n                br = 12\n                u = -agent - 1\n"),
            ("            rounds += 1\n", "            br = 13\n            rounds += 1\n"),
            ("    if status != STATUS_CYCLE:\n        cycle_from = ev_n", "    T[br] += rdtsc() - tprev\n    if status != STATUS_CYCLE:\n        cycle_from = ev_n"),
        ],
    )  # fmt: skip
    exec(core, ns)
    ns["rp_core_t"] = njit(**K.NO_REFCOUNT)(ns["rp_core"])
    draw = _patch(
        inspect.getsource(K._draw),
        [
            ("mk, dw, rw, stack):", "mk, dw, rw, stack, T):\n    t0 = rdtsc()"),
            ("    # Programs' lists: new ranks", "    T[0] += rdtsc() - t0\n    t0 = rdtsc()\n    # Programs' lists: new ranks"),
            ("    # Each applicant entry's rank on", "    T[1] += rdtsc() - t0\n    t0 = rdtsc()\n    # Each applicant entry's rank on"),
            ("    # Couples' and supplemental entries' new ranks", "    T[2] += rdtsc() - t0\n    t0 = rdtsc()\n    # Couples' and supplemental entries' new ranks"),
            ("    # A supplemental applicant's joint order", "    T[3] += rdtsc() - t0\n    t0 = rdtsc()\n    # A supplemental applicant's joint order"),
            ("    out = rp_core(", "    T[4] += rdtsc() - t0\n    out = rp_core_t("),
            ("        rw[19],\n    )", "        rw[19],\n        T,\n    )"),
        ],
    )  # fmt: skip
    exec(draw, ns)
    return njit(**K.NO_REFCOUNT)(ns["_draw"])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=40)
    args = ap.parse_args()
    from preceptor.match import simulate as S
    from preceptor.match.solve import _local_order, _prepare, _unit_order
    from preceptor.match.synthetic import national_market

    draw = instrumented()

    @njit
    def run(n: int, mk: Any, rank_proto: Any, T: Any) -> None:
        dw = K.draw_work(mk, rank_proto)
        rw = K.rp_work(mk[4], mk[34], len(mk[6]) - 1, len(mk[13]))
        for d in range(n):
            st = draw(K.draw_key(np.uint64(0), d), S._TABLE, 1.0, 1.0, mk, dw, rw, rw[9], T)
            if st == K.STATUS_STACK_FULL:
                raise RuntimeError("the draw ran out of stack: profile with a longer one")

    numba.set_num_threads(1)
    m = national_market(seed=0)
    work, app_order, _ = _local_order(m)
    prep = _prepare(work)
    orig = app_order.astype(np.int32)
    keys = K.entry_keys(
        np.uint64(0), orig[prep.a_app], prep.a_list, orig[prep.p_list], prep.p_prog,
        orig[prep.u_s1], prep.u_owner, prep.u_key, orig[prep.s_app], prep.s_list,
    )  # fmt: skip
    max_iter = 50 * (len(work.a_list) + len(prep.u_p1) + 1_000)
    mk = S._market_tuple(prep, keys, _unit_order(prep, 0), max_iter, 50)
    T = np.zeros(16, dtype=np.int64)
    run(1, mk, prep.rank_proto, T)  # compile
    T[:] = 0
    t = time.perf_counter()
    run(args.draws, mk, prep.rank_proto, T)
    wall = time.perf_counter() - t
    rate = T.sum() / wall  # counter ticks per second
    print(f"national market, {args.draws} draws, 1 thread: {1e3 * wall / args.draws:.1f} ms/draw")
    for name, ticks in zip(DRAW_PHASES + SEARCH_PHASES, [*T[:5], *T[8:14]], strict=True):
        print(f"  {name:<40} {1e3 * ticks / rate / args.draws:6.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
