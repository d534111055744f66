"""One page's shared questions: asked once inside ``memo.page()``, every time outside it."""

from __future__ import annotations

from preceptor.lib import memo


def test_outside_a_page_every_question_is_computed_afresh() -> None:
    calls: list[int] = []
    assert memo.once("k", lambda: calls.append(1) or len(calls)) == 1
    assert memo.once("k", lambda: calls.append(1) or len(calls)) == 2


def test_inside_a_page_each_key_is_computed_once_and_forgotten_after() -> None:
    calls: list[str] = []

    def compute(key: str) -> str:
        calls.append(key)
        return key.upper()

    with memo.page():
        assert memo.once("a", lambda: compute("a")) == "A"
        assert memo.once("a", lambda: compute("a")) == "A"
        assert memo.once("b", lambda: compute("b")) == "B"
        assert memo.once(("a", 2), lambda: compute("a2")) == "A2"
    assert calls == ["a", "b", "a2"]
    with memo.page():
        assert memo.once("a", lambda: compute("a")) == "A"
    assert calls == ["a", "b", "a2", "a"]
