"""Numbers agree with their nouns in every sentence a user reads."""

from __future__ import annotations

import pytest

from preceptor.lib.text import count


@pytest.mark.parametrize(
    ("args", "kwargs", "expected"),
    [
        ((0, "letter"), {}, "0 letters"),
        ((1, "letter"), {}, "1 letter"),
        ((2, "letter"), {}, "2 letters"),
        ((1, "more yes", "more yeses"), {}, "1 more yes"),
        ((3, "more yes", "more yeses"), {}, "3 more yeses"),
        ((0, "contact"), {"words": True}, "no contacts"),
        ((1, "contact"), {"words": True}, "one contact"),
        ((12, "week"), {"words": True}, "12 weeks"),
    ],
)
def test_count_agrees(args: tuple, kwargs: dict, expected: str) -> None:
    assert count(*args, **kwargs) == expected
