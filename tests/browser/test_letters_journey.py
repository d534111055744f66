"""On a phone: create an ERAS application, plan four letters, record a yes, build the packet,
mark it submitted, send thanks."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from preceptor.letters.models import Application, LetterRequest
from tests.browser.conftest import (
    PHONE,
    check_page,
)
from tests.conftest import PASSWORD, make_user
from tests.letters.factories import make_mentor, pdf_bytes

pytestmark = pytest.mark.xdist_group("browser")


def record(page: Page, status: str, **fields: str) -> None:
    page.get_by_label("Record what happened").select_option(status)
    for label, value in fields.items():
        field = page.get_by_label(label)
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    page.get_by_role("button", name="Record", exact=True).click()


def test_a_letter_from_the_ask_to_the_thank_you(
    page: Page, live_server: Any, tmp_path: Any
) -> None:
    user = make_user("jordan@example.org", "Jordan Rivera")
    for name in ("Ana Patel", "Marcus Green", "Omar Haddad"):
        make_mentor(user, name, specialty="Internal Medicine")
    make_mentor(user, "Lena Fischer", specialty="Cardiology research", degree="PhD")
    page.set_viewport_size(PHONE)
    base = live_server.url
    page.goto(base + "/account/login/")
    page.get_by_label("Email").fill("jordan@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(base + "/letters/")
    expect(page.get_by_text("No applications yet")).to_be_visible()
    page.get_by_role("link", name="Add an application").click()

    # A deadline in the past first: a clear message, nothing saved.
    page.get_by_label("Service").select_option("eras")
    page.get_by_label("Specialty").fill("Internal Medicine")
    page.get_by_label("Cycle").fill("2027")
    page.get_by_label("Official letter deadline").fill("2020-09-15")
    page.get_by_role("button", name="Add application").click()
    expect(page.get_by_text("is in the past")).to_be_visible()
    check_page(page, "letters-01-application-error")
    assert not Application.objects.exists()
    deadline = dt.date.today() + dt.timedelta(days=45)
    page.get_by_label("Official letter deadline").fill(deadline.isoformat())
    page.get_by_role("textbox", name="Programs (optional)").fill(
        "State University IM\nCounty Medical Center IM"
    )
    page.get_by_role("button", name="Add application").click()
    expect(
        page.get_by_role("heading", name="ERAS residency Internal Medicine 2027")
    ).to_be_visible()

    # Plan four letters.
    for _ in range(4):
        page.get_by_label("Mentor").select_option(index=1)
        page.get_by_role("button", name="Add writer").click()
        expect(page.get_by_text("added as planned")).to_be_visible()
    assert LetterRequest.objects.filter(status="planned").count() == 4
    expect(page.get_by_text("4 of at most 4 letters")).to_be_visible()
    check_page(page, "letters-02-application")

    # Upload the CV for the packet; a non-PDF is refused first.
    bad = tmp_path / "cv.pdf"
    bad.write_bytes(b"this is not a pdf")
    page.get_by_label("PDF file").set_input_files(str(bad))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("is not a PDF")).to_be_visible()
    good = tmp_path / "good.pdf"
    good.write_bytes(pdf_bytes(1, "Jordan CV"))
    page.get_by_label("PDF file").set_input_files(str(good))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("“CV” version 1 uploaded and checked.")).to_be_visible()

    # Ask Dr. Patel, who says yes.
    page.get_by_role("link", name="Dr. Ana Patel").click()
    expect(page.locator("#draft-subject")).to_have_value(
        "Would you write me a strong letter for Internal Medicine residency?"
    )
    check_page(page, "letters-03-request-planned")
    record(page, "asked", **{"How you asked": "in_person"})
    expect(page.get_by_text("Marked asked.")).to_be_visible()
    record(page, "agreed", **{"What they said (optional)": "Happy to write."})
    expect(page.get_by_text("Marked agreed (yes).")).to_be_visible()
    expect(page.locator(".next-action")).to_have_text(re.compile("^Within 48 hours"))

    # Build the packet: strengths, then download the PDF.
    page.get_by_label("Strengths to highlight (4 to 6, one a line)").fill(
        "Clinical reasoning\nCommunication\nReliability\nTeaching"
    )
    page.get_by_role("button", name="Save packet details").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name="Download packet (PDF)").click()
    data = Path(info.value.path()).read_bytes()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Letter packet for Dr. Patel" in text and "Clinical reasoning" in text
    assert "Jordan CV" in text
    check_page(page, "letters-04-request-agreed")

    record(page, "packet_sent")
    record(page, "form_sent", **{"Letter ID (when sending the request form)": "ABCD1234"})
    expect(page.get_by_text("Marked request form / letter ID sent.")).to_be_visible()
    record(page, "submitted", **{"If submitted: confirmed by": "portal"})
    expect(page.locator(".next-action")).to_have_text("Send a thank-you note now.")
    page.get_by_label("Which email").select_option("thank_you")
    expect(page.locator("#draft-body")).to_contain_text("Your letter has been received")
    record(page, "thanked")
    expect(page.get_by_text("Marked thanked.")).to_be_visible()
    check_page(page, "letters-05-request-thanked")
    r = LetterRequest.objects.get(status="thanked")
    assert r.letter_id == "ABCD1234" and r.submitted_confirmed_by == "portal"
    assert list(r.transitions.values_list("to_status", flat=True)) == [
        "planned",
        "asked",
        "agreed",
        "packet_sent",
        "form_sent",
        "submitted",
        "thanked",
    ]

    page.get_by_role("link", name="Board", exact=True).click()
    expect(page.get_by_role("heading", name="Thanked 1")).to_be_visible()
    check_page(page, "letters-06-board")
    page.goto(base + "/letters/")
    check_page(page, "letters-07-overview")
