"""Malformed numbers at every entry point of the Match engine get a clear error.

The library is tested in-process; the command line in a subprocess (a crash in a
compiled kernel would otherwise take pytest down with it).
"""

from __future__ import annotations

import math
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from preceptor.match import Couple, Market, check_stability, solve
from preceptor.match.io import load_market, save_market
from preceptor.match.simulate import simulate

ROOT = Path(__file__).resolve().parents[2]
INT32_MAX = 2**31 - 1


def small_market() -> Market:
    return Market.build(
        quotas={"h1": 1, "h2": 2},
        applicant_rankings={"a": ["h1", "h2"], "b": ["h1"], "c": ["h2", "h1"]},
        program_rankings={"h1": ["b", "a", "c"], "h2": ["a", "c"]},
    )


def no_stable_market() -> Market:
    """Roth (1984): a couple and a single; every matching is blocked."""
    return Market.build(
        quotas={"h1": 1, "h2": 1},
        applicant_rankings={"s": ["h1", "h2"]},
        program_rankings={"h1": ["m1", "s"], "h2": ["s", "m2"]},
        couples=[Couple("m1", "m2", ["h1"], ["h2"])],
    )


# Numbers no count or scale may be: not finite, negative, past 32 or 64 bits, fractional.
NOT_FINITE = st.sampled_from([math.nan, math.inf, -math.inf])
NEGATIVE = st.one_of(st.integers(max_value=-1), st.floats(max_value=-1e-300, allow_nan=False))
HUGE_INT = st.integers(min_value=2**31, max_value=2**200)
FRACTION = st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: not x.is_integer())
NOT_A_COUNT = st.one_of(
    NOT_FINITE, NEGATIVE, HUGE_INT, FRACTION, st.booleans(), st.just("3"), st.just(2.0)
)
BAD_NOISE = st.one_of(
    NOT_FINITE,
    NEGATIVE,
    st.floats(min_value=1e6, exclude_min=True, allow_infinity=False),
    st.integers(min_value=10**6 + 1, max_value=10**400),
    st.just("1.0"),
)
BAD_SEED = st.one_of(
    st.integers(max_value=-1),
    st.integers(min_value=2**64, max_value=2**300),
    NOT_FINITE,
    FRACTION,
    st.just(1.0),
    st.booleans(),
)

quick = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def refuses(fn: Callable[[], object], name: str) -> None:
    with pytest.raises(ValueError, match=name):
        fn()


# ------------------------------------------------------------------ simulate and solve
@quick
@given(noise=BAD_NOISE, which=st.sampled_from(["applicant_noise", "program_noise"]))
def test_simulate_refuses_noise_that_is_not_a_finite_scale(noise: Any, which: str) -> None:
    kw: dict[str, Any] = {which: noise}
    refuses(lambda: simulate(small_market(), draws=2, **kw), which)


@quick
@given(seed=BAD_SEED)
def test_simulate_and_solve_refuse_seeds_outside_0_to_2_64(seed: Any) -> None:
    refuses(lambda: simulate(small_market(), draws=2, seed=seed), "seed")
    refuses(lambda: solve(no_stable_market(), seed=seed), "seed")


@quick
@given(value=NOT_A_COUNT, which=st.sampled_from(["draws", "batch", "cycle_bound"]))
def test_simulate_refuses_counts_that_are_not_whole_32_bit_numbers(
    value: object, which: str
) -> None:
    kw: dict[str, Any] = {"draws": 2, which: value}
    refuses(lambda: simulate(small_market(), **kw), which)


@quick
@given(value=NOT_A_COUNT, which=st.sampled_from(["cycle_bound", "max_iterations"]))
def test_solve_refuses_bounds_that_are_not_whole_numbers_in_range(
    value: object, which: str
) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63:
        value = -value  # the search bounds take any positive 64-bit number; not these
    kw: dict[str, Any] = {which: value}
    refuses(lambda: solve(no_stable_market(), **kw), which)


