"""SmartPick preferences in a browser: the list size and its fees, the tiers explained,
marking a program on the list (a plain form), at phone and desktop widths."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from preceptor.smartpick import services
from tests.browser.conftest import assert_accessible, assert_fits_width, screenshot
from tests.conftest import PASSWORD, make_user
from tests.smartpick.conftest import make_profile

pytestmark = pytest.mark.xdist_group("browser")


def test_preferences_and_the_list_size_at_phone_and_desktop_widths(
    page: Page, live_server: Any
) -> None:
    user = make_user("rosa@example.org", "Rosa Diaz")
    services.load_catalogue()
    make_profile(user, budget_applications=40, match_floor=85)
    page.set_default_navigation_timeout(30_000)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/account/login/")
    page.get_by_label("Email", exact=True).fill("rosa@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + "/programs/")

    size = page.get_by_test_id("list-size")
    expect(size).to_contain_text("Recommended:")
    expect(page.get_by_test_id("fee-saving")).to_contain_text("sends about 40 applications")
    expect(page.get_by_test_id("tier-help")).to_contain_text("under 20%")
    expect(page.get_by_test_id("floor")).to_contain_text("85% chance of matching")
    assert_accessible(page)
    assert_fits_width(page)
    screenshot(page, "smartpick-prefs-01-list-390")

    # Mark the last program on the list a dream: a plain form post, then the list again.
    last = page.locator(".sp-row").last
    code = (last.get_attribute("id") or "").removeprefix("program-")
    last.get_by_label("How much you want it").select_option("dream")
    last.get_by_role("button", name="Save").click()
    expect(page.get_by_text(f"Saved: dream for program {code}")).to_be_visible()
    card = page.locator(f"#program-{code}")
    expect(card.locator(".sp-wish-dream")).to_have_text("dream")
    expect(card).to_contain_text("you marked it “dream”")
    assert services.get_profile(user).program_wishes == {code: "dream"}  # type: ignore[union-attr]
    expect(page.get_by_test_id("by-wish")).to_contain_text("dream:")
    assert_fits_width(page)
    screenshot(page, "smartpick-prefs-02-marked-390")

    # The recommended size in one click.
    page.get_by_role("button", name="Use ").click()
    expect(page.locator(".sp-row")).not_to_have_count(40)

    # The profile page's preference controls, on the phone.
    page.get_by_role("link", name="Edit your profile").click()
    expect(page.get_by_label("Programs you feel strongly about")).to_have_value(f"{code} dream")
    expect(page.get_by_label("The chance of matching you want at least (%)")).to_have_value("85")
    page.get_by_label("How to use the place, size, setting and visa choices above").select_option(
        "prefer"
    )
    assert_accessible(page)
    assert_fits_width(page)
    screenshot(page, "smartpick-prefs-04-profile-390")
    page.get_by_role("button", name="Save and show my list").click()
    expect(page.get_by_text("Profile saved. Here is your list.")).to_be_visible()

    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    assert_accessible(page)
    assert_fits_width(page)
    screenshot(page, "smartpick-prefs-03-list-1280")
