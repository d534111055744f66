"""What an independent review found and how it is closed: the applicant's own address in
other spellings, a waiver revoked while the writer's page is open, receipts sent to an
address the applicant edited, and files left behind by deleted letters."""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from preceptor.accounts.models import User
from preceptor.letters import services as letters
from preceptor.mentors import services as mentors
from preceptor.writers import services
from preceptor.writers.models import Delivery, VaultLetter
from tests.conftest import client_for
from tests.writers.factories import letter_pdf, link_for, make_request, upload

pytestmark = pytest.mark.django_db(transaction=True)


def files_in(vault: Path) -> list[Path]:
    return [p for p in vault.iterdir() if p.is_file()] if vault.exists() else []


def deliver_to(user: User, r: Any, email: str) -> Any:
    client = client_for(user)
    page = client.get(reverse("writers:request", kwargs={"public_id": r.public_id}))
    nonce = re.findall(r'name="nonce" value="([^"]+)"', page.content.decode())[-1]
    form = {"name": "Program", "email": email, "max_downloads": 3, "valid_days": 30}
    url = reverse("writers:deliver", kwargs={"public_id": r.public_id})
    return client.post(url, {**form, "nonce": nonce})


@pytest.mark.parametrize(
    "spelling",
    [
        '"alice"@example.org',
        "alice+letters@example.org",
        "Alice+x@EXAMPLE.org",
        '"ali\\ce"@example.org',  # an escape inside quotes
        "alice@\uff45xample.org",  # fullwidth e: IDNA folds it to the account's domain
        "alice@ex\u00adample.org",  # soft hyphen, invisible
        "alice@ex\u200bample.org",  # zero-width space
        "admissions@stanf\u03bfrd.edu",  # Greek omicron: a look-alike of another domain
    ],
)
def test_the_applicants_own_mailbox_is_refused_in_any_spelling(
    alice: User, vault: Path, spelling: str
) -> None:
    r = make_request(alice, status="agreed")
    upload(r)
    mail.outbox.clear()
    response = deliver_to(alice, r, spelling)
    assert response.status_code == 400
    body = response.content.decode()
    assert "your own address" in body or "plain letters, digits" in body
    assert not Delivery.objects.exists() and not mail.outbox


def test_a_confidential_letter_whose_writer_cannot_be_told_is_not_delivered(
    alice: User, vault: Path
) -> None:
    mentor = mentors.create_mentor(alice, full_name="Dr. No Email", allow_duplicate=True)
    r = make_request(alice, status="agreed", mentor=mentor)
    upload(r)  # through a copy link: the mentor had no address
    mentors.update_mentor(mentor, email="alice.second@example.net")
    mail.outbox.clear()
    response = deliver_to(alice, r, "committee@example.edu")
    assert response.status_code == 400
    assert "writer can be told of each delivery" in response.content.decode()
    assert not Delivery.objects.exists() and not mail.outbox


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Jo.Ann+apps@gmail.com", "joann@googlemail.com", True),
        ('"jo"@example.org', "JO@example.org.", True),
        ("jo.ann@example.org", "joann@example.org", False),
        ("jo@example.org", "jo@example.com", False),
    ],
)
def test_mailbox_tells_one_mailbox_from_another(a: str, b: str, same: bool) -> None:
    assert (services.mailbox(a) == services.mailbox(b)) is same


def test_the_writer_hears_of_every_delivery(alice: User, vault: Path) -> None:
    r = make_request(alice, status="agreed")
    upload(r)
    mail.outbox.clear()
    assert deliver_to(alice, r, "committee@example.edu").status_code == 302
    (report,) = [m for m in mail.outbox if m.to == ["dana@example.edu"]]
    assert "committee@example.edu" in report.body
    assert "waived the right to read this letter" in report.body
    assert [m.to for m in mail.outbox if m is not report] == [["committee@example.edu"]]


def upload_page(token: str) -> tuple[Client, str, str]:
    """The writer opens the link: their client, the form's nonce and confidentiality."""
    client = Client()
    body = client.get(reverse("writers:writer", kwargs={"token": token})).content.decode()
    seen = re.search(r'name="confidential" value="(yes|no)"', body)
    assert seen is not None
    nonce = re.findall(r'name="nonce" value="([^"]+)"', body)[-1]
    return client, nonce, seen.group(1)


