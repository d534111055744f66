"""Synthetic market, Monte Carlo and command line."""

from __future__ import annotations

from pathlib import Path

import numba
import numpy as np
import pytest

from preceptor.match import Market, solve
from preceptor.match.cli import main
from preceptor.match.io import load_market, save_market
from preceptor.match.simulate import simulate, wilson_interval
from preceptor.match.synthetic import SPECIALTIES, national_market


@pytest.fixture(scope="module")
def small() -> Market:
    return national_market(n_applicants=1500, n_couples=30, seed=3)


def test_synthetic_market_is_valid_and_calibrated(small: Market, tmp_path: Path) -> None:
    # Round-trips through the validating CSV loader, so every list passes Market.build.
    save_market(small, tmp_path)
    back = load_market(tmp_path)
    assert back.n_applicants == 1500 and back.n_couples == 30
    assert 7 < small.n_ranks / small.n_applicants < 13  # small markets cap some lists
    positions = int(small.quota.sum())
    assert 0.8 < positions / (1500 * 43_237 / 47_208) < 1.2
    assert set(small.applicant_type) == {"US MD", "US DO", "US-IMG", "non-US IMG"}
    assert small.has_supplemental


def test_metro_couples_are_mostly_us_seniors_with_long_joint_lists(tmp_path: Path) -> None:
    m = national_market(n_applicants=3000, n_couples=90, seed=3, couples_model="metro")
    save_market(m, tmp_path)  # every list passes Market.build
    assert load_market(tmp_path).n_couples == 90
    types = [m.applicant_type[a] for a in m.couple_members.ravel().tolist()]
    assert sum(t in ("US MD", "US DO") for t in types) / len(types) > 0.8
    random = national_market(n_applicants=3000, n_couples=90, seed=3, couples_model="random")
    assert len(m.c_pairs) > len(random.c_pairs)  # they apply more widely


def test_an_unknown_couples_model_is_refused() -> None:
    with pytest.raises(ValueError, match="couples_model"):
        national_market(n_applicants=100, n_couples=2, couples_model="city")


def test_specialty_table_adds_up_to_the_published_totals() -> None:
    pgy1 = sum(s.positions for s in SPECIALTIES if s.track != "A")
    assert pgy1 == 38_494  # NRMP 2024 PGY-1 positions
    assert pgy1 + sum(s.positions for s in SPECIALTIES if s.track == "A") == 41_503


def test_national_market_with_real_programs(shared_data: Path) -> None:
    m = national_market(
        n_applicants=3000,
        n_couples=20,
        program_results=shared_data / "nrmp_program_results_2014_2020.csv",
        year=2020,
    )
    assert m.n_programs > 5000
    assert "1001120C0" in m.program_ids
    assert solve(m, certify=False).n_matched > 0


def test_wilson_interval_brackets_the_estimate() -> None:
    lo, hi = wilson_interval(np.array([3]), 10)
    assert lo[0] < 0.3 < hi[0]


def test_monte_carlo_is_reproducible_whatever_the_thread_count(small: Market) -> None:
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = simulate(small, draws=12, seed=9, batch=5)
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
        many = simulate(small, draws=12, seed=9, batch=12)
    finally:
        numba.set_num_threads(before)
    assert np.array_equal(one.cand_count, many.cand_count)
    assert np.array_equal(one.p_matched, many.p_matched)
    assert np.array_equal(one.mean_fill, many.mean_fill)
    other = simulate(small, draws=12, seed=10)
    assert not np.array_equal(one.cand_count, other.cand_count)


def test_monte_carlo_without_noise_reproduces_the_solve() -> None:
    m = national_market(n_applicants=800, n_couples=0, supplemental=False, seed=4)
    sim = simulate(m, draws=3, applicant_noise=0.0, program_noise=0.0)
    assert np.array_equal(sim.p_matched, (solve(m).program >= 0).astype(float))


