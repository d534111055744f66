"""Take your data with you: download the demo account's export, sign up anew, import it,
and find your mentors there."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from playwright.sync_api import Page, expect

from preceptor.accounts.models import User
from preceptor.core import demo
from preceptor.mentors.models import Mentor
from tests.browser.conftest import assert_accessible, assert_fits_width, screenshot

pytestmark = pytest.mark.xdist_group("browser")


def test_export_then_import_into_a_new_account(
    page: Page, live_server: Any, settings: Any, tmp_path: Path
) -> None:
    settings.WRITERS_VAULT_DIR = str(tmp_path / "vault")
    settings.WRITERS_FILE_KEYS = [Fernet.generate_key().decode()]
    user, _ = demo.seed()
    mentor = Mentor.objects.filter(user=user).order_by("full_name").first()
    assert mentor is not None
    page.set_viewport_size({"width": 375, "height": 740})

    page.goto(live_server.url + "/account/login/")
    page.get_by_label("Email").fill(demo.DEMO_EMAIL)
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(live_server.url + "/account/")
    page.get_by_role("link", name="Your data:").click()
    expect(page.get_by_role("heading", name="Your data", exact=True)).to_be_visible()
    assert_accessible(page)
    assert_fits_width(page)
    screenshot(page, "portability-01-your-data")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download your data").click()
    archive = tmp_path / "export.zip"
    info.value.save_as(archive)
    assert info.value.suggested_filename.startswith("preceptor-export-")
    page.get_by_role("button", name="Log out").click()

    # A new account on "another instance": empty, so the import is offered.
    page.goto(live_server.url + "/account/signup/")
    page.get_by_label("Full name").fill("Jordan Elsewhere")
    page.get_by_label("Email", exact=True).fill("jordan@elsewhere.example")
    page.get_by_label("Password", exact=True).fill("a sturdy passphrase 1")
    page.get_by_label("Password again").fill("a sturdy passphrase 1")
    page.get_by_role("button", name="Create account").click()
    page.goto(live_server.url + "/account/data/")
    page.get_by_label("Export file (.zip)").set_input_files(str(archive))
    page.get_by_role("button", name="Import").click()

    expect(page.get_by_text("Imported")).to_be_visible()
    expect(page.get_by_role("link", name=mentor.full_name).first).to_be_visible()
    assert_accessible(page)
    screenshot(page, "portability-02-mentors-imported")
    fresh = User.objects.get(email="jordan@elsewhere.example")
    assert Mentor.objects.filter(user=fresh).count() == Mentor.objects.filter(user=user).count()

    # A second import into the now full account is refused, and says why.
    page.goto(live_server.url + "/account/data/")
    expect(page.get_by_role("button", name="Import")).to_be_disabled()
    expect(page.get_by_text("already holds data")).to_be_visible()
