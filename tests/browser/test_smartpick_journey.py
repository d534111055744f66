"""SmartPick on a phone: fill the profile, get the list, change the budget, see the curve
move, filter, view by state, export, and simulate."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from preceptor.smartpick import services
from tests.browser.conftest import (
    PHONE,
    SCREENSHOTS,
    check_page,
    htmx_settled,
)
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.xdist_group("browser")


def curve_point(page: Page) -> float:
    return float(page.locator("svg.sp-curve circle.point").get_attribute("data-p") or "nan")


def test_smartpick_journey(page: Page, live_server: Any, tmp_path: Path) -> None:
    make_user("sam@example.org", "Sam Patel")
    # The first use loads the shipped catalogue (a second or two, more on a busy
    # machine): do it before the clock of the first click starts, as seed_demo does.
    services.load_catalogue()
    page.set_default_navigation_timeout(30_000)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/account/login/")
    page.get_by_label("Email", exact=True).fill("sam@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("link", name="Programs").click()
    expect(page.get_by_text("Synthetic catalogue.")).to_have_count(0)
    check_page(page, "smartpick-01-intro")
    # Where the real programs come from, with the coverage (a public page).
    page.get_by_role("link", name="about these programs").click()
    expect(page.get_by_role("heading", name="By specialty")).to_be_visible()
    check_page(page, "smartpick-01b-about")
    page.go_back()
    page.get_by_role("link", name="Build your list").click()

    # The profile, with two mistakes first: everything typed stays.
    page.get_by_label("You are").select_option("md")
    page.get_by_label("Target specialty").fill("Internal Medicin")
    page.get_by_label("Step 2 CK score").fill("400")
    page.get_by_label("Home state").select_option("OH")
    page.get_by_label("State of your medical school").select_option("OH")
    page.get_by_label("States where you have ties").fill("MI, PA")
    page.get_by_label("Budget: number of applications").fill("6")
    page.get_by_label("Gold signals available").fill("1")
    page.get_by_label("Silver signals available").fill("2")
    page.get_by_role("button", name="Save and show my list").click()
    expect(page.get_by_text("is not a specialty in the program catalogue")).to_be_visible()
    expect(page.get_by_text("A Step 2 CK score is between 180 and 300.")).to_be_visible()
    expect(page.get_by_label("States where you have ties")).to_have_value("MI, PA")
    expect(page.get_by_label("Budget: number of applications")).to_have_value("6")
    check_page(page, "smartpick-02-profile-errors")
    page.get_by_label("Target specialty").fill("Internal Medicine")
    page.get_by_label("Step 2 CK score").fill("236")
    page.get_by_role("button", name="Save and show my list").click()

    # The list: probabilities with ranges, reasons, the curve.
    expect(page.get_by_role("heading", name="Your program list")).to_be_visible()
    expect(page.locator(".sp-row")).to_have_count(6)
    expect(page.locator(".sp-row").first).to_contain_text("Why:")
    expect(page.locator(".sp-row").first).to_contain_text("range")
    expect(page.locator(".sp-row").first).to_contain_text("positions: ")
    expect(page.locator(".sp-row").first).to_contain_text("location: ")
    before = curve_point(page)
    check_page(page, "smartpick-03-list")

    # A bigger budget: the list grows and the curve's point moves up (htmx swap).
    page.get_by_label("Budget: number of applications").fill("25")
    page.get_by_role("button", name="Update").click()
    expect(page.locator(".sp-row")).to_have_count(25)
    expect(page.locator("svg.sp-curve circle.point")).to_have_attribute("data-budget", "25")
    assert curve_point(page) > before
    check_page(page, "smartpick-04-budget")
    page.locator(".sp-summary").screenshot(path=str(SCREENSHOTS / "smartpick-04b-curve.png"))

    # A bad budget: a clear message, nothing changes.
    page.get_by_label("Budget: number of applications").fill("0")
    page.get_by_role("button", name="Update").click()
    expect(page.get_by_text("A budget is at least one application.")).to_be_visible()
    expect(page.locator(".sp-row")).to_have_count(25)
    htmx_settled(page)

    # Filters.
    page.get_by_label("Signal", exact=True).select_option("yes")
    expect(page.locator(".sp-row")).to_have_count(3)
    check_page(page, "smartpick-05-filtered")

    # By state.
    page.get_by_role("link", name="By state").click()
    expect(page.get_by_role("heading", name="Your list by state")).to_be_visible()
    check_page(page, "smartpick-06-states")
    page.get_by_role("link", name="Back to the list").click()

    # Export.
    with page.expect_download() as info:
        page.get_by_role("link", name="Download as CSV").click()
    target = tmp_path / "list.csv"
    info.value.save_as(target)
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert rows[0][0] == "order" and len([r for r in rows if r and r[0].isdigit()]) == 25

    # The simulation (tasks run at once in tests; the page shows the result).
    page.get_by_role("button", name="Run the simulation").click()
    expect(page.get_by_text("Simulated chance of matching with this list")).to_be_visible(
        timeout=60_000
    )
    check_page(page, "smartpick-07-simulated")
