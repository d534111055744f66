"""On a phone: add a mentor, log an interaction inline, see the cadence reset, draft the
update email; and the demo account's mentor pages."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from preceptor.accounts import services as accounts
from preceptor.mentors import demo as mentors_demo
from preceptor.mentors import services
from preceptor.mentors.models import Mentor
from tests.browser.conftest import (
    PHONE,
    check_page,
    screenshot,
)
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.xdist_group("browser")


def log_in(page: Page, live_server: Any, user: Any) -> None:
    client = client_for(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def test_add_log_reset_and_draft(page: Page, live_server: Any) -> None:
    user = make_user("sam@example.org", "Sam Patel")
    page.set_viewport_size(PHONE)
    log_in(page, live_server, user)
    base = live_server.url

    page.goto(base + "/mentors/")
    check_page(page, "mentors-01-empty")
    page.get_by_role("link", name="Add your first mentor").click()

    # One mistake first: a start date in the future.
    page.get_by_label("Name").fill("Ana Ortiz")
    page.get_by_label("Degree").select_option("MD")
    page.get_by_label(re.compile(r"^Specialty")).fill("Internal Medicine")
    page.get_by_label("Email").fill("ana@example.edu")
    future = services.today_for(user) + dt.timedelta(days=3)
    page.get_by_label("When you started working together").fill(future.isoformat())
    page.get_by_role("button", name="Add mentor").click()
    expect(page.get_by_text("cannot be in the future")).to_be_visible()
    check_page(page, "mentors-02-add-error")
    page.get_by_label("When you started working together").fill("2025-01-10")
    page.get_by_role("button", name="Add mentor").click()
    expect(page.get_by_role("heading", name="Dr. Ana Ortiz, MD")).to_be_visible()

    # An old contact, logged earlier, makes her overdue.
    mentor = Mentor.objects.get(user=user)
    services.log_interaction(mentor, occurred_on=services.today_for(user) - dt.timedelta(days=90))
    page.reload()
    expect(page.locator("#live").get_by_text("Overdue since")).to_be_visible()
    check_page(page, "mentors-03-overdue")

    # Log a meeting inline (htmx): the cadence resets without a page load.
    page.evaluate("window.__marker = 1")
    page.get_by_label("Summary").fill("Talked about the sub-internship.")
    page.get_by_text("Advice, examples, action items").click()
    page.get_by_label("What they suggested you do").fill("Apply for the medicine sub-I")
    page.get_by_role("button", name="Log it").click()
    expect(page.get_by_text("The cadence clock starts again")).to_be_visible()
    expect(page.locator("#live").get_by_text("Overdue since")).to_have_count(0)
    expect(page.locator("#live .badge-ok")).to_contain_text("Next by")
    assert page.evaluate("window.__marker") == 1, "the page reloaded instead of swapping"
    expect(page.locator(".action-open strong")).to_have_text("Apply for the medicine sub-I")
    check_page(page, "mentors-04-logged")
    state = services.cadence_of(mentor, services.today_for(user))
    assert state is not None and state.state == "ok"

    # Follow through, then draft the update.
    page.get_by_role("button", name=re.compile(r"^Done\W+Apply for the medicine")).click()
    expect(page.get_by_text("Not reported back yet.")).to_be_visible()
    page.get_by_role("link", name="Periodic update email").click()
    body = page.get_by_label("Message")
    expect(body).to_contain_text("Dear Dr. Ortiz,")
    expect(body).to_contain_text("Your suggestion “Apply for the medicine sub-I”: done, thank you.")
    href = page.get_by_role("link", name="Open in your email app").get_attribute("href")
    assert href is not None and href.startswith("mailto:ana%40example.edu?subject=")
    check_page(page, "mentors-05-draft")


def test_the_demo_account_on_a_phone(page: Page, live_server: Any) -> None:
    # Only this app's seeder: the whole demo also needs the other apps' settings.
    user = make_user("demo@example.org", "Jordan Rivera")
    accounts.update_profile(
        user, stage="medical_student", specialty_of_interest="Internal Medicine"
    )
    mentors_demo.seed(user)
    page.set_viewport_size(PHONE)
    log_in(page, live_server, user)
    base = live_server.url
    page.goto(base + "/dashboard/")
    panel = page.get_by_role("region", name="Reach out this week")
    expect(panel.get_by_role("link", name="Dr. Marcus Chen")).to_be_visible()
    screenshot(page, "mentors-10-dashboard")
    page.goto(base + "/mentors/")
    check_page(page, "mentors-11-list")
    page.goto(base + "/mentors/?sort=readiness&service=eras&specialty=Internal+Medicine")
    first = page.locator(".mentor-card h2").first
    # The PI supervising now and the clerkship attending lead; an uncontacted prospect trails.
    expect(first).to_have_text("Dr. Marcus Chen")
    expect(page.locator(".mentor-card h2").last).to_have_text("Dr. Sofia Alvarez")
    page.get_by_role("link", name="Dr. Ana Ortiz").click()
    expect(page.get_by_role("heading", name="Ready to write?")).to_be_visible()
    expect(page.get_by_text("Knows you 14 months.")).to_be_visible()
    check_page(page, "mentors-12-detail")
    page.goto(base + "/mentors/network/")
    check_page(page, "mentors-13-network")
    page.goto(base + "/mentors/achievements/")
    check_page(page, "mentors-14-achievements")
    page.goto(base + "/mentors/import/")
    check_page(page, "mentors-15-import")
