from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from preceptor.match import NO_MATCH, Couple, Market, solve
from preceptor.match.io import load_market, save_market


def build(**kw: object) -> Market:
    base: dict[str, object] = {
        "quotas": {"h1": 1, "h2": 2},
        "applicant_rankings": {"a": ["h1", "h2"], "b": ["h2"]},
        "program_rankings": {"h1": ["a"], "h2": ["b", "a"]},
    }
    base.update(kw)
    return Market.build(**base)  # type: ignore[arg-type]


def test_it_builds_csr_arrays() -> None:
    m = build()
    assert m.a_ptr.tolist() == [0, 2, 3]
    assert m.a_list.tolist() == [0, 1, 1]
    assert m.rank_of([1, 1, 0], [0, 1, 1]).tolist() == [1, 0, -1]


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"quotas": {"h1": -2, "h2": 1}}, "program 'h1': negative quota -2"),
        ({"quotas": {"h1": 1.5, "h2": 1}}, "program 'h1': quota must be a whole number, not 1.5"),
        (
            {"applicant_rankings": {"a": ["h1", "h1"], "b": []}},
            "applicant 'a', rank 2: program 'h1' already ranked at rank 1",
        ),
        ({"applicant_rankings": {"a": ["zz"]}}, "applicant 'a', rank 1: unknown program 'zz'"),
        (
            {"program_rankings": {"h1": ["a", "nobody"]}},
            "program 'h1', rank 2: unknown applicant 'nobody'",
        ),
        (
            {"program_rankings": {"h2": ["b", "b"]}},
            "program 'h2', rank 2: applicant 'b' already ranked at rank 1",
        ),
        ({"program_rankings": {"h9": []}}, "program rankings: unknown program 'h9'"),
        ({"tracks": {"h1": "X"}}, "program 'h1': unknown track 'X'"),
        (
            {"couples": [Couple("c1", "c2", ["h1", "h2"], ["h2"])]},
            "couple ('c1', 'c2'): lists of unequal lengths (2 and 1)",
        ),
        (
            {"couples": [Couple("a", "c2", ["h1"], ["h2"])]},
            "couple ('a', 'c2'): applicant 'a' already has a single list",
        ),
        (
            {"couples": [Couple("c1", "c2", ["h1", NO_MATCH], ["h2", NO_MATCH])]},
            "couple ('c1', 'c2'), rank 2: both partners '-'",
        ),
        (
            {"couples": [Couple("c1", "c2", ["h1"], ["h7"])]},
            "couple ('c1', 'c2'), rank 1: unknown program 'h7'",
        ),
        (
            {"tracks": {"h1": "A", "h2": "C"}, "supplemental": {"a": ["h2"]}},
            "supplemental list of 'a', rank 1: program 'h2' is not preliminary (P)",
        ),
        (
            {"tracks": {"h2": "P"}, "supplemental": {"b": ["h2"]}},
            "supplemental list of 'b': applicant ranks no advanced (A) program",
        ),
        (
            {"applicant_rankings": {"a": "h1"}},
            "applicant 'a': expected a list of program ids, got a string",
        ),
    ],
)
def test_it_rejects_bad_rows(kw: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        build(**kw)


def test_it_validates_solve_options() -> None:
    with pytest.raises(ValueError, match="proposing"):
        solve(build(), proposing="hospitals")  # type: ignore[arg-type]
    m = build(couples=[Couple("c1", "c2", ["h1"], ["h2"])])
    with pytest.raises(ValueError, match="singles only"):
        solve(m, proposing="programs")


def full_market() -> Market:
    codes = ["1001140C0", "1001420A0", "1001140P0", "2001440C1"]
    return Market.build(
        quotas=dict(zip(codes, [2, 1, 1, 0], strict=True)),
        tracks={"1001420A0": "A", "1001140P0": "P"},
        applicant_rankings={"s1": ["1001420A0", "1001140C0"], "s2": ["1001140C0"]},
        program_rankings={
            "1001140C0": ["s2", "s1", "k1"],
            "1001420A0": ["s1"],
            "1001140P0": ["s1"],
            "2001440C1": [],
        },
        couples=[Couple("k1", "k2", ["1001140C0", "1001140C0"], [NO_MATCH, "2001440C1"])],
        supplemental={"s1": ["1001140P0"]},
        applicant_types={"s1": "US MD", "k1": "IMG"},
    )


def test_csv_round_trip(tmp_path: Path) -> None:
    m = full_market()
    save_market(m, tmp_path)
    back = load_market(tmp_path)
    assert back.quotas() == m.quotas()
    assert back.tracks() == m.tracks()
    assert back.applicant_rankings() == m.applicant_rankings()
    assert back.program_rankings() == m.program_rankings()
    assert back.supplemental_lists() == m.supplemental_lists()
    assert back.couples() == m.couples()
    assert dict(zip(back.applicant_ids, back.applicant_type, strict=True))["k1"] == "IMG"
    assert solve(back).assignment() == solve(m).assignment()


def test_csv_reads_track_from_program_code(tmp_path: Path) -> None:
    save_market(full_market(), tmp_path)
    text = (tmp_path / "programs.csv").read_text().replace(",A,", ",,")
    (tmp_path / "programs.csv").write_text(text)
    assert load_market(tmp_path).tracks()["1001420A0"] == "A"


@pytest.mark.parametrize(
    ("file", "find", "replace", "message"),
    [
        (
            "rankings.csv",
            "applicant,s2,1,",
            "applicant,s2,x,",
            "rankings.csv line 4, column 3 (rank): 'x' is not a whole number",
        ),
        (
            "rankings.csv",
            "applicant,s2,1,1001140C0",
            "applicant,s2,1,1001140C0\napplicant,s2,1,1001140C0",
            "rankings.csv line 5: duplicate rank 1 for 's2' (also line 4)",
        ),
        (
            "rankings.csv",
            "program,1001420A0,1,s1",
            "program,1001420A0,1,zed",
            "rankings.csv line 8: unknown applicant 'zed'",
        ),
        (
            "programs.csv",
            "1001140C0,C,2",
            "1001140C0,C,-2",
            "programs.csv line 2, column 3 (quota): -2 is not between 0",
        ),
        ("couples.csv", "c1,2,k1", "c1,2,s1", "couples.csv line 3: couple 'c1' changes partners"),
        ("programs.csv", "1001140C0,C,2", "1001140C0,Q,2", "programs.csv line 2: unknown track"),
    ],
)
def test_csv_errors_name_the_line(
    tmp_path: Path, file: str, find: str, replace: str, message: str
) -> None:
    save_market(full_market(), tmp_path)
    path = tmp_path / file
    text = path.read_text()
    assert find in text
    path.write_text(text.replace(find, replace, 1))
    with pytest.raises(ValueError, match=re.escape(message)):
        load_market(tmp_path)


def test_csv_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"programs.csv: file not found"):
        load_market(tmp_path)