def post_letter(client: Client, token: str, nonce: str, seen: str) -> Any:
    f = SimpleUploadedFile("letter.pdf", letter_pdf(), content_type="application/pdf")
    url = reverse("writers:writer_upload", kwargs={"token": token})
    return client.post(url, {"letter": f, "nonce": nonce, "confidential": seen})


def test_a_waiver_revoked_while_the_writer_page_is_open_stores_nothing(
    alice: User, vault: Path
) -> None:
    r = make_request(alice, status="agreed")
    token, _ = link_for(r)
    client, nonce, seen = upload_page(token)
    assert seen == "yes"
    letters.record_waiver(r, signed=False)  # the applicant, in another tab
    response = post_letter(client, token, nonce, seen)
    assert response.status_code == 409
    body = response.content.decode()
    assert "changed the confidentiality waiver" in body and "nothing was stored" in body
    assert 'name="confidential" value="no"' in body  # the page now says what is true
    assert not VaultLetter.objects.exists() and not files_in(vault)
    r.refresh_from_db()
    assert r.status == "agreed"
    # Knowing the letter will not be confidential, the writer uploads again.
    client, nonce, seen = upload_page(token)
    assert post_letter(client, token, nonce, seen).status_code == 302
    assert VaultLetter.objects.get().waived is False


def test_an_upload_form_without_the_confidentiality_field_counts_as_confidential(
    alice: User, vault: Path
) -> None:
    r = make_request(alice, status="agreed", waived=False)
    token, _ = link_for(r)
    f = SimpleUploadedFile("letter.pdf", letter_pdf(), content_type="application/pdf")
    url = reverse("writers:writer_upload", kwargs={"token": token})
    response = Client().post(url, {"letter": f, "nonce": secrets.token_urlsafe(16)})
    assert response.status_code == 409
    assert not VaultLetter.objects.exists() and not files_in(vault)


def test_a_letter_begun_under_the_waiver_stays_confidential_after_a_revocation(
    alice: User, vault: Path
) -> None:
    r = make_request(alice, status="agreed")
    first = upload(r)
    assert first.waived
    letters.record_waiver(r, signed=False)
    token, _ = link_for(r)
    _, _, seen = upload_page(token)
    assert seen == "yes"  # the writer's page still calls it confidential
    replaced = upload(r)  # the writer's corrected version, before any delivery
    assert replaced.pk == first.pk and replaced.waived
    with pytest.raises(services.WriterError):
        services.read_own_letter(alice, replaced)


def test_receipts_go_to_the_writers_address_when_the_link_was_made(
    alice: User, vault: Path
) -> None:
    r = make_request(alice, status="agreed")
    _, link = link_for(r)  # made while the mentor's address is dana@example.edu
    mentors.update_mentor(r.mentor, email="eve@attacker.test")
    mail.outbox.clear()
    services.upload_letter(link, letter_pdf(), nonce=secrets.token_urlsafe(16))
    receipts = [m.to for m in mail.outbox if "is stored" in m.subject]
    assert receipts == [["dana@example.edu"]]
    # A new link made after the edit reaches the new address, and the writer who had a
    # receipt for the first version hears of the replacement too.
    _, newer = link_for(r)
    mail.outbox.clear()
    services.upload_letter(newer, letter_pdf(), nonce=secrets.token_urlsafe(16))
    receipts = sorted(m.to[0] for m in mail.outbox if "is stored" in m.subject)
    assert receipts == ["dana@example.edu", "eve@attacker.test"]
    # The replaced letter still names the first writer, who hears of the next delivery.
    assert VaultLetter.objects.get().writer_email == "dana@example.edu"
    services.deliver(r, name="Program", email="p@example.edu", require_nonce=False)
    reports = [m.to for m in mail.outbox if "was sent to" in m.subject]
    assert reports == [["dana@example.edu"]]


def test_deleting_the_application_removes_its_stored_letters(alice: User, vault: Path) -> None:
    r = make_request(alice, status="agreed")
    upload(r)
    assert len(files_in(vault)) == 1
    letters.delete_application(r.application)
    assert not VaultLetter.objects.exists()
    assert files_in(vault) == []
