"""The "Your data" page, its download and upload, and the two commands."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from preceptor.accounts.models import User
from preceptor.mentors.models import Mentor
from preceptor.portability import services
from tests.conftest import client_for
from tests.letters.factories import make_mentor
from tests.portability.conftest import data_of


def _upload(archive: bytes) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("export.zip", archive, "application/zip")}


def test_the_account_page_links_to_your_data(alice: User) -> None:
    body = client_for(alice).get(reverse("accounts:account")).content.decode()
    assert reverse("portability:data") in body


def test_the_page_offers_both(alice: User) -> None:
    response = client_for(alice).get(reverse("portability:data"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Download your data" in body and 'type="file"' in body
    assert "waived" in body


def test_the_download_is_the_users_own_export(alice: User, charlie: User) -> None:
    make_mentor(alice, "Dr Alice Mentor")
    make_mentor(charlie, "Dr Charlie Mentor")
    response = client_for(alice).post(reverse("portability:export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="preceptor-export-')
    rows = data_of(response.content)["models"]["mentors.Mentor"]
    names = [r["fields"]["full_name"] for r in rows]
    assert names == ["Dr Alice Mentor"]


def test_the_download_is_rate_limited(alice: User, settings: Any) -> None:
    settings.RATE_LIMITS = {"data_export": (1, 3600)}
    client = client_for(alice)
    assert client.post(reverse("portability:export")).status_code == 200
    response = client.post(reverse("portability:export"))
    assert response.status_code == 429
    assert "exports of your data" in response.content.decode()
    assert int(response["Retry-After"]) > 0


def test_the_download_needs_post(alice: User) -> None:
    assert client_for(alice).get(reverse("portability:export")).status_code == 405


def test_an_import_fills_a_new_account(alice: User, bob: User) -> None:
    make_mentor(alice, "Dr Alice Mentor")
    archive = services.export_account(alice)
    response = client_for(bob).post(reverse("portability:import"), _upload(archive))
    assert response.status_code == 302
    assert response["Location"] == reverse("mentors:list")
    assert list(Mentor.objects.filter(user=bob).values_list("full_name", flat=True)) == [
        "Dr Alice Mentor"
    ]


def test_an_import_into_an_account_with_data_says_why(alice: User) -> None:
    make_mentor(alice, "Dr Alice Mentor")
    archive = services.export_account(alice)
    response = client_for(alice).post(reverse("portability:import"), _upload(archive))
    assert response.status_code == 400
    assert "already holds data" in response.content.decode()
    assert Mentor.objects.filter(user=alice).count() == 1


def test_a_damaged_upload_says_why(bob: User) -> None:
    response = client_for(bob).post(reverse("portability:import"), _upload(b"PK\x03\x04broken"))
    assert response.status_code == 400
    assert "damaged or cut short" in response.content.decode()


def test_an_upload_over_the_limit_is_refused_by_its_size(bob: User, settings: Any) -> None:
    settings.PORTABILITY_MAX_ARCHIVE_MB = 1
    response = client_for(bob).post(
        reverse("portability:import"), _upload(b"PK" + b"\0" * (2 * 1024 * 1024))
    )
    assert response.status_code == 400
    assert "the limit is 1 MB" in response.content.decode()


def test_imports_are_rate_limited(bob: User, settings: Any) -> None:
    settings.RATE_LIMITS = {"data_import": (1, 3600)}
    client = client_for(bob)
    client.post(reverse("portability:import"), _upload(b"junk"))
    response = client.post(reverse("portability:import"), _upload(b"junk"))
    assert response.status_code == 429
    assert "imports of your data" in response.content.decode()


def test_the_commands_export_and_import(alice: User, bob: User, tmp_path: Path) -> None:
    make_mentor(alice, "Dr Alice Mentor")
    out = tmp_path / "alice.zip"
    stdout = io.StringIO()
    call_command("export_account", "ALICE@example.org", str(out), stdout=stdout)
    assert "Wrote" in stdout.getvalue()
    assert data_of(out.read_bytes()) == data_of(services.export_account(alice))
    call_command("import_account", bob.email, str(out), stdout=io.StringIO())
    assert Mentor.objects.filter(user=bob, full_name="Dr Alice Mentor").exists()
    with pytest.raises(CommandError, match="already holds data"):
        call_command("import_account", bob.email, str(out), stdout=io.StringIO())
    with pytest.raises(CommandError, match="No account"):
        call_command("export_account", "nobody@example.org", str(out))