def test_more_programs_than_int16_holds_take_the_int32_path() -> None:
    # Program numbers and ranks on a draw's lists are int16 below 32,768 programs and
    # list entries; past that the kernels run on int32, and must agree with the solve.
    from preceptor.match.solve import _prepare

    n_prog = 2**15 + 5
    quotas = {f"p{j}": 1 for j in range(n_prog)}
    last = [f"p{n_prog - 1 - j}" for j in range(3)]  # numbers past the int16 range
    apps = {f"a{i}": [last[i % 3], last[(i + 1) % 3], "p0"] for i in range(7)}
    progs = {p: [a for a, lst in apps.items() if p in lst] for p in [*last, "p0"]}
    m = Market.build(quotas=quotas, applicant_rankings=apps, program_rankings=progs)
    assert _prepare(m).rank_proto.dtype == np.int32
    sim = simulate(m, draws=2, applicant_noise=0.0, program_noise=0.0)
    res = solve(m)
    assert np.array_equal(sim.p_matched, (res.program >= 0).astype(float))
    assert sim.p_matched.sum() == 4
    for i, a in enumerate(apps):
        got = {p: x for p, x in sim.program_probabilities(a).items() if x > 0}
        p = res.program[i]
        assert got == ({m.program_ids[p]: 1.0} if p >= 0 else {})


def test_monte_carlo_reports_progress(small: Market) -> None:
    seen: list[tuple[int, int]] = []
    simulate(small, draws=7, batch=3, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(3, 7), (6, 7), (7, 7)]
    probs = simulate(small, draws=4).program_probabilities(small.applicant_ids[0])
    assert all(0 <= v <= 1 for v in probs.values())


def test_draws_keep_nrmps_supplemental_order() -> None:
    # With room everywhere, NRMP's rule gives x an advanced program *and* its PGY-1:
    # each (advanced, s1) pair comes before (advanced, no PGY-1). Draws perturb the
    # primary and supplemental lists and rebuild that order; perturbing the joint
    # pairs one by one would put (A1, no PGY-1) first in about a third of the draws.
    m = Market.build(
        quotas={"a1": 1, "a2": 1, "s1": 1, "s2": 1},
        tracks={"a1": "A", "a2": "A", "s1": "P", "s2": "P"},
        applicant_rankings={"x": ["a1", "a2"]},
        program_rankings={"a1": ["x"], "a2": ["x"], "s1": ["x"], "s2": ["x"]},
        supplemental={"x": ["s1", "s2"]},
    )
    sim = simulate(m, draws=300, seed=4)
    probs = sim.program_probabilities("x")
    assert probs["a1"] + probs["a2"] == 1.0
    assert probs["s1"] + probs["s2"] == 1.0
    assert 0 < probs["a2"] < 0.5 and 0 < probs["s2"] < 0.5
    assert sim.n_unstable == 0


def test_cli_solve_and_simulate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    m = national_market(n_applicants=300, n_couples=0, supplemental=False, seed=2)
    save_market(m, tmp_path)
    assert main(["solve", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == "applicant_id,program_code,rank,pgy1_program_code"
    assert len(out.splitlines()) == 301
    assert "stable" in err
    assert main(["simulate", str(tmp_path), "--draws", "5", "--seed", "3"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == "applicant_id,p_matched,ci_low,ci_high"
    assert "5/5" in err


def test_cli_reports_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", str(tmp_path)]) == 2
    assert "programs.csv: file not found" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--help"])


def test_renumbering_for_cache_locality_changes_no_result() -> None:
    # simulate() solves a copy whose applicants are renumbered by their first choice;
    # the noise is keyed by the original numbers and units keep their order, so every
    # tally is the same as on the market as given (couples and supplemental lists too).
    m = national_market(n_applicants=3000, n_couples=90, seed=3)
    fast = simulate(m, draws=40, seed=5, applicant_noise=2.0)
    plain = simulate(m, draws=40, seed=5, applicant_noise=2.0, reorder=False)
    assert np.array_equal(fast.cand_ptr, plain.cand_ptr)
    assert np.array_equal(fast.cand_program, plain.cand_program)
    assert np.array_equal(fast.cand_count, plain.cand_count)
    assert np.array_equal(fast.p_matched, plain.p_matched)
    assert np.array_equal(fast.mean_fill, plain.mean_fill)
    assert fast.n_unstable == plain.n_unstable
