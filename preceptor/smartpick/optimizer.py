"""Choose the applications and the signals that maximise P(match) within a budget.

Pure NumPy. The objective (see :mod:`.matchmodel`) is, for each value ``z`` of the
applicant-level shock, ``1 - prod_j (1 - p_j(z) q_j)``: monotone and submodular in the
set of applications, so greedy selection by marginal gain is near-optimal (Nemhauser,
Wolsey and Fisher 1978) and gives *nested* lists — the list for ``n + 1`` applications
is the list for ``n`` plus one program — which is what makes the P(match) curve
monotone. Signals are placed first, gold then silver, each on the program where it
adds most; the remaining budget is filled with unsignalled applications. The tests
compare this with brute force on small catalogues.

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

from dataclasses import dataclass

import numpy as np

from .interview import GOLD, NO_SIGNAL, SILVER, shock_nodes

__all__ = ["Plan", "brute_force", "optimise"]


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
    """

    order: np.ndarray
    signal: np.ndarray
    curve: np.ndarray
    budget: int

    @property
    def chosen(self) -> np.ndarray:
        return self.order[: self.budget]

    @property
    def p_match(self) -> float:
        return float(self.curve[min(self.budget, len(self.curve) - 1)])

    def diminishing_returns(self, *, window: int = 5, gain: float = 0.01) -> int:
        """The first ``n`` after which ``window`` more applications add less than ``gain``."""
        c = self.curve
        for n in range(1, len(c)):
            if c[min(n + window, len(c) - 1)] - c[n] < gain:
                return n
        return len(c) - 1


def optimise(
    logits: np.ndarray,
    q: np.ndarray,
    *,
    budget: int,
    gold: int = 0,
    silver: int = 0,
    shock_sd: float,
    horizon: int | None = None,
) -> Plan:
    """Greedy list and signal placement.

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
    """
    n = len(q)
    if budget < 1:
        raise ValueError("the budget must pay for at least one application")
    if logits.shape != (n, 3):
        raise ValueError(f"logits must have shape ({n}, 3), not {logits.shape}")
    horizon = min(n, max(budget, horizon or budget))
    nodes, w = shock_nodes(shock_sd)
    # contrib[t][j, k] = P(interview at j | z_k, tier t) * q_j
    contrib = [
        q[:, None] / (1 + np.exp(-(logits[:, t][:, None] + nodes[None, :]))) for t in range(3)
    ]
    survive = np.ones(len(nodes))
    free = np.ones(n, dtype=bool)
    order: list[int] = []
    tiers: list[int] = []
    curve = [0.0]
    # Signals can only be used within the budget; the curve beyond it adds plain ones.
    plan_tiers = [GOLD] * min(gold, budget) + [SILVER] * min(silver, max(0, budget - gold))
    for step in range(horizon):
        tier = plan_tiers[step] if step < len(plan_tiers) else NO_SIGNAL
        gains = contrib[tier] @ (w * survive)
        gains[~free] = -1.0
        j = int(np.argmax(gains))
        if gains[j] < 0:
            break
        free[j] = False
        survive = survive * (1 - contrib[tier][j])
        order.append(j)
        tiers.append(tier)
        curve.append(float(1 - w @ survive))
    greedy_at_budget = min(budget, len(order))
    best = _improve(contrib, w, order[:greedy_at_budget], tiers[:greedy_at_budget])
    if best is not None:
        # Local search found a better list for the budget: the curve from the budget on
        # continues from that list, so it stays monotone (each step multiplies survival
        # by a factor <= 1, and the improved list beats the greedy prefix).
        order, tiers = best
        free = np.ones(n, dtype=bool)
        free[order] = False
        survive = np.ones(len(nodes))
        for j, t in zip(order, tiers, strict=True):
            survive = survive * (1 - contrib[t][j])
        curve = [*curve[:greedy_at_budget], float(1 - w @ survive)]
        for _ in range(greedy_at_budget, horizon):
            gains = contrib[NO_SIGNAL] @ (w * survive)
            gains[~free] = -1.0
            j = int(np.argmax(gains))
            if gains[j] < 0:
                break
            free[j] = False
            survive = survive * (1 - contrib[NO_SIGNAL][j])
            order.append(j)
            tiers.append(NO_SIGNAL)
            curve.append(float(1 - w @ survive))
    return Plan(
        order=np.array(order, dtype=np.int64),
        signal=np.array(tiers, dtype=np.int8),
        curve=np.array(curve),
        budget=greedy_at_budget,
    )


