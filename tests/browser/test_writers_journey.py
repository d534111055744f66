"""Writer, applicant and recipient, each in their own browser context, on a phone-sized screen.

The writer (no session) opens the emailed link, agrees and uploads; the applicant sees that
the letter was received but never its content, and delivers it; the recipient downloads it
through their own emailed link; the applicant sees the download in the activity log.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import assert_accessible, assert_fits_width, screenshot
from tests.conftest import make_user
from tests.writers.factories import LETTER_MARKER, letter_pdf, make_request

pytestmark = pytest.mark.xdist_group("browser")

PHONE = {"width": 375, "height": 740}


def check_page(page: Page, name: str) -> None:
    assert_accessible(page)
    assert_fits_width(page)
    screenshot(page, name)
    # Other test sessions clear test-results/ when they start; WRITERS_SHOTS keeps a copy.
    if os.environ.get("WRITERS_SHOTS"):
        page.screenshot(path=str(Path(os.environ["WRITERS_SHOTS"]) / f"{name}.png"), full_page=True)


def emailed_link(to: str, path: str) -> str:
    for message in mail.outbox:
        found = re.search(rf"http://\S+/{path}/[A-Za-z0-9_-]+/", message.body)
        if to in message.to and found:
            return found.group(0)
    raise AssertionError(f"no email with a /{path}/ link to {to}")


def test_writer_applicant_and_recipient(
    browser: Browser, live_server: Any, settings: Any, tmp_path: Path
) -> None:
    settings.SITE_URL = live_server.url
    settings.WRITERS_VAULT_DIR = str(tmp_path / "vault")
    settings.WRITERS_FILE_KEYS = [Fernet.generate_key().decode()]
    alice = make_user("alice@example.org", "Alice Owner")
    r = make_request(alice, status="asked", waived=True)

    # The applicant, logged in (a session cookie from the test client).
    client = Client()
    client.force_login(alice)
    applicant_ctx = browser.new_context(viewport=PHONE)
    applicant_ctx.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    applicant = applicant_ctx.new_page()
    applicant.set_default_timeout(8000)
    applicant.goto(f"{live_server.url}/vault/requests/{r.public_id}/")
    applicant.get_by_role("button", name="Email the link to dana@example.edu").click()
    expect(applicant.get_by_text("The link is on its way")).to_be_visible()
    check_page(applicant, "writers-01-applicant-sent-link")

    # The writer: a fresh context, no account, no session.
    writer_ctx = browser.new_context(viewport=PHONE)
    writer = writer_ctx.new_page()
    writer.set_default_timeout(8000)
    writer.goto(emailed_link("dana@example.edu", "writer"))
    expect(writer.get_by_role("heading", name="Letter request from Alice Owner")).to_be_visible()
    check_page(writer, "writers-02-writer-opens-link")
    writer.get_by_label("Yes, I can write a strong letter").check()
    writer.get_by_role("button", name="Send my answer").click()
    expect(writer.get_by_text("Thank you! Your yes has been passed on.")).to_be_visible()
    data = letter_pdf(pages=2)
    writer.get_by_label("Your letter (PDF)").set_input_files(
        {"name": "letter.pdf", "mimeType": "application/pdf", "buffer": data}
    )
    writer.get_by_role("button", name="Upload the letter").click()
    expect(writer.get_by_text("Your letter (2 pages) is stored")).to_be_visible()
    check_page(writer, "writers-03-writer-uploaded")

    # The applicant sees "received", and nothing of the content.
    applicant.reload()
    expect(applicant.get_by_text("received", exact=True).first).to_be_visible()
    expect(applicant.get_by_text("You waived your right to read this letter")).to_be_visible()
    assert LETTER_MARKER not in applicant.content()
    assert applicant.get_by_role("link", name="Download your copy").count() == 0
    applicant.get_by_label("Recipient", exact=True).fill("Fellowship committee")
    applicant.get_by_label("Recipient's email").fill("committee@example.edu")
    applicant.get_by_role("button", name="Deliver").click()
    expect(applicant.get_by_text("Delivered: Fellowship committee")).to_be_visible()
    check_page(applicant, "writers-04-applicant-delivered")

    # The recipient, through their own emailed link.
    recipient_ctx = browser.new_context(viewport=PHONE, accept_downloads=True)
    recipient = recipient_ctx.new_page()
    recipient.set_default_timeout(8000)
    recipient.goto(emailed_link("committee@example.edu", "d"))
    expect(recipient.get_by_text("Dear Fellowship committee")).to_be_visible()
    check_page(recipient, "writers-05-recipient")
    with recipient.expect_download() as info:
        recipient.get_by_role("button", name="Download the letter (PDF)").click()
    assert Path(info.value.path()).read_bytes() == data

    applicant.reload()
    expect(applicant.get_by_text("Letter downloaded by Fellowship committee")).to_be_visible()
    assert LETTER_MARKER not in applicant.content()
    check_page(applicant, "writers-06-applicant-audit")

    # A revoked writer link: the friendly page, nothing else.
    applicant.get_by_role("button", name="Revoke").first.click()
    expect(applicant.get_by_text("The link is revoked")).to_be_visible()
    writer.goto(emailed_link("dana@example.edu", "writer"))
    expect(writer.get_by_role("heading", name="This link does not work")).to_be_visible()
    assert "Alice" not in writer.content()
    check_page(writer, "writers-07-revoked-link")
    for ctx in (applicant_ctx, writer_ctx, recipient_ctx):
        ctx.close()
