"""Walk every URL route and check who may see it.

Each app registers its routes in ``tests/<app>/routes.py`` with :func:`route`. For every
registered route the isolation test checks, with objects that belong to alice:

- anonymous → a redirect to the login page (pages) or 401 (API), or for a route open to
  visitors (``anonymous_status``) that status, 404 for alice's object;
- alice, the owner → the expected success status;
- charlie, a stranger → 404 for a route naming one of alice's objects; for a route that
  names none (a list, the dashboard), 200 and none of alice's marker strings in the page.

``test_every_route_is_registered`` fails when a new route is neither registered nor
declared public, so no route escapes these checks.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from preceptor.accounts.models import User

# What a route's setup returns: the URL kwargs naming alice's object (empty for none),
# and strings that identify alice's data and must never reach charlie.
Setup = Callable[[User], tuple[dict[str, Any], list[str]]]


@dataclass(frozen=True)
class Route:
    name: str
    setup: Setup
    method: str = "GET"
    data: dict[str, Any] = field(default_factory=dict)
    owner_status: int = 200
    api: bool = False
    # Routes open to visitors without an account (their own, empty data): the status an
    # anonymous request gets instead of the login page or 401.
    anonymous_status: int | None = None


ROUTES: dict[tuple[str, str], Route] = {}

# Routes anyone may open without logging in (each has its own tests).
PUBLIC = {
    "core:home",
    "core:healthz",
    "accounts:signup",
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "api:openapi-json",
    "api:openapi-view",
    "api:api-root",
}


def public(*names: str) -> None:
    """Declare routes anyone may open without logging in (tokens, feeds); test them yourself."""
    PUBLIC.update(names)


def route(name: str, setup: Setup | None = None, **options: Any) -> Route:
    r = Route(name=name, setup=setup or (lambda user: ({}, [])), **options)
    ROUTES[(r.name, r.method)] = r
    return r


def load_all() -> dict[tuple[str, str], Route]:
    """Import every ``tests/<app>/routes.py`` so that their registrations run."""
    import tests

    for mod in pkgutil.iter_modules(tests.__path__):
        if mod.ispkg:
            try:
                importlib.import_module(f"tests.{mod.name}.routes")
            except ModuleNotFoundError as e:
                if e.name != f"tests.{mod.name}.routes":
                    raise
    return ROUTES


def _walk(patterns: list[Any], namespace: str = "", prefix: str = "") -> Iterator[str]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p.url_patterns, ns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}:{p.name}" if namespace else p.name


def all_route_names() -> set[str]:
    """Every named route of the project, leaving out Django's admin (staff only)."""
    return {name for name in _walk(get_resolver().url_patterns) if not name.startswith("admin:")}