def _improve(
    contrib: list[np.ndarray], w: np.ndarray, order: list[int], tiers: list[int]
) -> tuple[list[int], list[int]] | None:
    """Local search from the greedy list: swap a program for a better one, or swap two
    programs' signal tiers, while P(match) improves. ``None`` when nothing improves."""
    order, tiers = list(order), list(tiers)
    n = contrib[0].shape[0]
    improved = False
    for _ in range(100):
        c = np.array([contrib[t][j] for j, t in zip(order, tiers, strict=True)])
        survive = np.prod(1 - c, axis=0)
        minus = survive[None, :] / (1 - c)  # survival without each chosen program
        best_gain, best_move = 1e-12, None
        free = np.ones(n, dtype=bool)
        free[order] = False
        if free.any():
            for t in set(tiers):
                pos = [i for i, ti in enumerate(tiers) if ti == t]
                weights = w[None, :] * minus[pos]  # (b_t, K)
                cand = contrib[t] @ weights.T  # (n, b_t)
                cand[~free] = -1.0
                here = (c[pos] * weights).sum(axis=1)
                delta = cand - here[None, :]
                j, k = np.unravel_index(int(np.argmax(delta)), delta.shape)
                if delta[j, k] > best_gain:
                    best_gain, best_move = float(delta[j, k]), ("swap", pos[k], int(j))
        for a in range(len(order)):
            for b in range(a + 1, len(order)):
                if tiers[a] == tiers[b]:
                    continue
                ca, cb = contrib[tiers[b]][order[a]], contrib[tiers[a]][order[b]]
                rest = survive / ((1 - c[a]) * (1 - c[b]))
                delta = float(w @ (survive - rest * (1 - ca) * (1 - cb)))
                if delta > best_gain:
                    best_gain, best_move = delta, ("tiers", a, b)
        if best_move is None:
            break
        improved = True
        if best_move[0] == "swap":
            order[best_move[1]] = best_move[2]
        else:
            a, b = best_move[1], best_move[2]
            tiers[a], tiers[b] = tiers[b], tiers[a]
    return (order, tiers) if improved else None


def evaluate(
    logits: np.ndarray, q: np.ndarray, chosen: list[int], tiers: list[int], *, shock_sd: float
) -> float:
    """P(match) of one list with its signal tiers."""
    nodes, w = shock_nodes(shock_sd)
    survive = np.ones(len(nodes))
    for j, t in zip(chosen, tiers, strict=True):
        survive = survive * (1 - q[j] / (1 + np.exp(-(logits[j, t] + nodes))))
    return float(1 - w @ survive)


def brute_force(
    logits: np.ndarray, q: np.ndarray, *, budget: int, gold: int, silver: int, shock_sd: float
) -> float:
    """The best P(match) over every list and signal placement (tiny catalogues only)."""
    from itertools import combinations, product

    n = len(q)
    best = 0.0
    for size in range(1, min(budget, n) + 1):
        for chosen in combinations(range(n), size):
            for tiers in product((NO_SIGNAL, SILVER, GOLD), repeat=size):
                if tiers.count(GOLD) > gold or tiers.count(SILVER) > silver:
                    continue
                best = max(best, evaluate(logits, q, list(chosen), list(tiers), shock_sd=shock_sd))
    return best
