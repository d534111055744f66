"""The requirement checker, table-driven per service, on the shipped rules (pure)."""

from __future__ import annotations

import json

import pytest

from preceptor.letters import rulebook
from preceptor.letters.rules import RequestFacts as R
from preceptor.letters.rules import RuleSet, check, merge, parse_requirements, resolve


def _shipped() -> list[RuleSet]:
    return [
        RuleSet(
            service=row["service"],
            specialty=row["specialty"],
            name=row["name"],
            min_letters=row["min_letters"],
            max_letters=row["max_letters"],
            requirements=parse_requirements(row["requirements"]),
        )
        for row in rulebook.fixture_rows()
    ]


RULES = _shipped()
YES = "agreed"

# service, specialty, requests, expected summary, complete?, a phrase among the lines
TABLE = [
    (
        "eras",
        "Emergency Medicine",
        [R(YES, "standardized"), R("asked", "standardized"), R(YES, category="other_field")],
        "ERAS emergency medicine: 1 of 2 letters from your specialty agreed; 1 of 2 SLOEs agreed;"
        " 3 of at most 4 letters",
        False,
        "1 of 2 SLOEs agreed (1 awaiting a firm answer)",
    ),
    (
        "eras",
        "Emergency Medicine",
        [R(YES, "standardized"), R("submitted", "standardized"), R(YES, category="in_specialty")],
        "ERAS emergency medicine: 2 of 2 letters from your specialty agreed; 2 of 2 SLOEs agreed;"
        " 3 of at most 4 letters",
        True,
        "3 letters agreed (at least 3)",
    ),
    (
        "eras",
        "Internal Medicine",
        [R(YES, category="in_specialty")] * 3,
        "ERAS internal medicine: 2 of 2 letters from your specialty agreed; 0 of 1 department of"
        " medicine letter agreed; 3 of at most 4 letters",
        True,
        "Many programs ask for one",
    ),
    (
        "eras",
        "Internal Medicine",
        [R(YES, category="in_specialty")] * 4 + [R("planned")],
        None,
        False,
        "5 letters are on this application but at most 4",
    ),
    (
        "eras",
        "Pediatrics",  # no specialty rule: the ERAS rule alone
        [R(YES, category="in_specialty"), R("declined", category="in_specialty")],
        "ERAS residency: 1 of 2 letters from your specialty agreed; 1 of at most 4 letters",
        False,
        "find 1 more writer",
    ),
    (
        "eras",
        "General Surgery",
        [R(YES, category="in_specialty")] * 3,
        None,
        False,
        "0 of 1 department chair letter agreed",
    ),
    (
        "amcas",
        "",
        [R(YES, category="science"), R(YES, category="science"), R(YES, category="non_science")],
        "AMCAS: 2 of 2 letters from science faculty agreed; 1 of 1 letter from non-science"
        " faculty agreed; 3 of at most 10 letters",
        True,
        "3 letters agreed",
    ),
    ("amcas", "", [R(YES, "committee")], None, False, "covered by your committee letter"),
    ("aacomas", "", [R(YES), R(YES)], None, True, "Some DO schools require one"),
    ("tmdsas", "", [R(YES)] * 5, None, False, "at most 4 can be used"),
    ("tmdsas", "", [R(YES, "committee"), R(YES), R(YES)], None, True, "covered by your committee"),
    (
        "eras_fellowship",
        "",
        [R(YES, "program_director"), R(YES), R(YES)],
        None,
        True,
        "1 of 1 letter from your program director agreed",
    ),
    (
        "direct",
        "",
        [R("asked")],
        "Interfolio or direct: 1 letter (no limit)",
        False,
        "0 of the 1 letter you need",
    ),
    ("carms", "", [R(YES)] * 3, "CaRMS: 3 letters (no limit)", True, "3 letters agreed"),
    ("other", "", [], "Other application: 0 letters (no limit)", True, "No writers yet"),
]


@pytest.mark.parametrize(
    ("service", "specialty", "requests", "summary", "complete", "phrase"), TABLE
)
def test_checker(service, specialty, requests, summary, complete, phrase) -> None:  # type: ignore[no-untyped-def]
    coverage = check(resolve(RULES, service, specialty), requests)
    if summary is not None:
        assert coverage.summary == summary
    assert coverage.complete is complete, coverage.lines
    assert any(phrase in line.text for line in coverage.lines), [x.text for x in coverage.lines]


def test_every_service_has_a_shipped_rule_with_a_source() -> None:
    rows = rulebook.fixture_rows()
    services = {r["service"] for r in rows if not r["specialty"]}
    assert services == {
        "amcas",
        "aacomas",
        "tmdsas",
        "eras",
        "eras_fellowship",
        "direct",
        "carms",
        "other",
    }
    assert all(r["source"].strip() for r in rows)
    eras = next(r for r in rows if r["service"] == "eras" and not r["specialty"])
    assert eras["max_letters"] == 4 and float(eras["max_file_mb"]) == 1.0


def test_a_program_limit_below_the_service_limit_wins() -> None:
    coverage = check(resolve(RULES, "eras"), [R(YES, category="in_specialty")] * 4, max_letters=3)
    assert "4 of at most 3 letters" in coverage.summary
    assert not coverage.complete


def test_specialty_matching_ignores_case() -> None:
    assert resolve(RULES, "eras", "emergency medicine").name == "ERAS emergency medicine"


def test_merge_adds_requirements_and_keeps_the_service_limit() -> None:
    base = RuleSet("eras", "ERAS", max_letters=4, min_letters=3)
    special = RuleSet("eras", "ERAS EM", specialty="EM", min_letters=2)
    merged = merge(base, special)
    assert (merged.max_letters, merged.min_letters, merged.name) == (4, 3, "ERAS EM")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "must be a list"),
        ([{"count": 1}], "needs a label"),
        ([{"label": "x", "count": 0}], "count must be"),
        ([{"label": "x", "kinds": ["sloe"]}], "unknown kinds"),
        ([{"label": "x", "colour": "red"}], "unknown keys"),
    ],
)
def test_bad_requirements_are_refused_with_a_reason(data, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=message):
        parse_requirements(data)


def test_fixture_is_valid_json_with_unique_keys() -> None:
    rows = json.loads(rulebook.FIXTURE.read_text())
    keys = [(r["service"], r["specialty"]) for r in rows]
    assert len(keys) == len(set(keys))
