"""An independent stability checker, written from the definitions rather than the solver.

A matching is *stable* when it is feasible (quotas respected, every match on both lists,
couples placed as a pair from their joint list) and nothing blocks it:

- a single applicant and a program block when the applicant ranks the program above
  their match and the program ranks them and has a free position or holds someone it
  ranks lower;
- a couple and a pair ``(p1, p2)`` on its joint list above its current pair block when,
  the couple having left its current positions, each named program would take its
  partner: ``p`` takes the partners going to it when fewer than ``quota(p) - k + 1``
  of the others it holds rank above the lower-ranked of those ``k`` partners;
- an applicant with a supplemental list is treated the same way as a couple of its
  PGY-2 and PGY-1 selves, whose joint list is the NRMP order: for each program on the
  primary list, each supplemental program paired with it if it is advanced, then the
  program alone.

Singles are checked with vectorised NumPy in O(ranks); couples and supplemental lists
with a loop over their pairs.

References
----------
.. [1] A. E. Roth, "The evolution of the labor market for medical interns and
   residents: a case study in game theory", Journal of Political Economy 92 (1984).
.. [2] B. Klaus and F. Klijn, "Stable matchings and preferences of couples", Journal of
   Economic Theory 121 (2005) 75-106.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ._checks import MatchInputError
from .market import _ADVANCED, NO_MATCH, Market

__all__ = ["Certificate", "check_stability"]


@dataclass(frozen=True)
class Certificate:
    """The checker's verdict.

    Attributes
    ----------
    stable : bool
    reason : {"stable", "blocking", "infeasible"}
    applicants, programs : tuple of str
        The blocking coalition: one applicant and one program, or a couple (or a
        supplemental applicant twice) and the program pair (``"-"`` for no match).
    message : str
        One sentence a person can check by hand.
    """

    stable: bool
    reason: str
    applicants: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    message: str = ""


def _stable() -> Certificate:
    return Certificate(True, "stable", message="no blocking pair; feasible")


def _indices(name: str, values: npt.ArrayLike) -> np.ndarray:
    """``values`` as int64 program indices, refusing floats, NaN and numbers past int64
    (NumPy would truncate or wrap them)."""
    x = np.asarray(values)
    if x.dtype == object or x.dtype.kind not in "iu":
        raise MatchInputError(f"{name} must hold whole program indices, not {x.dtype} values")
    if x.dtype.kind == "u" and x.size and int(x.max()) > 2**62:
        raise MatchInputError(f"{name}: program index out of range")
    return x.astype(np.int64)


def check_stability(
    market: Market,
    program: npt.ArrayLike,
    *,
    pgy1: npt.ArrayLike | None = None,
) -> Certificate:
    """Certify a matching stable, or return a blocking pair / infeasibility.

    Parameters
    ----------
    market : Market
    program : array of int, shape (n_applicants,)
        Program index per applicant (-1 unmatched).
    pgy1 : array of int, optional
        PGY-1 program matched through a supplemental list, -1 otherwise.

    Returns
    -------
    Certificate

    Examples
    --------
    >>> from preceptor.match import Market
    >>> m = Market.build(quotas={"h": 1}, applicant_rankings={"a": ["h"], "b": ["h"]},
    ...                  program_rankings={"h": ["b", "a"]})
    >>> check_stability(m, [0, -1]).message
    "applicant 'b' and program 'h' block: 'h' ranks 'b' 1 and holds someone ranked lower"
    >>> check_stability(m, [-1, 0]).stable
    True
    """
    n_app, n_prog = market.n_applicants, market.n_programs
    prog = _indices("program", program)
    supp_prog = np.full(n_app, -1, dtype=np.int64) if pgy1 is None else _indices("pgy1", pgy1)
    if prog.shape != (n_app,) or supp_prog.shape != (n_app,):
        raise ValueError(f"expected arrays of shape ({n_app},)")
    if ((prog < -1) | (prog >= n_prog) | (supp_prog < -1) | (supp_prog >= n_prog)).any():
        raise ValueError("program index out of range")
    aid, pid = market.applicant_ids, market.program_ids

    def bad(msg: str) -> Certificate:
        return Certificate(False, "infeasible", message=msg)

    # ---------------------------------------------------------------- feasibility
    count = np.bincount(prog[prog >= 0], minlength=n_prog) + np.bincount(
        supp_prog[supp_prog >= 0], minlength=n_prog
    )
    over = np.flatnonzero(count > market.quota)
    if len(over):
        p = over[0]
        return bad(f"program {pid[p]!r} holds {count[p]} above its quota {market.quota[p]}")

    has_supp = np.diff(market.s_ptr) > 0
    in_couple = np.zeros(n_app, dtype=bool)
    in_couple[market.couple_members.ravel()] = True
    single = ~in_couple & ~has_supp
    stray = np.flatnonzero((supp_prog >= 0) & ~has_supp)
    if len(stray):
        return bad(f"applicant {aid[stray[0]]!r} has a PGY-1 match but no supplemental list")

    a_of = np.repeat(np.arange(n_app), np.diff(market.a_ptr))
    pos_in_list = np.arange(len(market.a_list)) - market.a_ptr[a_of]
    # Position of each applicant's match on their own list; len(list) when unmatched.
    cur = np.diff(market.a_ptr).copy()
    hit = market.a_list == prog[a_of]
    cur[a_of[hit]] = pos_in_list[hit]
    for a in np.flatnonzero((prog >= 0) & ~in_couple & (cur == np.diff(market.a_ptr))).tolist():
        return bad(f"applicant {aid[a]!r} is matched to {pid[prog[a]]!r}, not on their list")

    # Who each program holds and at what rank (its own list), for counting.
    slot_prog = np.concatenate([prog, supp_prog])
    slot_app = np.concatenate([np.arange(n_app), np.arange(n_app)])
    held = slot_prog >= 0
    h_prog, h_app = slot_prog[held], slot_app[held]
    h_rank = market.rank_of(h_prog, h_app)
    unranked = np.flatnonzero(h_rank < 0)
    if len(unranked):
        i = unranked[0]
        return bad(f"program {pid[h_prog[i]]!r} holds {aid[h_app[i]]!r}, whom it does not rank")
    order = np.lexsort((h_rank, h_prog))
    held_rank = h_rank[order]
    held_ptr = np.searchsorted(h_prog[order], np.arange(n_prog + 1))
    worst = np.full(n_prog, -1, dtype=np.int64)
    nonempty = np.diff(held_ptr) > 0
    worst[nonempty] = held_rank[held_ptr[1:][nonempty] - 1]

    def better(p: int, r: int) -> int:
        lo, hi = held_ptr[p], held_ptr[p + 1]
        return int(np.searchsorted(held_rank[lo:hi], r))

    # ---------------------------------------------------------------- singles
    entry_single = single[a_of] & (pos_in_list < cur[a_of])
    ks = np.flatnonzero(entry_single)
    r = market.rank_of(market.a_list[ks], a_of[ks])
    p = market.a_list[ks]
    blocks = (r >= 0) & ((count[p] < market.quota[p]) | (r < worst[p]))
    if blocks.any():
        i = int(np.argmax(blocks))
        a, q = int(a_of[ks[i]]), int(p[i])
        why = "has a free position" if count[q] < market.quota[q] else "holds someone ranked lower"
        return Certificate(
            False,
            "blocking",
            (aid[a],),
            (pid[q],),
            f"applicant {aid[a]!r} and program {pid[q]!r} block: {pid[q]!r} ranks "
            f"{aid[a]!r} {r[i] + 1} and {why}",
        )

    # ---------------------------------------------------------------- units
    def admits(members: list[tuple[int, int]], current: list[int]) -> bool:
        """Would each program take the members going to it, the unit having left?

        ``members`` are (program, applicant) with program -1 for no match; ``current``
        lists the unit's present (program, applicant) holdings as flat pairs.
        """
        going: dict[int, list[int]] = {}
        for q, a in members:
            if q < 0:
                continue
            rk = int(market.rank_of([q], [a])[0])
            if rk < 0:
                return False
            going.setdefault(q, []).append(rk)
        for q, ranks in going.items():
            rmax = max(ranks)
            others = better(q, rmax)
            for i in range(0, len(current), 2):
                if current[i] == q and int(market.rank_of([q], [current[i + 1]])[0]) < rmax:
                    others -= 1
            if others + len(ranks) > market.quota[q]:
                return False
        return True

    def name(q: int) -> str:
        return NO_MATCH if q < 0 else pid[q]

    def unit_blocks(label: tuple[str, str], who: tuple[str, ...], q1: int, q2: int) -> Certificate:
        return Certificate(
            False,
            "blocking",
            who,
            (name(q1), name(q2)),
            f"{label[0]} and programs ({name(q1)!r}, {name(q2)!r}) block: {label[1]}",
        )

    for c in range(market.n_couples):
        x, y = (int(v) for v in market.couple_members[c])
        pairs = market.c_pairs[market.c_ptr[c] : market.c_ptr[c + 1]]
        now = (int(prog[x]), int(prog[y]))
        matches = np.flatnonzero((pairs[:, 0] == now[0]) & (pairs[:, 1] == now[1]))
        if now == (-1, -1):
            k_now = len(pairs)
        elif len(matches):
            k_now = int(matches[0])
        else:
            return bad(
                f"couple ({aid[x]!r}, {aid[y]!r}) is matched to ({name(now[0])!r}, "
                f"{name(now[1])!r}), not a pair on their list"
            )
        current = [now[0], x, now[1], y]
        for k in range(k_now):
            q1, q2 = int(pairs[k, 0]), int(pairs[k, 1])
            if admits([(q1, x), (q2, y)], current):
                return unit_blocks(
                    (f"couple ({aid[x]!r}, {aid[y]!r})", f"their choice {k + 1} is open"),
                    (aid[x], aid[y]),
                    q1,
                    q2,
                )

    for a in np.flatnonzero(has_supp & ~in_couple).tolist():
        rol = market.a_list[market.a_ptr[a] : market.a_ptr[a + 1]].tolist()
        supp = market.s_list[market.s_ptr[a] : market.s_ptr[a + 1]].tolist()
        p_now, s_now = int(prog[a]), int(supp_prog[a])
        if s_now >= 0 and (p_now < 0 or market.track[p_now] != _ADVANCED or s_now not in supp):
            return bad(f"applicant {aid[a]!r} has a PGY-1 match outside their supplemental list")
        k_now = rol.index(p_now) if p_now >= 0 else len(rol)
        current = [p_now, a, s_now, a]
        for k, q in enumerate(rol[: k_now + 1]):
            if k == k_now and (q != p_now or market.track[q] != _ADVANCED):
                break
            if market.track[q] == _ADVANCED:
                options = [*supp, -1]
                if k == k_now:
                    options = options[: supp.index(s_now) if s_now >= 0 else len(supp)]
            else:
                options = [-1]
            for s in options:
                if admits([(q, a), (s, a)], current):
                    return unit_blocks(
                        (f"applicant {aid[a]!r}", "a better primary/supplemental pair is open"),
                        (aid[a], aid[a]),
                        q,
                        s,
                    )
    return _stable()
