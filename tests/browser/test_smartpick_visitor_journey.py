"""SmartPick without an account, on a phone: the home page's "Build my program list",
the profile, the list, a new budget moving the curve, the CSV, then "Save my list" into
a new account with the list intact."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from preceptor.accounts.models import User
from preceptor.smartpick import services
from preceptor.smartpick.models import ApplicantProfile
from tests.browser.conftest import assert_accessible, assert_fits_width, screenshot
from tests.conftest import PASSWORD

pytestmark = pytest.mark.xdist_group("browser")

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def check_page(page: Page, name: str) -> None:
    assert_accessible(page)
    assert_fits_width(page)
    screenshot(page, name)


def curve_point(page: Page) -> float:
    return float(page.locator("svg.sp-curve circle.point").get_attribute("data-p") or "nan")


def test_a_visitor_builds_a_list_and_saves_it_into_a_new_account(
    page: Page, live_server: Any, tmp_path: Path
) -> None:
    services.load_catalogue()  # the synthetic catalogue, before the clock starts
    page.set_default_navigation_timeout(30_000)
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/")
    check_page(page, "visitor-01-home")
    page.get_by_role("link", name="Build my program list — no account").click()

    expect(page.get_by_role("heading", name="Your SmartPick profile")).to_be_visible()
    expect(page.get_by_text("No account needed")).to_be_visible()
    page.get_by_label("You are").select_option("md")
    page.get_by_label("Target specialty").fill("Internal Medicine")
    page.get_by_label("Step 2 CK score").fill("236")
    page.get_by_label("Home state").select_option("OH")
    page.get_by_label("State of your medical school").select_option("OH")
    page.get_by_label("States where you have ties").fill("MI, PA")
    page.get_by_label("Budget: number of applications").fill("6")
    page.get_by_label("Gold signals available").fill("1")
    page.get_by_label("Silver signals available").fill("2")
    check_page(page, "visitor-02-profile")
    page.get_by_role("button", name="Save and show my list").click()

    expect(page.get_by_role("heading", name="Your program list")).to_be_visible()
    expect(page.locator(".sp-row")).to_have_count(6)
    expect(page.get_by_role("heading", name="Save my list")).to_be_visible()
    before = curve_point(page)
    check_page(page, "visitor-03-list")

    # A bigger budget: the list grows and the curve's point moves up.
    page.get_by_label("Budget: number of applications").fill("20")
    page.get_by_role("button", name="Update").click()
    expect(page.locator(".sp-row")).to_have_count(20)
    expect(page.locator("svg.sp-curve circle.point")).to_have_attribute("data-budget", "20")
    after = curve_point(page)
    assert after > before
    check_page(page, "visitor-04-budget")
    page.set_viewport_size(DESKTOP)
    check_page(page, "visitor-04-budget-desktop")
    page.set_viewport_size(PHONE)

    with page.expect_download() as info:
        page.get_by_role("link", name="Download as CSV").click()
    target = tmp_path / "list.csv"
    info.value.save_as(target)
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"))))
    codes = [r[1] for r in rows if r and r[0].isdigit()]
    assert len(codes) == 20

    # Save my list: sign up, come back to the same list, now in the account.
    page.get_by_role("link", name="Save my list: create an account").click()
    page.get_by_label("Email", exact=True).fill("vic@example.org")
    page.get_by_label("Full name").fill("Vic Visitor")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    check_page(page, "visitor-05-signup")
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_text("Your program list is saved in your account.")).to_be_visible()
    expect(page.get_by_role("heading", name="Your program list")).to_be_visible()
    expect(page.locator(".sp-row")).to_have_count(20)
    expect(page.get_by_role("heading", name="Save my list")).to_have_count(0)
    assert curve_point(page) == after
    check_page(page, "visitor-06-saved")
    page.set_viewport_size(DESKTOP)
    check_page(page, "visitor-06-saved-desktop")

    profile = ApplicantProfile.objects.get(user=User.objects.get(email="vic@example.org"))
    assert profile.budget_applications == 20 and profile.tie_states == ["MI", "PA"]
    assert [r.code for r in services.recommendation_for(profile).rows] == codes
