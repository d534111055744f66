"""Correctness of the solver: differential, brute force, couples and supplemental lists."""

from __future__ import annotations

import itertools
import sys
import warnings

import numpy as np
import pytest
from conftest import random_lists, random_market
from matching.games import HospitalResident

from preceptor.match import NO_MATCH, Couple, Market, check_stability, compare, solve
from preceptor.match.synthetic import national_market

Assignment = dict[str, str | None]


def matching_package(
    quotas: dict[str, int], apps: dict[str, list[str]], prefs: dict[str, list[str]]
) -> Assignment:
    """Resident-optimal matching from the PyPI `matching` package.

    It requires mutually consistent lists, so both sides are trimmed to the mutually
    acceptable pairs first; that leaves the set of stable matchings unchanged.
    """
    ranked = {p: set(lst) for p, lst in prefs.items()}
    res = {a: [p for p in lst if a in ranked[p]] for a, lst in apps.items()}
    hos = {p: [a for a in lst if p in apps[a]] for p, lst in prefs.items()}
    res = {a: lst for a, lst in res.items() if lst}
    hos = {p: lst for p, lst in hos.items() if lst}
    out: Assignment = dict.fromkeys(apps)
    if not res:
        return out
    limit = sys.getrecursionlimit()
    # `matching` deep-copies its players' linked preference graph recursively.
    sys.setrecursionlimit(max(limit, 50 * len(res) + 10_000))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = HospitalResident.create_from_dictionaries(res, hos, {p: quotas[p] for p in hos})
        for h, residents in game.solve(optimal="resident").items():
            for r in residents:
                out[str(r)] = str(h)
    sys.setrecursionlimit(limit)
    return out


def test_it_matches_matching_package_on_thousands_of_small_markets() -> None:
    rng = np.random.default_rng(7)
    for _ in range(2500):
        q, a, p = random_lists(
            rng, int(rng.integers(1, 25)), int(rng.integers(1, 8)), max_len=int(rng.integers(1, 6))
        )
        ours = solve(Market.build(quotas=q, applicant_rankings=a, program_rankings=p))
        assert ours.assignment() == matching_package(q, a, p)
        assert ours.stable