def test_rank_of_handles_empty_lists() -> None:
    m = Market.build(quotas={"h": 1}, applicant_rankings={"a": []}, program_rankings={})
    assert m.rank_of(np.array([0]), np.array([0])).tolist() == [-1]


def test_renumbering_applicants_keeps_every_list() -> None:
    m = Market.build(
        quotas={"a1": 1, "p1": 2, "h": 1},
        tracks={"a1": "A", "p1": "P"},
        applicant_rankings={"x": ["a1", "h"], "y": ["h"], "z": ["p1"]},
        program_rankings={"a1": ["x"], "p1": ["z", "x", "c2"], "h": ["c1", "y", "x"]},
        supplemental={"x": ["p1"]},
        couples=[Couple("c1", "c2", ["h"], ["p1"])],
        applicant_types={"x": "US MD", "c1": "US DO"},
    )
    order = [4, 2, 0, 3, 1]
    r = m.with_applicant_order(order)
    assert r.applicant_ids == tuple(m.applicant_ids[i] for i in order)
    assert r.applicant_rankings() == m.applicant_rankings()
    assert r.program_rankings() == m.program_rankings()
    assert r.supplemental_lists() == m.supplemental_lists()
    assert r.couples() == m.couples()
    assert dict(zip(r.applicant_ids, r.applicant_type, strict=True)) == dict(
        zip(m.applicant_ids, m.applicant_type, strict=True)
    )
    for bad in ([0, 1, 2, 3], [0, 0, 1, 2, 3], [0, 1, 2, 3, 5]):
        with pytest.raises(ValueError, match="permutation of the 5 applicants"):
            m.with_applicant_order(bad)
