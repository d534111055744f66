"""Words for numbers in sentences users read: "1 letter", "2 letters", "three weeks".

Plain Python, no Django: the pure domain modules use it too.

>>> count(1, "letter")
'1 letter'
>>> count(2, "more yes", "more yeses")
'2 more yeses'
>>> count(3, "week", words=True)
'three weeks'
>>> count(0, "contact", words=True)
'no contacts'
"""

from __future__ import annotations

__all__ = ["count"]

_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def count(n: int, one: str, many: str | None = None, *, words: bool = False) -> str:
    """``n`` and the noun agreeing with it; small numbers as words when ``words``."""
    number = _NUMBERS[n] if words and 0 <= n < len(_NUMBERS) else str(n)
    return f"{number} {one if n == 1 else (many or one + 's')}"
