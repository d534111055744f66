"""Calendar, reminder settings, the feed, notifications and an unsubscribe link, on a phone."""

from __future__ import annotations

import re
import urllib.request
from datetime import timedelta
from typing import Any

import icalendar
import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from preceptor.accounts.models import User
from preceptor.letters import services as letters
from preceptor.notify import engine
from preceptor.notify.models import Reminder
from preceptor.notify.sync import get_preferences
from tests.browser.conftest import (
    PHONE,
    check_page,
)
from tests.conftest import PASSWORD
from tests.letters.factories import make_request

pytestmark = pytest.mark.xdist_group("browser")


def _log_in(page: Page, base: str) -> None:
    page.goto(base + "/account/login/")
    page.get_by_label("Email", exact=True).fill("alice@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_calendar_settings_feed_notifications_unsubscribe(
    page: Page, live_server: Any, alice: User
) -> None:
    page.set_viewport_size(PHONE)
    base = live_server.url
    make_request(alice, "agreed", writer_reminders=True)
    make_request(alice, "planned")
    _log_in(page, base)

    # The calendar: eight weeks, the letters chart, interviews.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Calendar").click()
    expect(page.get_by_role("heading", name="Calendar", exact=True)).to_be_visible()
    expect(
        page.get_by_role("img", name=re.compile("Letters against their deadlines"))
    ).to_be_visible()
    check_page(page, "notify-01-calendar")

    day = letters.today_for(alice) + timedelta(days=10)
    page.get_by_label("Program or school").fill("Lakeside University Internal Medicine")
    page.get_by_label("Date", exact=True).fill(day.isoformat())
    page.get_by_label("Location").fill("Chicago, IL")
    page.get_by_role("button", name="Add interview").click()
    expect(page.get_by_text("Interview added to your calendar.")).to_be_visible()
    event = "Interview: Lakeside University Internal Medicine (Chicago, IL)"
    expect(page.get_by_text(event)).to_be_visible()

    # Reminder settings.
    page.get_by_role("link", name="Reminder settings").click()
    page.get_by_label("Time zone").select_option("Europe/Paris")
    page.get_by_label("Digest day").select_option("4")
    page.get_by_label("Hour of the day").select_option("18")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Reminder settings saved.")).to_be_visible()
    prefs = get_preferences(alice)
    assert (prefs.digest_weekday, prefs.digest_hour) == (4, 18)
    expect(page.get_by_text(re.compile(r"Next digest: Friday .*18:00"))).to_be_visible()

    # The calendar feed: created once, shown once, readable by a calendar app.
    page.get_by_role("button", name="Create my calendar address").click()
    feed_url = page.get_by_label(re.compile("Your calendar address")).input_value()
    check_page(page, "notify-02-settings")
    with urllib.request.urlopen(feed_url, timeout=10) as response:  # noqa: S310 - live server
        cal = icalendar.Calendar.from_ical(response.read())
    summaries = [str(e["SUMMARY"]) for e in cal.walk("VEVENT")]
    assert event in summaries

    # Notifications.
    page.get_by_role("link", name="Notifications", exact=True).click()
    # The writer's yes arrived through the letters app's signal.
    expect(
        page.locator(".notify-title", has_text="Ana Patel agreed to write your letter.")
    ).to_be_visible()
    check_page(page, "notify-03-notifications")
    page.get_by_role("button", name=re.compile(r"Mark all \d+ as read")).click()
    expect(page.get_by_text(re.compile(r"Marked \d+ as read\."))).to_be_visible()
    expect(page.locator(".notify-item.unread")).to_have_count(0)

    # An email arrives; its unsubscribe link works without logging in.
    Reminder.objects.filter(user=alice, status="pending").update(
        send_at=timezone.now() - timedelta(minutes=1), channel="email"
    )
    engine.send_due()
    mine = [m for m in mail.outbox if m.to == ["alice@example.org"]]
    assert mine
    link = re.search(r"http://\S+/unsubscribe/\S+/", mine[0].body)
    assert link
    page.get_by_role("button", name="Log out").click()
    page.goto(link.group(0).replace("http://127.0.0.1:8000", base))
    expect(page.get_by_role("heading", name="Stop reminder emails?")).to_be_visible()
    check_page(page, "notify-04-unsubscribe")
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
    assert get_preferences(alice).unsubscribed
    page.goto(base + "/unsubscribe/forged-token/")
    expect(page.get_by_role("heading", name="This unsubscribe link does not work")).to_be_visible()
    check_page(page, "notify-05-bad-link")
