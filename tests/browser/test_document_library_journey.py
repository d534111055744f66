"""On a phone: upload a CV once, use it in two applications, upload a new version, and see
both packets send it while the writer's history keeps what they received."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from preceptor.letters import services
from tests.browser.conftest import (
    PHONE,
    check_page,
)
from tests.conftest import PASSWORD, make_user
from tests.letters.factories import make_application, make_request, pdf_bytes

pytestmark = pytest.mark.xdist_group("browser")


def packet_text(page: Page) -> str:
    with page.expect_download() as info:
        page.get_by_role("link", name="Download packet (PDF)").click()
    data = Path(info.value.path()).read_bytes()
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_one_cv_in_two_applications_then_a_new_version(
    page: Page, live_server: Any, tmp_path: Any
) -> None:
    user = make_user("jordan@example.org", "Jordan Rivera")
    categorical = make_request(user, "agreed", app=make_application(user, title="IM categorical"))
    preliminary = make_request(user, "agreed", app=make_application(user, title="IM preliminary"))
    # Dr. Patel (categorical) already has her packet: she will keep the first CV.
    page.set_viewport_size(PHONE)
    base = live_server.url
    page.goto(base + "/account/login/")
    page.get_by_label("Email").fill("jordan@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    # The library, empty; a non-PDF is refused, then the CV goes in once.
    page.goto(base + "/letters/")
    page.get_by_role("link", name="Documents").click()
    expect(page.get_by_text("No documents yet.")).to_be_visible()
    bad = tmp_path / "cv.txt"
    bad.write_bytes(b"not a pdf")
    page.get_by_label("What it is").select_option("cv")
    page.get_by_label("PDF file").set_input_files(str(bad))
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_text("is not a PDF")).to_be_visible()
    first = tmp_path / "cv-2026.pdf"
    first.write_bytes(pdf_bytes(1, "Jordan CV first edition"))
    page.get_by_label("What it is").select_option("cv")
    page.get_by_label("PDF file").set_input_files(str(first))
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_text("“CV” version 1 uploaded and checked.")).to_be_visible()
    expect(page.get_by_text("Not used by an application.")).to_be_visible()
    check_page(page, "library-01-first-cv")

    # Use it in both applications, always the latest version.
    for r in (categorical, preliminary):
        page.goto(f"{base}/letters/applications/{r.application.public_id}/")
        page.get_by_label("From your library").select_option(
            label="CV: always the latest (version 1)"
        )
        page.get_by_role("button", name="Use in this packet").click()
        expect(page.get_by_text("This packet now sends “CV”, always its latest")).to_be_visible()
    expect(page.locator("#packet")).to_contain_text("CV: version 1 (1 page,")
    check_page(page, "library-02-application-uses-cv")

    # Dr. Patel gets her packet now, with version 1.
    services.transition(categorical, "packet_sent")

    # A new version: both applications send it from now on.
    page.get_by_role("link", name="your documents").click()
    expect(page.get_by_text("Used by 2 applications; sent to 1 writer.")).to_be_visible()
    page.get_by_text("Upload a new version", exact=True).click()
    second = tmp_path / "cv-2027.pdf"
    second.write_bytes(pdf_bytes(1, "Jordan CV second edition"))
    page.get_by_label("New version (PDF)").set_input_files(str(second))
    page.get_by_role("button", name="Upload a new version of CV").click()
    expect(
        page.get_by_text(
            "“CV” version 2 uploaded and checked. "
            "Sent from now on by 2 applications that follow the latest."
        )
    ).to_be_visible()
    # Version 1 went to Dr. Patel: kept, with no delete button; version 2 can go.
    expect(page.get_by_role("button", name="Delete version 1 of CV")).to_have_count(0)
    expect(page.get_by_role("button", name="Delete version 2 of CV")).to_be_visible()
    check_page(page, "library-03-second-version")

    for r in (preliminary, categorical):
        page.goto(f"{base}/letters/requests/{r.public_id}/")
        text = packet_text(page)
        assert "Jordan CV second edition" in text and "first edition" not in text
    # Dr. Patel's history still says which CV she received.
    expect(page.locator("#packet")).to_contain_text("CV, version 1, sent")
    check_page(page, "library-04-writer-received")