# ------------------------------------------------------------------ markets
@quick
@given(quota=st.one_of(NOT_A_COUNT, st.integers(min_value=2**31, max_value=2**64)))
def test_build_refuses_quotas_that_do_not_fit_32_bits(quota: Any) -> None:
    refuses(
        lambda: Market.build(
            quotas={"h1": quota, "h2": 1},
            applicant_rankings={"a": ["h1"]},
            program_rankings={"h1": ["a"]},
        ),
        "program 'h1'",
    )


def test_a_quota_of_2_31_minus_1_takes_everyone_it_ranks_in_solve_and_simulate() -> None:
    # Two such quotas overflowed the kernels' 32-bit offsets; 2**32 used to act as 0.
    big = INT32_MAX
    m = Market.build(
        quotas={"h1": big, "h2": big, "h3": 1},
        applicant_rankings={"a": ["h1"], "b": ["h2", "h1"], "c": ["h3", "h2"], "d": ["h3"]},
        program_rankings={"h1": ["a", "b"], "h2": ["b", "c"], "h3": ["d", "c"]},
    )
    r = solve(m)
    assert r.assignment() == {"a": "h1", "b": "h2", "c": "h2", "d": "h3"} and r.stable
    sim = simulate(m, draws=20, seed=1, applicant_noise=0.0, program_noise=0.0)
    assert sim.p_matched.tolist() == [1.0, 1.0, 1.0, 1.0]
    assert sim.p_filled.tolist() == [0.0, 0.0, 1.0]  # 2**31 - 1 places never fill
    assert sim.mean_fill.tolist() == [1.0, 2.0, 1.0]


def arrays_of(m: Market) -> dict[str, object]:
    return {k: getattr(m, k) for k in Market.__dataclass_fields__}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("a_list", np.array([0, 5, 1, 0, 1, 0]), "a_list holds 5"),
        ("a_list", np.array([0, -1, 1, 0, 1, 0]), "a_list holds -1"),
        ("p_list", np.array([1, 0, 2, 0, 9]), "p_list holds 9"),
        ("quota", np.array([1, -2, 1]), "quota holds -2"),
        ("quota", np.array([1, 2**32, 1]), "quota holds 4294967296"),
        ("a_ptr", np.array([0, 3, 1, 6]), "a_ptr must rise"),
        ("quota", np.array([1.0, 2.0, 1.0]), "integer array"),
        ("track", np.array([0, 7, 0], dtype=np.int8), "track holds 7"),
        ("couple_members", np.array([[0, 3]]), "couple_members holds 3"),
    ],
)
def test_a_market_built_from_arrays_refuses_indices_out_of_range(
    field: str, value: np.ndarray, message: str
) -> None:
    base = Market.build(
        quotas={"h1": 1, "h2": 2, "h3": 1},
        applicant_rankings={"a": ["h1", "h2", "h3"], "b": ["h1", "h2"], "c": ["h3"]},
        program_rankings={"h1": ["b", "a"], "h2": ["a"], "h3": ["c", "a"]},
    )
    kw = arrays_of(base)
    kw[field] = value
    if field == "couple_members":
        kw["c_ptr"], kw["c_pairs"] = np.array([0, 1]), np.array([[0, 1]])
    with pytest.raises(ValueError, match=message):
        Market(**kw)  # type: ignore[arg-type]


@quick
@given(value=st.one_of(NOT_FINITE, FRACTION, st.just(2.0**70)))
def test_check_stability_refuses_indices_that_are_not_whole_numbers(value: float) -> None:
    refuses(lambda: check_stability(small_market(), [value, -1, -1]), "program")


# ------------------------------------------------------------------ CSV files
def write_market(tmp: Path, quota: str = "1", rank: str = "1", couple_rank: str = "1") -> Path:
    (tmp / "programs.csv").write_text(
        f"program_code,track,quota\n1001140C0,C,1\n1002140C0,C,{quota}\n", encoding="utf-8"
    )
    (tmp / "applicants.csv").write_text("applicant_id,type\na,\nb,\nc,\n", encoding="utf-8")
    (tmp / "rankings.csv").write_text(
        "list,owner,rank,ranked\n"
        f"applicant,a,{rank},1001140C0\n"
        "program,1001140C0,1,a\nprogram,1001140C0,2,b\nprogram,1002140C0,1,c\n",
        encoding="utf-8",
    )
    (tmp / "couples.csv").write_text(
        "couple_id,rank,applicant_1,program_1,applicant_2,program_2\n"
        f"x,{couple_rank},b,1001140C0,c,1002140C0\n",
        encoding="utf-8",
    )
    return tmp


