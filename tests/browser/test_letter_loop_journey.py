"""The whole practice of the guides, in a browser: the end of a rotation says "ask now",
the ask is practised and recorded, the mentor's history and cadence follow every step,
and after Match Day "Tell my writers" closes the loop."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from preceptor.letters import services as letters
from preceptor.letters.timeline import match_cycle
from preceptor.mentors import services as mentors
from preceptor.notify.sync import sync_user
from tests.browser.conftest import assert_accessible, assert_fits_width, screenshot
from tests.conftest import PASSWORD, make_user
from tests.letters.factories import make_mentor

pytestmark = pytest.mark.xdist_group("browser")


def test_from_ask_now_to_tell_my_writers(page: Page, live_server: Any) -> None:
    user = make_user("riley@example.org", "Riley Moreno")
    today = letters.today_for(user)
    brooks = make_mentor(user, "Dana Brooks", specialty="Internal Medicine")
    mentors.log_interaction(brooks, occurred_on=today - dt.timedelta(days=6), summary="Rounds")
    mentors.add_period(
        brooks,
        kind="clinical",
        title="medicine clerkship",
        start=today - dt.timedelta(days=25),
        end=today + dt.timedelta(days=10),
        today=today,
    )
    sync_user(user)
    base = live_server.url
    page.goto(base + "/account/login/")
    page.get_by_label("Email").fill("riley@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    # The end of the rotation raises "ask now" on the calendar.
    page.goto(base + "/calendar/")
    expect(page.get_by_text("Ask Dana Brooks for a letter now").first).to_be_visible()

    # An application, and Dr. Brooks planned on it.
    deadline = today + dt.timedelta(days=45)
    app = letters.create_application(
        user,
        service="eras",
        specialty="Internal Medicine",
        cycle=match_cycle(deadline),
        official_deadline=deadline,
    )
    r = letters.plan_request(app, brooks, strengths=["Clinical reasoning"])
    page.goto(base + f"/letters/requests/{r.public_id}/")
    page.get_by_role("link", name="Practise the ask").click()
    expect(page.get_by_role("heading", name="Practise the ask")).to_be_visible()
    expect(page.get_by_text("the medicine clerkship").first).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page)
    screenshot(page, "loop-practice")

    # Asked in person, today: the mentor's last contact is today, and the ask is history.
    page.goto(base + f"/letters/requests/{r.public_id}/")
    page.get_by_label("Record what happened").select_option("asked")
    page.get_by_label("How").select_option("in_person")
    page.get_by_role("button", name="Record", exact=True).click()
    page.goto(base + f"/mentors/{brooks.public_id}/")
    expect(page.get_by_text("Asked for a strong letter").first).to_be_visible()
    expect(page.get_by_text("(today)").first).to_be_visible()
    cadence = mentors.cadence_of(brooks, today)
    assert cadence is not None and cadence.last_contact == today

    # Yes, the letter is in, and after Match Day: what happened, then tell the writer.
    letters.transition(r, "agreed", actor="writer")
    letters.transition(r, "submitted", actor="writer")
    page.goto(base + f"/letters/applications/{app.public_id}/")
    page.get_by_label("Program, school or position").fill("State University Internal Medicine")
    page.get_by_label("What happened").select_option("matched")
    page.get_by_label("Your rank of them").fill("1")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("matched at State University Internal Medicine").first).to_be_visible()
    # The outcomes table scrolls inside its card on a phone: its hidden "Remove ..." labels
    # once stuck out and made the whole page scroll sideways.
    size = page.viewport_size
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    assert_fits_width(page)
    screenshot(page, "loop-outcomes-phone")
    if size:
        page.set_viewport_size(size)
    page.get_by_role("link", name="Tell my writers").click()
    expect(page.locator("textarea").first).to_contain_text("I wanted you to hear it from me")
    assert_accessible(page)
    page.get_by_role("button", name=re.compile(r"Mark .*Dana Brooks as told")).click()
    expect(page.get_by_text("Recorded: you told").first).to_be_visible()
    screenshot(page, "loop-told")

    r.refresh_from_db()
    assert r.status == "outcome_shared" and r.thanked_on is not None
    page.goto(base + f"/mentors/{brooks.public_id}/")
    expect(page.get_by_text("Told them how ERAS").first).to_be_visible()
    expect(page.get_by_text("outcome update sent").first).to_be_visible()
