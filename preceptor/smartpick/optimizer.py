"""Choose the applications and signals that maximise the value of where you match.

Pure NumPy. Each candidate ``j`` has a value ``v_j > 0`` (how much the applicant wants
it) and, at each value ``z`` of the applicant-level shock, a chance ``c_j(z) =
P(interview_j | z) q_j`` of an interview that turns into a match (see
:mod:`.matchmodel`). The applicant ranks the programs by value, so they match at ``j``
when ``j`` comes through and nothing ranked above it does::

    value(S) = E_z [ sum_{j in S} v_j c_j(z) prod_{i in S ranked above j} (1 - c_i(z)) ]

that is, the expected value of the best program that comes through. With every value
equal to one this is P(match), the objective of earlier versions (and the default when
the applicant states no preference). The value is monotone and submodular in the set of
applications (for each ``z`` it is the expected maximum of independent draws), so
greedy selection by marginal gain is near-optimal (Nemhauser, Wolsey and Fisher 1978)
and gives *nested* lists: the list for ``n + 1`` applications is the list for ``n`` plus
one program, which keeps the curves monotone. Signals are placed first, gold then
silver, each where it adds most value; the remaining budget is filled with unsignalled
applications; a local search (swap a program, swap two tiers) polishes the list at the
budget. The tests compare this with brute force on small catalogues.

A floor on P(match) is a constraint: :func:`optimise_with_floor` maximises the
Lagrangian ``value + λ·P(match)``, which is the same objective with every value raised
by ``λ`` (P(match) is the value with all values one, in any ranking), and searches the
smallest ``λ`` whose list meets the floor.

Examples
--------
>>> import numpy as np
>>> logits = np.array([[-2.0, -0.5, 0.0], [-1.0, 0.2, 0.6], [-3.0, -1.0, -0.6]])
>>> q = np.array([0.4, 0.3, 0.5])
>>> plan = optimise(logits, q, budget=2, gold=1, silver=0, shock_sd=0.0)
>>> plan.order.tolist(), plan.signal.tolist()
([0, 1], [2, 0])
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .interview import GOLD, NO_SIGNAL, SILVER, shock_nodes

__all__ = [
    "FloorPlan",
    "Plan",
    "brute_force",
    "brute_force_value",
    "evaluate",
    "evaluate_value",
    "match_by_level",
    "optimise",
    "optimise_with_floor",
]


@dataclass(frozen=True)
class Plan:
    """The greedy sequence: ``order[:n]`` is the best list of ``n`` applications.

    Attributes
    ----------
    order : ndarray of int
        Candidate indices in the order chosen (longer than ``budget`` when a curve
        beyond the budget was asked for).
    signal : ndarray of int8
        The tier placed on each chosen program (parallel to ``order``).
    curve : ndarray of float
        ``curve[n]`` = P(match) with the first ``n`` applications (``curve[0] = 0``).
    budget : int
    value_curve : ndarray of float
        ``value_curve[n]`` = the value (see the module) of the first ``n`` applications,
        with the values the plan was optimised for.
    """

    order: np.ndarray
    signal: np.ndarray
    curve: np.ndarray
    budget: int
    value_curve: np.ndarray = field(default_factory=lambda: np.zeros(1))

    @property
    def chosen(self) -> np.ndarray:
        return self.order[: self.budget]

    @property
    def p_match(self) -> float:
        return float(self.curve[min(self.budget, len(self.curve) - 1)])

    @property
    def value(self) -> float:
        return float(self.value_curve[min(self.budget, len(self.value_curve) - 1)])

    def diminishing_returns(self, *, window: int = 5, gain: float = 0.01) -> int:
        """The first ``n`` after which ``window`` more applications add less than ``gain``."""
        c = self.curve
        for n in range(1, len(c)):
            if c[min(n + window, len(c) - 1)] - c[n] < gain:
                return n
        return len(c) - 1


# ----------------------------------------------------------------- level algebra
#
# Values take few distinct levels (the applicant's four answers), so the state of a list
# is, per level l (highest value first) and shock node: P[l] = prod over the chosen
# programs of that level of (1 - c). From it: S[l] = survival through every level down to
# l, and T[l] = the value contributed by the levels below l. A candidate of level l adds
# c * (u_l * S[l] - T[l]): its own value if everything ranked above it (ties included)
# fails, minus what it takes from the programs ranked below it.


def _levels(value: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values, highest first, and each candidate's level index."""
    u, inv = np.unique(-value, return_inverse=True)
    return -u, inv.reshape(-1)


