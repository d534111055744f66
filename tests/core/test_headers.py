"""Content-Security-Policy and Permissions-Policy on every response, and templates that
need nothing the policy forbids (inline script, event handlers, style attributes)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from preceptor.accounts.models import User

ROUTES = [
    "/",
    "/account/login/",
    "/dashboard/",
    "/mentors/",
    "/letters/",
    "/vault/",
    "/programs/",
    "/api/v1/docs",
    "/api/v1/openapi.json",
    "/api/v1/account/me",
    "/static/css/preceptor.css",
    "/static/js/preceptor.js",
    "/no-such-page/",
    "/writer/" + "z" * 43 + "/",
]


@pytest.mark.parametrize("path", ROUTES)
@pytest.mark.parametrize("who", ["anonymous", "alice"])
def test_every_response_carries_the_policies(path: str, who: str, alice: User) -> None:
    client = Client()
    if who == "alice":
        client.force_login(alice)
    response = client.get(path)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions
    # The headers that were there before stay.
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_a_post_answer_and_an_api_error_carry_them_too(alice: User) -> None:
    response = Client().post("/account/login/", {"username": "x@example.org", "password": "x"})
    assert "Content-Security-Policy" in response and "Permissions-Policy" in response
    response = Client().patch("/api/v1/account/me", data="{}", content_type="application/json")
    assert response.status_code in (401, 403)
    assert "Content-Security-Policy" in response and "Permissions-Policy" in response


def _templates() -> list[Path]:
    root = Path(settings.BASE_DIR) / "templates"
    # Emails are read by mail clients, where inline styles are the only styles there are.
    return [p for p in root.rglob("*.html") if "emails" not in p.relative_to(root).parts]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", re.I)
HANDLER = re.compile(r"""<[^>]*\son[a-z]+\s*=""", re.I)
STYLE = re.compile(r"""<[^>]*\sstyle\s*=|<style\b""", re.I)
HX_ON = re.compile(r"""\shx-on[:-]|\shx-vals\s*=\s*['"]js:""", re.I)


def test_no_template_holds_inline_script_handlers_or_styles() -> None:
    problems = []
    for path in _templates():
        text = path.read_text()
        for name, pattern in (
            ("inline <script>", INLINE_SCRIPT),
            ("on*= handler", HANDLER),
            ("style", STYLE),
            ("htmx eval", HX_ON),
        ):
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{path.name}:{line}: {name}")
    assert problems == []


def test_the_scan_would_catch_what_it_looks_for() -> None:
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/js/x.js" defer></script>')
    assert HANDLER.search('<a href="#" onclick="go()">')
    assert HANDLER.search('<button type="button"\n  onClick="x()">')
    assert STYLE.search('<p style="color: red">') and STYLE.search("<style>p{}</style>")
    assert HX_ON.search('<button hx-on:click="x()">')
