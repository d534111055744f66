"""Properties of stable matchings that hold for every singles market (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from preceptor.match import Market, check_stability, solve


@st.composite
def markets(draw: st.DrawFn) -> Market:
    n_app = draw(st.integers(0, 30))
    n_prog = draw(st.integers(1, 8))
    progs = [f"p{i}" for i in range(n_prog)]
    apps = {
        f"a{i}": draw(st.lists(st.sampled_from(progs), max_size=5, unique=True))
        for i in range(n_app)
    }
    prefs = {}
    for p in progs:
        rankers = [a for a, lst in apps.items() if p in lst]
        kept = draw(st.lists(st.sampled_from(rankers), unique=True)) if rankers else []
        prefs[p] = kept
    quotas = {p: draw(st.integers(0, 4)) for p in progs}
    return Market.build(quotas=quotas, applicant_rankings=apps, program_rankings=prefs)


def position(m: Market, a: int, p: int) -> int:
    lst = m.a_list[m.a_ptr[a] : m.a_ptr[a + 1]].tolist()
    return lst.index(p) if p >= 0 else len(lst)


@settings(max_examples=300, deadline=None)
@given(markets())
def test_both_sides_are_stable_and_respect_quotas(m: Market) -> None:
    for side in ("applicants", "programs"):
        r = solve(m, proposing=side)  # type: ignore[arg-type]
        assert r.stable, r.certificate
        assert (r.fill <= m.quota).all()
        assert np.array_equal(
            np.bincount(r.program[r.program >= 0], minlength=m.n_programs), r.fill
        )


@settings(max_examples=300, deadline=None)
@given(markets())
def test_applicants_weakly_prefer_their_proposing_side(m: Market) -> None:
    a, p = solve(m), solve(m, proposing="programs")
    for i in range(m.n_applicants):
        assert position(m, i, a.program[i]) <= position(m, i, p.program[i])


@settings(max_examples=300, deadline=None)
@given(markets())
def test_rural_hospitals_same_applicants_matched_and_same_fill(m: Market) -> None:
    a, p = solve(m), solve(m, proposing="programs")
    assert np.array_equal(a.program >= 0, p.program >= 0)
    assert np.array_equal(a.fill, p.fill)


@settings(max_examples=200, deadline=None)
@given(markets(), st.integers(0, 2**31))
def test_it_is_deterministic_and_seed_free_for_singles(m: Market, seed: int) -> None:
    assert np.array_equal(solve(m).program, solve(m, seed=seed).program)


@settings(max_examples=200, deadline=None)
@given(markets())
def test_rank_is_the_position_of_the_match(m: Market) -> None:
    r = solve(m)
    for i in range(m.n_applicants):
        expected = position(m, i, r.program[i]) + 1 if r.program[i] >= 0 else 0
        assert r.rank[i] == expected


@settings(max_examples=200, deadline=None)
@given(markets(), st.data())
def test_checker_catches_any_single_move_that_breaks_stability(
    m: Market, data: st.DataObject
) -> None:
    r = solve(m)
    if m.n_applicants == 0:
        return
    # Unmatching one matched applicant whose program ranked them leaves a vacancy that
    # applicant would take back: the checker must say so.
    matched = np.flatnonzero(r.program >= 0)
    if len(matched):
        a = int(data.draw(st.sampled_from(matched.tolist())))
        broken = r.program.copy()
        broken[a] = -1
        assert not check_stability(m, broken).stable