BAD_NUMBER_TEXT = st.one_of(
    st.sampled_from(
        [
            "nan",
            "inf",
            "-inf",
            "1e20",
            "-1",
            "2147483648",
            "4294967296",
            "1.5",
            "2.0",
            "",
            "99999999999999999999",
            "0x10",
            "1_000",
            "\u0661\u0662",
            "+-1",
            "1 2",
        ]
    ),
    st.integers(min_value=2**31, max_value=2**100).map(str),
    st.integers(max_value=-1).map(str),
    st.floats(allow_nan=False).filter(lambda x: not x.is_integer()).map(repr),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=BAD_NUMBER_TEXT, where=st.sampled_from(["quota", "rank", "couple_rank"]))
def test_csv_numbers_are_checked_and_the_error_names_file_line_and_column(
    tmp_path: Path, text: str, where: str
) -> None:
    write_market(tmp_path, **{where: text})
    expected = {
        "quota": r"programs\.csv line 3, column 3 \(quota\)",
        "rank": r"rankings\.csv line 2, column 3 \(rank\)",
        "couple_rank": r"couples\.csv line 2, column 2 \(rank\)",
    }[where]
    with pytest.raises(ValueError, match=expected):
        load_market(tmp_path)


def test_a_csv_rank_of_zero_or_a_quota_past_32_bits_is_refused_not_truncated(
    tmp_path: Path,
) -> None:
    write_market(tmp_path, quota="4294967296")
    with pytest.raises(ValueError, match=r"programs\.csv line 3.*not between 0 and 2,147,483,647"):
        load_market(tmp_path)
    write_market(tmp_path, rank="0")
    with pytest.raises(ValueError, match=r"rankings\.csv line 2.*not between 1 and"):
        load_market(tmp_path)


@pytest.mark.parametrize(
    ("file", "body", "message"),
    [
        (
            "rankings.csv",
            "list,owner,rank,ranked\napplicant,a,1,1001140C0\napplicant,a,2,1001140C0\n"
            "program,1001140C0,1,a\n",
            r"^rankings\.csv line 3: applicant 'a', rank 2: program '1001140C0' already",
        ),
        (
            "rankings.csv",
            "list,owner,rank,ranked\napplicant,a,1,1001140C0\nprogram,1001140C0,1,a\n"
            "program,1001140C0,2,a\n",
            r"^rankings\.csv line 4: program '1001140C0', rank 2: applicant 'a' already",
        ),
        (
            "rankings.csv",
            "list,owner,rank,ranked\napplicant,a,1,1001140C0\nsupplemental,a,1,1002140C0\n",
            r"^rankings\.csv line 3: supplemental list of 'a', rank 1: program '1002140C0' "
            r"is not preliminary",
        ),
        (
            "couples.csv",
            "couple_id,rank,applicant_1,program_1,applicant_2,program_2\n"
            "x,1,b,1001140C0,c,1002140C0\nx,2,b,-,c,-\n",
            r"^couples\.csv line 3: couple \('b', 'c'\), rank 2: both partners",
        ),
        (
            "couples.csv",
            "couple_id,rank,applicant_1,program_1,applicant_2,program_2\n"
            "x,1,b,1001140C0,c,1002140C0\ny,1,c,1001140C0,b,1002140C0\n",
            r"^couples\.csv line 3: couple \('c', 'b'\): applicant 'c' already has another",
        ),
    ],
)
def test_errors_found_while_building_the_market_name_the_file_and_line(
    tmp_path: Path, file: str, body: str, message: str
) -> None:
    write_market(tmp_path)
    (tmp_path / file).write_text(body, encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_market(tmp_path)


def test_a_file_that_is_not_text_is_named(tmp_path: Path) -> None:
    write_market(tmp_path)
    (tmp_path / "applicants.csv").write_bytes(b"applicant_id,type\n\xff\xfe\x00a,\n")
    with pytest.raises(ValueError, match=r"^applicants\.csv: not UTF-8"):
        load_market(tmp_path)


# ------------------------------------------------------------------ command line
def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "preceptor.match", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def assert_refused(proc: subprocess.CompletedProcess[str], *needles: str) -> None:
    """Exit status 2 (not a signal, not 1), one line of error, no traceback."""
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    errors = [x for x in proc.stderr.splitlines() if "error" in x]
    assert len(errors) == 1 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    for needle in needles:
        assert needle in errors[0], errors[0]


@pytest.fixture(scope="module")
def market_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("market")
    save_market(small_market(), d)
    return d


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    option=st.sampled_from(["--noise", "--seed", "--draws"]),
    text=st.one_of(
        st.sampled_from(["nan", "inf", "-inf", "-1", "-3", "1e400", "abc", "1.5", "0x10"]),
        st.integers(min_value=2**64, max_value=2**90).map(str),
        st.floats(min_value=1e6, exclude_min=True, allow_infinity=False).map(repr),
    ),
)
def test_the_cli_refuses_bad_numbers_with_status_2_and_one_line(
    market_dir: Path, option: str, text: str
) -> None:
    # 1.5 is a fine noise scale (0 to 1,000,000); it is bad only where a whole number is due.
    assume(not (option == "--noise" and text == "1.5"))
    draws = [] if option == "--draws" else ["--draws", "1"]
    proc = run_cli("simulate", str(market_dir), *draws, option, text)
    assert_refused(proc, f"argument {option}")


