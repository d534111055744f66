"""The life cycle table, checked pair by pair (pure; no database)."""

from __future__ import annotations

import itertools

import pytest

from preceptor.letters import lifecycle as lc

ALLOWED = {
    ("candidate", "planned"),
    ("candidate", "asked"),
    ("planned", "candidate"),
    ("planned", "asked"),
    ("asked", "agreed"),
    ("asked", "hesitant"),
    ("asked", "declined"),
    ("hesitant", "agreed"),
    ("hesitant", "declined"),
    ("hesitant", "packet_sent"),
    ("hesitant", "form_sent"),
    ("hesitant", "submitted"),
    ("agreed", "packet_sent"),
    ("agreed", "form_sent"),
    ("agreed", "reminded"),
    ("agreed", "submitted"),
    ("agreed", "declined"),
    ("packet_sent", "form_sent"),
    ("packet_sent", "reminded"),
    ("packet_sent", "submitted"),
    ("packet_sent", "declined"),
    ("form_sent", "reminded"),
    ("form_sent", "submitted"),
    ("form_sent", "declined"),
    ("reminded", "reminded"),
    ("reminded", "submitted"),
    ("reminded", "declined"),
    ("submitted", "thanked"),
    ("thanked", "outcome_shared"),
}
PAIRS = list(itertools.product(lc.STATUSES, repeat=2))


def test_the_statuses_are_exactly_the_agreed_keys() -> None:
    assert lc.STATUSES == (
        "candidate",
        "planned",
        "asked",
        "agreed",
        "hesitant",
        "declined",
        "packet_sent",
        "form_sent",
        "reminded",
        "submitted",
        "thanked",
        "outcome_shared",
    )
    assert set(lc.TRANSITIONS) == set(lc.STATUSES) == set(lc.LABELS) == set(lc.NEXT_ACTION)
    assert set(lc.WRITER_LABELS) == set(lc.STATUSES)
    assert not any("_" in label for label in [*lc.LABELS.values(), *lc.WRITER_LABELS.values()])


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_applicant_may_make_exactly_the_table_moves(a: str, b: str) -> None:
    assert lc.can_transition(a, b) == ((a, b) in ALLOWED)


@pytest.mark.parametrize(("a", "b"), [p for p in PAIRS if p not in ALLOWED])
def test_every_forbidden_move_is_explained(a: str, b: str) -> None:
    message = lc.explain_refusal(a, b)
    assert f"“{lc.LABELS[a]}”" in message
    assert "_" not in message  # in the user's words, never "packet_sent"
    if lc.TRANSITIONS[a]:
        assert "can only go to" in message


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_a_writer_only_answers_and_confirms(a: str, b: str) -> None:
    expected = (a, b) in ALLOWED and (
        (a == "asked" and b in ("agreed", "hesitant", "declined")) or b == "submitted"
    )
    assert lc.can_transition(a, b, actor="writer") == expected


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_portal_only_confirms_and_system_only_reminds(a: str, b: str) -> None:
    assert lc.can_transition(a, b, actor="portal") == ((a, b) in ALLOWED and b == "submitted")
    assert lc.can_transition(a, b, actor="system") == ((a, b) in ALLOWED and b == "reminded")


def test_declined_and_outcome_shared_are_final() -> None:
    assert lc.allowed_for("declined") == []
    assert lc.allowed_for("outcome_shared") == []
    assert "last step" in lc.explain_refusal("declined", "asked")


def test_unknown_status_or_actor_is_an_error() -> None:
    with pytest.raises(ValueError, match="not a letter request status"):
        lc.can_transition("asked", "accepted")
    with pytest.raises(ValueError, match="not an actor"):
        lc.can_transition("asked", "agreed", actor="dean")


def test_every_status_is_reachable_from_candidate() -> None:
    seen, todo = {"candidate"}, ["candidate"]
    while todo:
        for nxt in lc.TRANSITIONS[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    assert seen == set(lc.STATUSES)


@pytest.mark.parametrize("status", lc.STATUSES)
def test_menu_offers_the_allowed_moves_usual_first_declined_last(status: str) -> None:
    moves = lc.menu(status)
    assert sorted(moves) == sorted(lc.allowed_for(status))
    if status in lc.USUAL_NEXT:
        assert moves[0] == lc.USUAL_NEXT[status]
    if "declined" in moves and len(moves) > 1:
        assert moves[0] != "declined"
