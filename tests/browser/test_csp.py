"""The main pages under the strict Content-Security-Policy: Chromium reports no violation,
htmx still swaps content, and the behaviours moved out of inline scripts still work."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from playwright.sync_api import ConsoleMessage, Page, expect

from preceptor.core import demo
from preceptor.letters.models import LetterRequest
from preceptor.mentors.models import Mentor

pytestmark = pytest.mark.xdist_group("browser")


def _watch(page: Page) -> list[str]:
    """Every console error and uncaught exception on ``page`` (CSP violations are errors)."""
    problems: list[str] = []

    def on_console(msg: ConsoleMessage) -> None:
        if msg.type == "error" or "Content Security Policy" in msg.text:
            problems.append(f"{page.url}: {msg.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda e: problems.append(f"{page.url}: {e}"))
    return problems


def test_main_pages_work_under_the_policy(
    page: Page, live_server: Any, settings: Any, tmp_path: Path
) -> None:
    settings.WRITERS_VAULT_DIR = str(tmp_path / "vault")
    settings.WRITERS_FILE_KEYS = [Fernet.generate_key().decode()]
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    problems = _watch(page)
    user, _ = demo.seed()
    base = live_server.url

    response = page.goto(base + "/account/login/")
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.get_by_label("Email").fill(demo.DEMO_EMAIL)
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(base + "/dashboard/")

    # htmx: the mentor filter swaps the rows in place (no full page load).
    page.goto(base + "/mentors/")
    page.evaluate("window.__sameDocument = true")
    first = page.locator("#mentor-rows").inner_text()
    page.get_by_text("Filter and sort").click()
    page.get_by_label("Search").fill("zzzz-nobody")
    page.get_by_label("Search").press("Enter")
    expect(page.locator("#mentor-rows")).not_to_have_text(first)
    assert page.evaluate("window.__sameDocument") is True

    # The mentor draft page: the copy button appears (the moved script ran) and copies.
    mentor = Mentor.objects.filter(user=user).first()
    assert mentor is not None
    page.goto(f"{base}/mentors/{mentor.public_id}/drafts/first_contact/")
    copy = page.get_by_role("button", name="Copy text")
    expect(copy).to_be_visible()
    copy.click()
    expect(page.locator("#copy-status")).to_have_text("Copied.")
    assert (
        page.evaluate("navigator.clipboard.readText()") == page.locator("#draft-body").input_value()
    )

    # "Log a contact" focuses the form on the mentor's page instead of leaving it.
    page.goto(f"{base}/mentors/{mentor.public_id}/")
    page.get_by_role("link", name="Log a contact").first.click()
    assert page.evaluate("document.activeElement.id") == "id_log-summary"

    # The request page: htmx swaps the draft, and its copy button still works afterwards.
    r = LetterRequest.objects.filter(application__user=user, status="planned").first() or (
        LetterRequest.objects.filter(application__user=user).first()
    )
    assert r is not None
    page.goto(f"{base}/letters/requests/{r.public_id}/")
    picker = page.locator("#id_draft")
    if picker.count():
        options = picker.locator("option").all()
        picker.select_option(options[-1].get_attribute("value"))
        page.wait_for_load_state("networkidle")
    page.locator("#draft").get_by_role("button", name="Copy").click()
    expect(page.locator("#draft").get_by_role("button", name="Copied")).to_be_visible()

    # The writer request page: a new link to copy, and the copy button.
    page.goto(f"{base}/vault/requests/{r.public_id}/")
    page.get_by_role("button", name="Create a link to copy").click()
    page.get_by_role("button", name="Copy", exact=True).click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()

    for path in ("/dashboard/", "/letters/", "/programs/", "/api/v1/docs"):
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
    expect(page.locator(".swagger-ui").first).to_be_visible()

    assert problems == []