@pytest.mark.parametrize(
    ("n_app", "n_prog", "seed"), [(300, 40, 1), (1000, 120, 2), (2500, 300, 3)]
)
def test_it_matches_matching_package_on_larger_markets(n_app: int, n_prog: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    q, a, p = random_lists(rng, n_app, n_prog, max_len=12, max_quota=12, drop=0.1)
    ours = solve(Market.build(quotas=q, applicant_rankings=a, program_rankings=p))
    assert ours.assignment() == matching_package(q, a, p)
    assert ours.stable


def stable_by_definition(
    assign: Assignment, q: dict[str, int], apps: dict[str, list[str]], prefs: dict[str, list[str]]
) -> bool:
    for a, lst in apps.items():
        now = lst.index(assign[a]) if assign[a] is not None else len(lst)  # type: ignore[arg-type]
        for p in lst[:now]:
            if a not in prefs[p]:
                continue
            held = [b for b, x in assign.items() if x == p]
            if len(held) < q[p] or any(prefs[p].index(b) > prefs[p].index(a) for b in held):
                return False
    return True


def all_stable_matchings(
    q: dict[str, int], apps: dict[str, list[str]], prefs: dict[str, list[str]]
) -> list[Assignment]:
    names = list(apps)
    options = [[None] + [p for p in apps[a] if a in prefs[p]] for a in names]
    found = []
    for combo in itertools.product(*options):
        assign = dict(zip(names, combo, strict=True))
        counts = dict.fromkeys(q, 0)
        for p in combo:
            if p is not None:
                counts[p] += 1
        if all(counts[p] <= q[p] for p in q) and stable_by_definition(assign, q, apps, prefs):
            found.append(assign)
    return found


def prefers_weakly(lst: list[str], x: str | None, y: str | None) -> bool:
    rank = {p: i for i, p in enumerate(lst)}
    return rank.get(x, len(lst)) <= rank.get(y, len(lst))  # type: ignore[arg-type]


def test_it_finds_the_applicant_optimal_matching_by_brute_force() -> None:
    rng = np.random.default_rng(11)
    for _ in range(300):
        q, a, p = random_lists(
            rng, int(rng.integers(1, 6)), int(rng.integers(1, 4)), max_len=3, max_quota=2
        )
        m = Market.build(quotas=q, applicant_rankings=a, program_rankings=p)
        stable = all_stable_matchings(q, a, p)
        ours, theirs = solve(m).assignment(), solve(m, proposing="programs").assignment()
        assert ours in stable and theirs in stable
        for s in stable:
            assert all(prefers_weakly(a[x], ours[x], s[x]) for x in a)
            assert all(prefers_weakly(a[x], s[x], theirs[x]) for x in a)


# ---------------------------------------------------------------------------- couples
def no_stable_instance() -> Market:
    """The classic instance (Roth 1984; Klaus and Klijn 2005): a couple wanting
    (h1, h2), a single s; h1 prefers the couple's first partner to s, h2 prefers s to
    the second partner. Every matching is blocked:
    couple at (h1, h2) -> s and h2 block; s at h1 -> the couple and (h1, h2) block;
    s at h2 -> s and h1 block; nobody matched -> s and h1 block."""
    return Market.build(
        quotas={"h1": 1, "h2": 1},
        applicant_rankings={"s": ["h1", "h2"]},
        program_rankings={"h1": ["m1", "s"], "h2": ["s", "m2"]},
        couples=[Couple("m1", "m2", ["h1"], ["h2"])],
    )


def test_it_reports_a_couples_market_with_no_stable_matching() -> None:
    for seed in range(5):
        r = solve(no_stable_instance(), seed=seed)
        assert r.status == "cycle"
        assert not r.stable
        assert r.certificate is not None and r.certificate.reason == "blocking"
        assert {a for a, _ in r.cycle} >= {"m1"}


def two_singles_instance() -> Market:
    """A second instance without a stable matching, with two singles and a couple ranking
    both orders of two hospitals; found by exhaustive search and re-checked below."""
    return Market.build(
        quotas={"h1": 1, "h2": 1},
        applicant_rankings={"s1": ["h1", "h2"], "s2": ["h1", "h2"]},
        program_rankings={"h1": ["c2", "c1", "s1", "s2"], "h2": ["c1", "s1", "c2", "s2"]},
        couples=[Couple("c1", "c2", ["h1", "h2"], ["h2", "h1"])],
    )


def enumerate_stable(m: Market) -> list[tuple[list[int], list[int]]]:
    """Every feasible assignment (singles and couples) the checker calls stable."""
    single_opts = [
        [-1, *m.a_list[m.a_ptr[a] : m.a_ptr[a + 1]].tolist()] if a not in m.couple_members else [-1]
        for a in range(m.n_applicants)
    ]
    couple_opts = [
        [(-1, -1), *[tuple(x) for x in m.c_pairs[m.c_ptr[c] : m.c_ptr[c + 1]].tolist()]]
        for c in range(m.n_couples)
    ]
    out = []
    for singles in itertools.product(*single_opts):
        for pairs in itertools.product(*couple_opts):
            prog = list(singles)
            for c, (p1, p2) in enumerate(pairs):
                prog[m.couple_members[c, 0]] = p1
                prog[m.couple_members[c, 1]] = p2
            if check_stability(m, prog).stable:
                out.append((prog, []))
    return out


@pytest.mark.parametrize("market", [no_stable_instance, two_singles_instance])
def test_published_instances_have_no_stable_matching_and_we_say_so(market) -> None:  # type: ignore[no-untyped-def]
    m = market()
    assert enumerate_stable(m) == []
    for seed in range(3):
        r = solve(m, seed=seed)
        assert not r.stable
        assert r.status in ("cycle", "iteration bound")


def test_couple_can_take_two_positions_at_one_program() -> None:
    m = Market.build(
        quotas={"h": 2, "g": 1},
        applicant_rankings={"s": ["h"]},
        program_rankings={"h": ["c1", "s", "c2"], "g": ["c2"]},
        couples=[Couple("c1", "c2", ["h", "h"], ["h", "g"])],
    )
    r = solve(m)
    assert r.assignment() == {"s": "h", "c1": "h", "c2": "g"}
    assert r.rank.tolist() == [1, 2, 2]
    assert r.stable


def test_couple_takes_no_match_for_one_partner() -> None:
    m = Market.build(
        quotas={"h": 1},
        applicant_rankings={},
        program_rankings={"h": ["c1"]},
        couples=[Couple("c1", "c2", ["h"], [NO_MATCH])],
    )
    r = solve(m)
    assert r.assignment() == {"c1": "h", "c2": None}
    assert r.stable


def test_random_couples_markets_are_never_falsely_certified() -> None:
    rng = np.random.default_rng(5)
    progs = ["h0", "h1", "h2"]
    for _ in range(150):
        q, a, p = random_lists(rng, 3, 3, max_len=2, max_quota=1, drop=0.0)
        pairs = [x for x in itertools.product([*progs, NO_MATCH], repeat=2) if x != ("-", "-")]
        chosen = [pairs[i] for i in rng.choice(len(pairs), size=3, replace=False)]
        for p_ in progs:
            for member in ("c1", "c2"):
                if rng.random() < 0.7:
                    p[p_].insert(int(rng.integers(0, len(p[p_]) + 1)), member)
        m = Market.build(
            quotas=q,
            applicant_rankings=a,
            program_rankings=p,
            couples=[Couple("c1", "c2", [x for x, _ in chosen], [y for _, y in chosen])],
        )
        r = solve(m)
        exists = bool(enumerate_stable(m))
        assert r.stable == (r.certificate is not None and r.certificate.stable)
        if not exists:
            assert not r.stable
        if r.status == "converged":
            assert r.stable


# ---------------------------------------------------------------------------- supplemental
def supplemental_market(prelim_quota: int) -> Market:
    return Market.build(
        quotas={"rad": 1, "im": 1, "prelim": prelim_quota},
        tracks={"rad": "A", "prelim": "P"},
        applicant_rankings={"x": ["rad", "im"], "y": ["prelim"]},
        program_rankings={"rad": ["x"], "im": ["x"], "prelim": ["y", "x"]},
        supplemental={"x": ["prelim"]},
    )


def test_supplemental_list_gives_a_pgy1_position() -> None:
    r = solve(supplemental_market(2))
    assert r.assignment() == {"x": "rad", "y": "prelim"}
    assert r.market.program_ids[r.pgy1[0]] == "prelim"
    assert r.fill.tolist() == [1, 0, 2]
    assert r.stable


def test_advanced_match_stands_without_a_pgy1_position() -> None:
    # NRMP: the algorithm does not go on down the list; the applicant stays committed to
    # the advanced position and seeks a PGY-1 in SOAP.
    r = solve(supplemental_market(1))
    assert r.assignment() == {"x": "rad", "y": "prelim"}
    assert r.pgy1[0] == -1
    assert r.stable


# ---------------------------------------------------------------------------- misc
def test_it_is_deterministic_for_a_seed() -> None:
    rng = np.random.default_rng(3)
    q, a, p = random_lists(rng, 60, 10, max_len=4)
    singles = dict(list(a.items())[:40])
    couples = [
        Couple(f"x{i}", f"y{i}", list(a[f"a{40 + i}"][:2]), list(a[f"a{50 + i}"][:2]))
        for i in range(10)
        if len(a[f"a{40 + i}"]) >= 2 and len(a[f"a{50 + i}"]) >= 2
    ]
    p = {k: [x for x in v if x in singles] for k, v in p.items()}
    for c in couples:
        for prog in (*c.first_programs, *c.second_programs):
            p[prog] += [c.first, c.second]
    p = {k: list(dict.fromkeys(v)) for k, v in p.items()}
    m = Market.build(quotas=q, applicant_rankings=singles, program_rankings=p, couples=couples)
    first = solve(m, seed=4)
    again = solve(m, seed=4)
    assert np.array_equal(first.program, again.program)
    assert first.status == again.status


def test_a_search_that_outgrows_its_stack_runs_again_to_the_same_result() -> None:
    # The search runs without reference counting, so it cannot grow its stack: when a
    # push finds it full it stops, and _rp_run runs it again with one twice as long.
    from preceptor.match import _kernels
    from preceptor.match.solve import _prepare, _rp_args

    m = national_market(seed=2, n_applicants=1_500, n_couples=40)
    prep = _prepare(m)
    args = _rp_args(prep, 0, 10**9, 50)
    want = _kernels.rp_match(*args)
    rw = _kernels.rp_work(prep.hoff, prep.n_slots, m.n_applicants, len(prep.u_s1))
    tiny = np.empty(1, dtype=np.int32)
    assert _kernels.rp_core(*args, *rw[:9], tiny, *rw[10:])[0] == _kernels.STATUS_STACK_FULL
    (status, iterations, *_), stack = _kernels._rp_run(args, rw, tiny)
    assert len(stack) >= 2  # it ran out and ran again
    assert (status, iterations) == (want[4], want[5])
    assert np.array_equal(rw[3], want[0])  # every slot's program
    assert np.array_equal(rw[2], want[3])  # every program's fill


def test_compare_reports_who_differs() -> None:
    m = random_market(np.random.default_rng(2), 200, 20, max_len=6)
    a, p = solve(m), solve(m, proposing="programs")
    diffs = compare(a, p)
    assert {d.applicant for d in diffs} == {
        x for x, y, z in zip(m.applicant_ids, a.program, p.program, strict=True) if y != z
    }


def test_certificate_flags_an_infeasible_matching() -> None:
    m = Market.build(
        quotas={"h": 1},
        applicant_rankings={"a": ["h"], "b": ["h"]},
        program_rankings={"h": ["a", "b"]},
    )
    cert = check_stability(m, [0, 0])
    assert cert.reason == "infeasible" and "above its quota" in cert.message


def test_zero_quota_program_takes_nobody() -> None:
    m = Market.build(
        quotas={"h": 0, "g": 1},
        applicant_rankings={"a": ["h", "g"]},
        program_rankings={"h": ["a"], "g": ["a"]},
    )
    assert solve(m).assignment() == {"a": "g"}


@pytest.mark.parametrize("seed", range(6))
def test_a_converged_search_is_certified_on_medium_markets(seed: int) -> None:
    """The incremental scan claims convergence only when nothing blocks: whenever it says
    "converged", the independent checker must agree (couples and supplemental lists)."""
    m = national_market(seed=seed, n_applicants=1_500, n_couples=25 + 10 * seed)
    for order_seed in range(3):
        r = solve(m, seed=order_seed)
        assert r.certificate is not None
        if r.status == "converged":
            assert r.stable, r.certificate.message
    m2 = national_market(seed=seed, n_applicants=1_500, n_couples=0)
    r2 = solve(m2)
    assert r2.status == "converged" and r2.stable
