"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between page actions are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run scripts/ensure-test-tools.sh")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        # The machine has no network: keep Chromium from trying to phone home.
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


def assert_accessible(page: Page) -> None:
    """axe-core finds no violations on the current page."""
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def assert_fits_width(page: Page) -> None:
    """Nothing on the page is wider than the viewport (no sideways scrolling on a phone)."""
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page is {overflow}px wider than the screen"


@pytest.fixture(autouse=True)
def _short_timeouts(page: Page) -> None:
    # A missing element should fail in seconds, not after Playwright's default 30 s.
    page.set_default_timeout(8000)


# A phone-sized viewport for the journeys.
PHONE = {"width": 375, "height": 740}


def check_page(page: Page, name: str) -> None:
    """Accessible, no wider than the viewport, and a screenshot to look at."""
    assert_accessible(page)
    assert_fits_width(page)
    screenshot(page, name)


def htmx_settled(page: Page) -> None:
    """Wait until htmx has finished its swaps. Swapped-in content shows at once, but htmx
    wires up its forms only when the swap settles (about 20 ms later): a change made on
    it before then sends nothing."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
