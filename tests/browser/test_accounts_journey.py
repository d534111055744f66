"""A new user, on a phone-sized screen: sign up, profile, log out, reset, log in, delete."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from preceptor.accounts.models import User
from tests.browser.conftest import (
    PHONE,
    check_page,
)

pytestmark = pytest.mark.xdist_group("browser")


def test_the_whole_account_life(page: Page, live_server: Any, settings: Any) -> None:
    page.set_viewport_size(PHONE)
    base = live_server.url

    page.goto(base + "/")
    check_page(page, "01-home")
    page.get_by_role("link", name="Create your account").click()

    # Sign up, with one mistake first: the form keeps what was typed.
    page.get_by_label("Full name").fill("Sam Patel")
    page.get_by_label("Email", exact=True).fill("sam@example.org")
    page.get_by_label("Password", exact=True).fill("a sturdy passphrase 1")
    page.get_by_label("Password again").fill("a different one")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("The two passwords are not the same.")).to_be_visible()
    expect(page.get_by_label("Email", exact=True)).to_have_value("sam@example.org")
    check_page(page, "02-signup-error")
    page.get_by_label("Password", exact=True).fill("a sturdy passphrase 1")
    page.get_by_label("Password again").fill("a sturdy passphrase 1")
    page.get_by_role("button", name="Create account").click()

    # Profile.
    expect(page.get_by_role("heading", name="Your profile")).to_be_visible()
    page.get_by_label("Stage").select_option("medical_student")
    page.get_by_label("School or institution").fill("State University School of Medicine")
    page.get_by_label("Graduation year").fill("2028")
    page.get_by_label("Target application cycle").fill("2027")
    page.get_by_label("Specialty of interest").fill("Pediatrics")
    page.get_by_label("Time zone").select_option("America/Chicago")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Profile saved.")).to_be_visible()
    check_page(page, "03-profile")
    assert User.objects.get(email="sam@example.org").profile.time_zone == "America/Chicago"

    page.get_by_role("link", name="Dashboard").click()
    progress = page.get_by_role("progressbar", name="Profile completeness")
    expect(progress).to_have_attribute("value", "100")
    check_page(page, "04-dashboard")

    # Log out, then forget the password.
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You are logged out.")).to_be_visible()
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email", exact=True).fill("sam@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/account/password/reset/\S+/", mail.outbox[0].body)
    assert link
    page.goto(link.group(0))
    page.get_by_label("New password", exact=True).fill("an even better passphrase 2")
    page.get_by_label("New password confirmation").fill("an even better passphrase 2")
    check_page(page, "05-reset")
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_text("Your password has been reset.")).to_be_visible()

    # Log in with the new password.
    page.get_by_label("Email", exact=True).fill("sam@example.org")
    page.get_by_label("Password").fill("an even better passphrase 2")
    check_page(page, "06-login")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Hello, Sam Patel")).to_be_visible()

    # Delete the account.
    page.get_by_role("link", name="Account").click()
    check_page(page, "07-account")
    page.get_by_role("link", name="Delete your account and all your data").click()
    page.get_by_label("Your password").fill("an even better passphrase 2")
    page.get_by_label("I understand").check()
    check_page(page, "08-delete")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("Your account and all its data have been deleted.")).to_be_visible()
    assert not User.objects.filter(email="sam@example.org").exists()


def test_lockout_message_in_the_browser(page: Page, live_server: Any, alice: User) -> None:
    page.goto(live_server.url + "/account/login/")
    for _ in range(5):
        page.get_by_label("Email", exact=True).fill("alice@example.org")
        page.get_by_label("Password").fill("wrong password")
        page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Too many failed log-in attempts")).to_be_visible()
    check_page(page, "09-lockout")