def test_the_cli_names_the_file_line_and_column_of_a_bad_quota(tmp_path: Path) -> None:
    write_market(tmp_path, quota="1e20")
    for command in ("solve", "simulate"):
        assert_refused(
            run_cli(command, str(tmp_path)), "programs.csv line 3, column 3 (quota)", "'1e20'"
        )
    write_market(tmp_path, quota="100000000000000000000")
    assert_refused(run_cli("solve", str(tmp_path)), "programs.csv line 3")


# ------------------------------------------------------------------ cycles
def test_draws_that_end_on_a_couples_cycle_are_left_out_of_the_tallies() -> None:
    # No stable matching exists, so at noise 0 every draw cycles: nothing to count.
    sim = simulate(no_stable_market(), draws=30, seed=2, applicant_noise=0, program_noise=0)
    assert (sim.n_cycle, sim.n_bound, sim.n_counted) == (30, 0, 0)
    assert sim.unstable_share == 1.0
    assert np.isnan(sim.p_matched).all() and np.isnan(sim.p_filled).all()
    assert sim.p_matched_low.tolist() == [0.0] * 3 and sim.p_matched_high.tolist() == [1.0] * 3
    assert "30 ended on a couples cycle (100.0%)" in sim.summary()


def test_a_cycle_in_one_part_of_a_market_does_not_count_the_other_part() -> None:
    # The cycling instance beside an independent single who always matches: the
    # single's probability is over the converged draws only, and those are 0 here.
    m = Market.build(
        quotas={"h1": 1, "h2": 1, "g": 1},
        applicant_rankings={"s": ["h1", "h2"], "t": ["g"]},
        program_rankings={"h1": ["m1", "s"], "h2": ["s", "m2"], "g": ["t"]},
        couples=[Couple("m1", "m2", ["h1"], ["h2"])],
    )
    sim = simulate(m, draws=10, seed=0, applicant_noise=0, program_noise=0)
    assert sim.n_cycle == 10 and sim.cand_count.sum() == 0
    assert sim.program_probabilities("t") == {"g": pytest.approx(math.nan, nan_ok=True)}


def test_the_cli_shows_the_share_of_draws_that_ended_on_a_cycle(tmp_path: Path) -> None:
    save_market(no_stable_market(), tmp_path)
    proc = run_cli("simulate", str(tmp_path), "--draws", "40", "--noise", "0")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "40 ended on a couples cycle (100.0%) and are left out" in proc.stderr
