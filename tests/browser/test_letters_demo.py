"""The demo account on a phone: what is missing per application, what to do this week,
a hesitant writer with backups, and a packet a writer would be glad to receive."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from preceptor.letters import demo
from preceptor.letters.models import LetterRequest
from tests.browser.conftest import assert_accessible, assert_fits_width, screenshot
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.xdist_group("browser")


def test_demo_letters_on_a_phone(page: Page, live_server: Any) -> None:
    user = make_user("demo-letters@example.org", "Jordan Rivera")
    demo.seed(user)
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(live_server.url + "/account/login/")
    page.get_by_label("Email").fill("demo-letters@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    panel = page.get_by_role("region", name="Letters: what to do this week")
    expect(panel).to_be_visible()
    expect(panel.get_by_role("listitem").first).to_be_visible()
    screenshot(page, "letters-demo-01-dashboard")

    page.goto(live_server.url + "/letters/")
    expect(page.get_by_text("ERAS internal medicine: ").first).to_be_visible()
    expect(page.get_by_text("AMCAS: ").first).to_be_visible()
    expect(page.get_by_text("1 of 2 letters from science faculty agreed").first).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page)
    screenshot(page, "letters-demo-02-overview")

    hesitant = LetterRequest.objects.get(application__user=user, status="hesitant")
    page.goto(live_server.url + f"/letters/requests/{hesitant.public_id}/")
    expect(page.get_by_role("heading", name="Possible backups")).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page)
    screenshot(page, "letters-demo-03-hesitant")

    thanked = LetterRequest.objects.get(application__user=user, status="thanked")
    page.goto(live_server.url + f"/letters/requests/{thanked.public_id}/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download packet (PDF)").click()
    reader = PdfReader(io.BytesIO(Path(info.value.path()).read_bytes()))
    text = "".join(p.extract_text() for p in reader.pages)
    assert "Clinical reasoning" in text and "Curriculum Vitae" in text
    assert "A1B2C3D4" in text  # the ERAS letter ID on the cover

    page.goto(live_server.url + "/letters/board/")
    assert_accessible(page)
    assert_fits_width(page)
    screenshot(page, "letters-demo-04-board")

    # On a laptop the board shows its columns side by side.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/letters/board/")
    tops = page.locator(".board-col").evaluate_all("cols => cols.map(c => c.offsetTop)")
    assert len(set(tops)) == 1, tops
    screenshot(page, "letters-demo-05-board-desktop")
    page.goto(live_server.url + f"/letters/requests/{hesitant.public_id}/")
    screenshot(page, "letters-demo-06-request-desktop")
