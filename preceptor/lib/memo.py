"""Facts that several parts of one page ask for, answered once for that page.

The dashboard's checklist and panels come from different apps, and some ask the same
question (does the user have letter requests? a SmartPick profile?). Inside
``with memo.page():`` — the dashboard's view, which only reads — :func:`once` computes each
fact the first time and hands the same answer to the next asker; the answers go when the
block ends. Outside such a block :func:`once` simply computes, so services, tests and any
code that writes between two questions always see the database as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

_page: ContextVar[dict[Hashable, Any] | None] = ContextVar("preceptor_page_memo", default=None)


@contextmanager
def page() -> Iterator[None]:
    """Answers kept from here to the end of the block (one page that only reads)."""
    token = _page.set({})
    try:
        yield
    finally:
        _page.reset(token)


def once(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, asked once per ``key`` inside :func:`page`, every time outside it."""
    answers = _page.get()
    if answers is None:
        return compute()
    if key not in answers:
        answers[key] = compute()
    return answers[key]