def _terms(P: np.ndarray, u: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """S, T and the per-level matched probability for P of shape (..., L, K)."""
    S = np.cumprod(P, axis=-2)
    before = np.concatenate([np.ones_like(S[..., :1, :]), S[..., :-1, :]], axis=-2)
    at = before * (1 - P)  # P(match at a program of level l), per node
    term = u[:, None] * at
    tail = np.cumsum(term[..., ::-1, :], axis=-2)[..., ::-1, :]
    T = tail - term  # the value of the levels strictly below l
    return S, T, at


def _gain_weights(P: np.ndarray, u: np.ndarray, w: np.ndarray) -> np.ndarray:
    """(L, K): a candidate of level l and contributions c gains c @ out[l]."""
    S, T, _ = _terms(P, u)
    return w[None, :] * (u[:, None] * S - T)


def _gain_weights_2d(P: np.ndarray, u: np.ndarray, w: np.ndarray) -> np.ndarray:
    """:func:`_gain_weights` for one list (P of shape (L, K)), with fewer operations:
    the greedy's inner step."""
    S = np.cumprod(P, axis=0)
    term = np.empty_like(P)
    term[0] = 1 - P[0]
    term[1:] = S[:-1] * (1 - P[1:])
    term *= u[:, None]
    cs = np.cumsum(term, axis=0)
    return w[None, :] * (u[:, None] * S - (cs[-1] - cs))


def _value(P: np.ndarray, u: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The list's value for P of shape (..., L, K)."""
    _, _, at = _terms(P, u)
    return (u[:, None] * at).sum(axis=-2) @ w


def _contributions(logits: np.ndarray, q: np.ndarray, nodes: np.ndarray) -> list[np.ndarray]:
    """contrib[t][j, k] = P(interview at j | z_k, tier t) * q_j."""
    return [q[:, None] / (1 + np.exp(-(logits[:, t][:, None] + nodes[None, :]))) for t in range(3)]


def _setup(
    logits: np.ndarray, q: np.ndarray, value: np.ndarray, shock_sd: float
) -> tuple[list[np.ndarray], np.ndarray, np.ndarray, np.ndarray, list[np.ndarray]]:
    nodes, w = shock_nodes(shock_sd)
    u, lev = _levels(value)
    groups = [np.flatnonzero(lev == ell) for ell in range(len(u))]
    return _contributions(logits, q, nodes), w, u, lev, groups


def optimise(
    logits: np.ndarray,
    q: np.ndarray,
    *,
    budget: int,
    gold: int = 0,
    silver: int = 0,
    shock_sd: float,
    horizon: int | None = None,
    value: np.ndarray | None = None,
    until: tuple[float, float] | None = None,
    polish: bool = True,
) -> Plan:
    """Greedy list and signal placement, then a local search at the budget.

    Parameters
    ----------
    logits : ndarray, shape (n, 3)
        Interview log-odds at each candidate with no signal, a silver and a gold signal.
    q : ndarray, shape (n,)
        Conversion of an interview into a match at each candidate.
    budget : int
        Number of applications the applicant can pay for (at least 1).
    gold, silver : int
        Signals available by tier.
    shock_sd : float
    horizon : int, optional
        Continue the greedy sequence up to this many applications for the curve
        (default: the budget).
    value : ndarray, shape (n,), optional
        How much the applicant wants each candidate (positive; default all one, which
        maximises P(match)).
    until : (float, float), optional
        Continue the sequence past the horizon while P(match) is below the first number
        and each step adds at least the second (for the list size that reaches a floor).
    polish : bool
        Run the local search at the budget (default); the search for the floor's
        multiplier skips it for speed and polishes only the list it keeps.
    """
    n = len(q)
    if budget < 1:
        raise ValueError("the budget must pay for at least one application")
    if logits.shape != (n, 3):
        raise ValueError(f"logits must have shape ({n}, 3), not {logits.shape}")
    v = np.ones(n) if value is None else np.asarray(value, dtype=float)
    if v.shape != (n,) or (v <= 0).any():
        raise ValueError("values must be positive, one per candidate")
    horizon = min(n, max(budget, horizon or budget))
    contrib, w, u, lev, groups = _setup(logits, q, v, shock_sd)
    # Signals can only be used within the budget; the curve beyond it adds plain ones.
    plan_tiers = [GOLD] * min(gold, budget) + [SILVER] * min(silver, max(0, budget - gold))
    order, tiers = _greedy(contrib, w, u, lev, groups, [], [], plan_tiers, horizon, until)
    at_budget = min(budget, len(order))
    best = (
        _improve(contrib, w, u, lev, groups, order[:at_budget], tiers[:at_budget])
        if polish
        else None
    )
    if best is not None:
        # The local search found a better list for the budget: the sequence from the
        # budget on continues from that list. The curves follow the final sequence, so
        # they stay monotone (each step only adds a program).
        order, tiers = _greedy(contrib, w, u, lev, groups, *best, [], horizon, until)
    curve, vcurve = _curves(contrib, w, u, lev, order, tiers)
    return Plan(
        order=np.array(order, dtype=np.int64),
        signal=np.array(tiers, dtype=np.int8),
        curve=curve,
        budget=at_budget,
        value_curve=vcurve,
    )


def _greedy(
    contrib: list[np.ndarray],
    w: np.ndarray,
    u: np.ndarray,
    lev: np.ndarray,
    groups: list[np.ndarray],
    order: list[int],
    tiers: list[int],
    plan_tiers: list[int],
    horizon: int,
    until: tuple[float, float] | None = None,
) -> tuple[list[int], list[int]]:
    """Extend ``order`` greedily up to ``horizon`` programs; with ``until = (p, gain)``,
    go on past the horizon while P(match) is below ``p`` and the last step added at
    least ``gain`` to it."""
    order, tiers = list(order), list(tiers)
    n = len(lev)
    P = np.ones((len(u), len(w)))
    for j, t in zip(order, tiers, strict=True):
        P[lev[j]] *= 1 - contrib[t][j]
    free = np.ones(n, dtype=bool)
    free[order] = False
    gains = np.empty(n)
    single = len(u) == 1
    # Each tier's contributions split by level once (fancy indexing copies).
    sub = [[contrib[t][idx] for idx in groups] for t in range(3)]
    taken = -np.inf
    p_now = 1 - float(np.prod(P, axis=0) @ w)
    last_gain = np.inf
    while len(order) < n:
        if len(order) >= horizon and (until is None or p_now >= until[0] or last_gain < until[1]):
            break
        step = len(order)
        tier = plan_tiers[step] if step < len(plan_tiers) else NO_SIGNAL
        if single:
            gains = contrib[tier] @ (w * P[0])
        else:
            g = _gain_weights_2d(P, u, w)
            for ell, idx in enumerate(groups):
                gains[idx] = sub[tier][ell] @ g[ell]
        gains[~free] = taken
        j = int(np.argmax(gains))
        if gains[j] < 0:
            break
        free[j] = False
        P[lev[j]] *= 1 - contrib[tier][j]
        p_next = 1 - float(np.prod(P, axis=0) @ w)
        last_gain, p_now = p_next - p_now, p_next
        order.append(j)
        tiers.append(tier)
    return order, tiers


def _curves(
    contrib: list[np.ndarray],
    w: np.ndarray,
    u: np.ndarray,
    lev: np.ndarray,
    order: list[int],
    tiers: list[int],
) -> tuple[np.ndarray, np.ndarray]:
    """P(match) and the value of each prefix of the sequence."""
    if not order:
        return np.zeros(1), np.zeros(1)
    c = np.array([contrib[t][j] for j, t in zip(order, tiers, strict=True)])  # (m, K)
    m, L = len(order), len(u)
    # P after each prefix, per level: cumulative products of (1 - c) within each level.
    logs = np.zeros((m, L, c.shape[1]))
    logs[np.arange(m), lev[order]] = np.log1p(-np.minimum(c, 1 - 1e-15))
    P = np.exp(np.cumsum(logs, axis=0))
    p = 1 - np.prod(P, axis=1) @ w
    val = _value(P, u, w)
    return np.concatenate([[0.0], p]), np.concatenate([[0.0], val])


# The local search's limits: moves per search, and the free programs it tries in a swap.
_MAX_MOVES = 30
_SHORTLIST = 40


def _improve(
    contrib: list[np.ndarray],
    w: np.ndarray,
    u: np.ndarray,
    lev: np.ndarray,
    groups: list[np.ndarray],
    order: list[int],
    tiers: list[int],
    floor: float | None = None,
) -> tuple[list[int], list[int]] | None:
    """Local search from the greedy list: swap a program for a better one, or swap two
    programs' signal tiers, while the value improves (and, with a ``floor``, P(match)
    stays at or above it). ``None`` when nothing improves."""
    order, tiers = list(order), list(tiers)
    if not order:
        return None
    n, L = len(lev), len(u)
    C3 = np.stack(contrib)  # (3, n, K)
    improved = False
    for _ in range(_MAX_MOVES):
        o, t_arr = np.array(order), np.array(tiers)
        c = C3[t_arr, o]  # (b, K)
        lv = lev[o]
        P = np.ones((L, len(w)))
        for k in range(len(order)):
            P[lv[k]] *= 1 - c[k]
        here = float(_value(P, u, w))
        b = len(order)
        # The list without each chosen program: (b, L, K).
        Pm = np.broadcast_to(P, (b, L, len(w))).copy()
        Pm[np.arange(b), lv] /= 1 - c
        without = _value(Pm, u, w)  # (b,)
        best_gain, best_move = 1e-12, None
        free = np.ones(n, dtype=bool)
        free[o] = False
        if free.any():
            gw = _gain_weights(Pm, u, w)  # (b, L, K)
            full = _gain_weights(P, u, w)  # (L, K)
            for t in set(tiers):
                pos = np.flatnonzero(t_arr == t)
                # A shortlist: the free programs that would add most to the whole list
                # (dropping one program only raises what the others can add).
                g = np.full(n, -np.inf)
                for ell, idx in enumerate(groups):
                    g[idx] = contrib[t][idx] @ full[ell]
                g[~free] = -np.inf
                short = np.argsort(-g)[: min(_SHORTLIST, int(free.sum()))]
                delta = np.einsum(
                    "jk,jpk->jp", contrib[t][short], gw[pos][:, lev[short]].transpose(1, 0, 2)
                )
                delta += (without[pos] - here)[None, :]
                if floor is not None:
                    surv = np.prod(Pm[pos], axis=1) * w[None, :]  # (b_t, K)
                    p_new = 1 - (1 - contrib[t][short]) @ surv.T
                    delta[p_new < floor - 1e-12] = -np.inf
                jj, kk = np.unravel_index(int(np.argmax(delta)), delta.shape)
                if delta[jj, kk] > best_gain:
                    best_gain = float(delta[jj, kk])
                    best_move = ("swap", int(pos[kk]), int(short[jj]))
        # Swap the tiers of two programs (pairs of different tiers, batched).
        a_idx, b_idx = np.nonzero(np.triu(np.not_equal.outer(t_arr, t_arr), 1))
        if len(a_idx):
            ca_new = C3[t_arr[b_idx], o[a_idx]]
            cb_new = C3[t_arr[a_idx], o[b_idx]]
            Pp = np.broadcast_to(P, (len(a_idx), L, len(w))).copy()
            r = np.arange(len(a_idx))
            Pp[r, lv[a_idx]] *= (1 - ca_new) / (1 - c[a_idx])
            Pp[r, lv[b_idx]] *= (1 - cb_new) / (1 - c[b_idx])
            delta2 = _value(Pp, u, w) - here
            if floor is not None:
                delta2[1 - np.prod(Pp, axis=1) @ w < floor - 1e-12] = -np.inf
            k = int(np.argmax(delta2))
            if delta2[k] > best_gain:
                best_gain, best_move = float(delta2[k]), ("tiers", int(a_idx[k]), int(b_idx[k]))
        if best_move is None:
            break
        improved = True
        if best_move[0] == "swap":
            order[best_move[1]] = best_move[2]
        else:
            a, b2 = best_move[1], best_move[2]
            tiers[a], tiers[b2] = tiers[b2], tiers[a]
    return (order, tiers) if improved else None


# ------------------------------------------------------------------------ floor


@dataclass(frozen=True)
class FloorPlan:
    """The list that maximises the value subject to P(match) >= floor.

    ``plan`` is the chosen sequence (its ``value_curve`` uses the applicant's values);
    ``safest`` the sequence that maximises P(match) alone, continued until it reaches the
    floor (or runs out of candidates or gains). ``floor_met`` says whether ``plan`` meets
    the floor; when no list within the budget can, ``plan`` is the safest list and
    ``floor_budget`` the number of applications that would reach the floor (``None``
    when no list of the candidates does).
    """

    plan: Plan
    safest: Plan
    floor: float
    floor_met: bool
    best_p: float
    floor_budget: int | None
    lam: float


# Steps of the search for the floor's multiplier (on a log scale from 1/16 to 16 times
# the largest value); the polish under the floor recovers what the coarse step leaves.
_BISECTIONS = 4


def optimise_with_floor(
    logits: np.ndarray,
    q: np.ndarray,
    *,
    budget: int,
    value: np.ndarray,
    floor: float,
    gold: int = 0,
    silver: int = 0,
    shock_sd: float,
    horizon: int | None = None,
    safest_horizon: int | None = None,
    min_gain: float = 0.0,
) -> FloorPlan:
    """Maximise the value within the budget subject to P(match) >= ``floor``.

    The safest sequence (all values equal) runs to ``safest_horizon`` (default: every
    candidate), and on while it is under the floor and each step adds at least
    ``min_gain``, for the list size that reaches the floor. ``λ`` is searched by bisection
    on a log scale between 1/16 and 16 times the largest value, where the list is
    nearly the safest one; the plan is the feasible list of highest value found.
    """
    value = np.asarray(value, dtype=float)
    n = len(q)
    kw: dict[str, Any] = {"gold": gold, "silver": silver, "shock_sd": shock_sd}
    # Value None: P(match) alone, continued until it reaches the floor or stops gaining
    # (the greedy sequence only: its curve gives the list size that reaches the floor).
    safest = optimise(
        logits, q, budget=budget, horizon=safest_horizon or n, until=(floor, min_gain),
        polish=False, **kw,
    )  # fmt: skip
    floor_budget = next(
        (k for k, p in enumerate(safest.curve) if k > 0 and p >= floor - 1e-12), None
    )
    top = float(value.max())

    def run(lam: float, h: int | None, polish: bool = True) -> Plan:
        return optimise(logits, q, budget=budget, horizon=h, value=value + lam, polish=polish, **kw)

    def scored(plan: Plan) -> float:
        return evaluate_value(
            logits, q, plan.chosen.tolist(), plan.signal[: plan.budget].tolist(), value,
            shock_sd=shock_sd,
        )  # fmt: skip

    contrib, w, u, lev, groups = _setup(logits, q, value, shock_sd)
    h = min(n, max(budget, horizon or budget))

    def finish(plan: Plan) -> Plan:
        """The list at the budget, continued to the horizon by the applicant's values."""
        order, tiers = plan.order.tolist(), plan.signal.tolist()
        order, tiers = _greedy(contrib, w, u, lev, groups, order, tiers, [], h)
        curve, vcurve = _curves(contrib, w, u, lev, order, tiers)
        return Plan(
            order=np.array(order, dtype=np.int64),
            signal=np.array(tiers, dtype=np.int8),
            curve=curve,
            budget=plan.budget,
            value_curve=vcurve,
        )

    plan0 = run(0.0, budget)
    if plan0.p_match >= floor - 1e-12:
        best_p = max(safest.p_match, plan0.p_match)
        return FloorPlan(finish(plan0), safest, floor, True, best_p, floor_budget, 0.0)
    if safest.p_match < floor - 1e-12:
        # Perhaps out of reach: the safest list polished, ranked by value.
        plan = run(1e6 * top, budget)
        best_p = max(safest.p_match, plan.p_match)
        if plan.p_match < floor - 1e-12:
            return FloorPlan(finish(plan), safest, floor, False, best_p, floor_budget, float("inf"))
    best_p = max(safest.p_match, plan0.p_match)
    top = float(value.max())
    lo, hi = np.log(top / 16), np.log(16 * top)
    feasible: tuple[float, float] | None = None  # (value, lambda)
    for _ in range(_BISECTIONS):
        mid = (lo + hi) / 2
        p = run(float(np.exp(mid)), budget, polish=False)
        if p.p_match >= floor - 1e-12:
            hi = mid
            score = scored(p)
            if feasible is None or score > feasible[0]:
                feasible = (score, float(np.exp(mid)))
        else:
            lo = mid
    lam = 1e6 * top if feasible is None else feasible[1]  # none: the safest list
    plan = run(lam, budget, polish=feasible is None)
    if plan.p_match < floor - 1e-12:  # the greedy can land elsewhere: stay safe
        lam = 1e6 * top
        plan = run(lam, budget)
    best_p = max(best_p, plan.p_match)
    # Polish with the applicant's own values, keeping P(match) at or above the floor.
    order, tiers = plan.order.tolist(), plan.signal.tolist()
    better = _improve(contrib, w, u, lev, groups, order, tiers, floor=floor)
    if better is not None:
        plan = replace(plan, order=np.array(better[0]), signal=np.array(better[1]))
    plan = finish(plan)
    return FloorPlan(plan, safest, floor, plan.p_match >= floor - 1e-12, best_p, floor_budget, lam)


# --------------------------------------------------------------------- evaluate


def match_by_level(
    logits: np.ndarray,
    q: np.ndarray,
    chosen: list[int],
    tiers: list[int],
    value: np.ndarray,
    *,
    shock_sd: float,
) -> dict[float, float]:
    """For one list: P(match at a program of each value), the programs ranked by value
    (the shares add up to P(match))."""
    contrib, w, u, lev, _ = _setup(logits, q, value, shock_sd)
    P = np.ones((len(u), len(w)))
    for j, t in zip(chosen, tiers, strict=True):
        P[lev[j]] *= 1 - contrib[t][j]
    _, _, at = _terms(P, u)
    return {float(x): float(a @ w) for x, a in zip(u, at, strict=True)}


def evaluate(
    logits: np.ndarray, q: np.ndarray, chosen: list[int], tiers: list[int], *, shock_sd: float
) -> float:
    """P(match) of one list with its signal tiers."""
    nodes, w = shock_nodes(shock_sd)
    survive = np.ones(len(nodes))
    for j, t in zip(chosen, tiers, strict=True):
        survive = survive * (1 - q[j] / (1 + np.exp(-(logits[j, t] + nodes))))
    return float(1 - w @ survive)


def evaluate_value(
    logits: np.ndarray,
    q: np.ndarray,
    chosen: list[int],
    tiers: list[int],
    value: np.ndarray,
    *,
    shock_sd: float,
) -> float:
    """The value of one list: the programs ranked by value, one at a time (the
    definition, written out without the level algebra, for the tests)."""
    nodes, w = shock_nodes(shock_sd)
    ranked = sorted(zip(chosen, tiers, strict=True), key=lambda jt: -value[jt[0]])
    survive = np.ones(len(nodes))
    total = np.zeros(len(nodes))
    for j, t in ranked:
        c = q[j] / (1 + np.exp(-(logits[j, t] + nodes)))
        total += value[j] * c * survive
        survive = survive * (1 - c)
    return float(w @ total)


def _all_lists(
    n: int, budget: int, gold: int, silver: int
) -> Iterator[tuple[list[int], list[int]]]:
    from itertools import combinations, product

    for size in range(1, min(budget, n) + 1):
        for chosen in combinations(range(n), size):
            for tiers in product((NO_SIGNAL, SILVER, GOLD), repeat=size):
                if tiers.count(GOLD) > gold or tiers.count(SILVER) > silver:
                    continue
                yield list(chosen), list(tiers)


def brute_force(
    logits: np.ndarray, q: np.ndarray, *, budget: int, gold: int, silver: int, shock_sd: float
) -> float:
    """The best P(match) over every list and signal placement (tiny catalogues only)."""
    return max(
        evaluate(logits, q, c, t, shock_sd=shock_sd)
        for c, t in _all_lists(len(q), budget, gold, silver)
    )


def brute_force_value(
    logits: np.ndarray,
    q: np.ndarray,
    value: np.ndarray,
    *,
    budget: int,
    gold: int,
    silver: int,
    shock_sd: float,
    floor: float = 0.0,
) -> tuple[float, float]:
    """The best value over every list meeting the floor, and the best P(match) of any
    list (tiny catalogues only). The value is ``-inf`` when no list meets the floor."""
    best_v, best_p = -np.inf, 0.0
    for c, t in _all_lists(len(q), budget, gold, silver):
        p = evaluate(logits, q, c, t, shock_sd=shock_sd)
        best_p = max(best_p, p)
        if p >= floor - 1e-12:
            best_v = max(best_v, evaluate_value(logits, q, c, t, value, shock_sd=shock_sd))
    return float(best_v), best_p
