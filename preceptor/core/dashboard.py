"""Dashboard panels. Apps register a panel: a template and a function building its context."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from preceptor.accounts.models import User


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    context: Callable[[User], dict[str, Any]]
    order: int = 100


_PANELS: dict[str, Panel] = {}


def register(panel: Panel) -> None:
    _PANELS[panel.key] = panel


def panels_for(user: User) -> list[dict[str, Any]]:
    return [
        {"template": p.template, **p.context(user)}
        for p in sorted(_PANELS.values(), key=lambda p: p.order)
    ]
