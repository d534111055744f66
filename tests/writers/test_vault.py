"""Uploads to the vault: encrypted at rest, checked by parsing, replaced or versioned."""

from __future__ import annotations

import io
import secrets
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from preceptor.accounts.models import User
from preceptor.letters.models import LetterRequest
from preceptor.writers import services, signals, storage
from preceptor.writers.models import AuditEvent, VaultLetter
from tests.conftest import client_for
from tests.lib.test_pdf import make_pdf
from tests.writers.factories import (
    LETTER_MARKER,
    letter_pdf,
    link_for,
    links_in,
    make_mentor,
    make_request,
    token_of,
    upload,
)

# Real commits: emails and signals are sent after commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


def post_upload(client: Client, token: str, data: bytes, name: str = "letter.pdf") -> Any:
    f = SimpleUploadedFile(name, data, content_type="application/pdf")
    url = reverse("writers:writer_upload", kwargs={"token": token})
    return client.post(url, {"letter": f, "nonce": secrets.token_urlsafe(16)})


def files_in(vault: Path) -> list[Path]:
    return [p for p in vault.iterdir() if p.is_file()] if vault.exists() else []


def test_an_upload_is_stored_encrypted_and_counts_as_submitted(alice: User, vault: Path) -> None:
    r = make_request(alice, status="agreed")
    received: list[dict[str, Any]] = []

    def listener(sender: Any, **kwargs: Any) -> None:
        received.append(kwargs)

    signals.letter_received.connect(listener)
    try:
        token, _ = link_for(r)
        data = letter_pdf(pages=2)
        response = post_upload(Client(), token, data)
    finally:
        signals.letter_received.disconnect(listener)
    assert response.status_code == 302
    letter = VaultLetter.objects.get()
    assert (letter.version, letter.page_count, letter.size, letter.waived) == (
        1,
        2,
        len(data),
        True,
    )
    (stored,) = files_in(vault)
    raw = stored.read_bytes()
    assert not raw.startswith(b"%PDF") and LETTER_MARKER.encode() not in raw
    assert storage.read(letter.stored_name) == data
    r.refresh_from_db()
    assert (r.status, r.submitted_confirmed_by) == ("submitted", "writer")
    assert received == [{"signal": signals.letter_received, "letter": letter, "request": r}]
    # The applicant is told (metadata only, no attachment); the writer gets a receipt.
    to_alice = [m for m in mail.outbox if m.to == ["alice@example.org"]]
    assert any("arrived in the vault" in m.subject for m in to_alice)
    for m in mail.outbox:
        assert not m.attachments and LETTER_MARKER not in m.body
    assert any(m.to == ["dana@example.edu"] and "is stored" in m.subject for m in mail.outbox)


def test_the_writer_may_replace_the_letter_until_it_is_delivered(alice: User, vault: Path) -> None:
    r = make_request(alice, status="agreed")
    first = upload(r, letter_pdf(pages=1))
    old_name = first.stored_name
    second = upload(r, letter_pdf(pages=3))
    assert second.pk == first.pk and second.version == 1 and second.page_count == 3
    assert second.replaced_at is not None
    assert not (vault / old_name).exists()
    assert len(files_in(vault)) == 1
    assert AuditEvent.objects.filter(request=r, kind="replaced").count() == 1


def test_after_delivery_a_new_upload_is_a_new_version(alice: User, vault: Path) -> None:
    r = make_request(alice, status="agreed")
    v1 = upload(r, letter_pdf(pages=1))
    delivery = services.deliver(r, name="Fellowship committee", email="c@example.edu", nonce="n1")
    v2 = upload(r, letter_pdf(pages=2))
    assert (v2.version, v2.page_count) == (2, 2)
    v1.refresh_from_db()
    assert v1.page_count == 1 and v1.replaced_at is None
    assert delivery.letter_id == v1.pk
    assert storage.read(v1.stored_name) != storage.read(v2.stored_name)
    assert len(files_in(vault)) == 2


BAD_FILES = [
    (b"", "empty"),
    (b"Dear committee, this is plain text.", "not a PDF"),
    (make_pdf(1, password="secret"), "password-protected"),
    (make_pdf(4)[:300], "damaged or truncated"),
    (b"%PDF-1.7\n" + b"\0" * 200, "damaged or truncated"),
]


@pytest.mark.parametrize(("data", "message"), BAD_FILES)
def test_bad_files_get_a_clear_message_and_store_nothing(
    alice: User, vault: Path, data: bytes, message: str
) -> None:
    r = make_request(alice, status="agreed")
    token, _ = link_for(r)
    response = post_upload(Client(), token, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not VaultLetter.objects.exists() and not files_in(vault)
    r.refresh_from_db()
    assert r.status == "agreed"


def test_a_huge_file_is_refused_before_it_is_read(alice: User, vault: Path) -> None:
    r = make_request(alice, status="agreed")
    token, _ = link_for(r)
    response = post_upload(Client(), token, make_pdf(1) + b"%" * (10 * 1024 * 1024))
    assert response.status_code == 400
    assert "the limit is 10 MB" in response.content.decode()
    assert not VaultLetter.objects.exists() and not files_in(vault)


def test_the_upload_stops_reading_past_the_limit(alice: User, vault: Path) -> None:
    from django.core.files.uploadhandler import TemporaryFileUploadHandler

    written: list[int] = []

    class Spy(TemporaryFileUploadHandler):
        def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
            written.append(len(raw_data))
            return super().receive_data_chunk(raw_data, start)

    r = make_request(alice, status="agreed")
    token, _ = link_for(r)
    with override_settings(FILE_UPLOAD_HANDLERS=[f"{__name__}.SpyHandler"]):
        globals()["SpyHandler"] = Spy
        response = post_upload(Client(), token, b"%PDF-1.4\n" + b"0" * (25 * 1024 * 1024))
    assert response.status_code == 400
    assert "the limit is 10 MB" in response.content.decode()
    # Nothing past the limit reached the handler that spools files to disk.
    assert sum(written) <= 10 * 1024 * 1024 + 64 * 1024
    assert not VaultLetter.objects.exists() and not files_in(vault)


def test_uploads_still_need_the_csrf_token(alice: User) -> None:
    token, _ = link_for(make_request(alice, status="agreed"))
    client = Client(enforce_csrf_checks=True)
    f = SimpleUploadedFile("letter.pdf", letter_pdf())
    url = reverse("writers:writer_upload", kwargs={"token": token})
    assert client.post(url, {"letter": f, "nonce": "n"}).status_code == 403
    assert not VaultLetter.objects.exists()


def test_no_file_at_all(alice: User) -> None:
    token, _ = link_for(make_request(alice, status="agreed"))
    url = reverse("writers:writer_upload", kwargs={"token": token})
    response = Client().post(url, {"nonce": "n"})
    assert response.status_code == 400
    assert "Choose the letter" in response.content.decode()


def test_an_upload_replayed_does_nothing_twice(alice: User) -> None:
    r = make_request(alice, status="agreed")
    token, _ = link_for(r)
    url = reverse("writers:writer_upload", kwargs={"token": token})
    data = {"nonce": "one-time-value"}
    first = Client().post(url, {**data, "letter": SimpleUploadedFile("a.pdf", letter_pdf())})
    again = Client().post(url, {**data, "letter": SimpleUploadedFile("a.pdf", letter_pdf(2))})
    assert first.status_code == 302 and again.status_code == 400
    assert "already sent" in again.content.decode()
    assert VaultLetter.objects.get().page_count == 1


def test_no_upload_before_the_writer_says_yes(alice: User) -> None:
    token, _ = link_for(make_request(alice, status="asked"))
    response = post_upload(Client(), token, letter_pdf())
    assert response.status_code == 400
    assert "answer the request first" in response.content.decode()
    assert not VaultLetter.objects.exists()


def test_no_upload_when_the_application_does_not_use_the_vault(alice: User) -> None:
    token, _ = link_for(make_request(alice, vault=False, status="agreed"))
    response = post_upload(Client(), token, letter_pdf())
    assert response.status_code == 400
    assert "does not use the confidential vault" in response.content.decode()
    assert not VaultLetter.objects.exists()


def test_a_declined_request_takes_no_letter(alice: User) -> None:
    token, _ = link_for(make_request(alice, status="declined"))
    response = post_upload(Client(), token, letter_pdf())
    assert response.status_code == 400
    assert not VaultLetter.objects.exists()


@pytest.fixture(scope="module")
def fuzz_pdf() -> bytes:
    return make_pdf(3)


@hsettings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    junk=st.binary(max_size=3000),
    cut=st.integers(min_value=0, max_value=4000),
    kind=st.sampled_from(["junk", "pdf-prefixed", "truncated", "mangled"]),
    name=st.text(max_size=80),
)
def test_fuzzed_uploads_never_fail_with_a_500(
    alice: User, fuzz_pdf: bytes, junk: bytes, cut: int, kind: str, name: str
) -> None:
    # Hypothesis runs every example inside one test (one database transaction).
    r = LetterRequest.objects.filter(application__user=alice).first()
    r = r or make_request(alice, status="agreed")
    token, _ = link_for(r)
    data = {
        "junk": junk,
        "pdf-prefixed": b"%PDF-1.4\n" + junk,
        "truncated": fuzz_pdf[:cut],
        "mangled": fuzz_pdf[:cut] + junk + fuzz_pdf[cut:],
    }[kind]
    before = VaultLetter.objects.count()
    client = Client(raise_request_exception=False)
    safe_name = "".join(ch for ch in name if ch.isprintable() and ch not in '"\\/\r\n') or "x"
    response = post_upload(client, token, data, name=safe_name[:60] + ".pdf")
    assert response.status_code in (302, 400), response.status_code
    if response.status_code == 400:
        assert VaultLetter.objects.count() == before


def test_key_rotation_keeps_every_letter_readable_by_its_recipient(
    alice: User, settings: Any, vault: Path
) -> None:
    old = settings.WRITERS_FILE_KEYS[0]
    tokens = []
    payloads = []
    for i in range(3):
        mentor = make_mentor(alice, f"Dr. W{i}", f"w{i}@example.edu")
        r = make_request(alice, status="agreed", mentor=mentor)
        payloads.append(letter_pdf(pages=i + 1))
        upload(r, payloads[-1])
        services.deliver(r, name=f"Program {i}", email=f"p{i}@example.edu", nonce=f"rot{i}")
        (message,) = [m for m in mail.outbox if m.to == [f"p{i}@example.edu"]]
        (url,) = links_in(message, "d")
        tokens.append(token_of(url))
    before = {p.name: p.read_bytes() for p in files_in(vault)}
    new = Fernet.generate_key().decode()
    settings.WRITERS_FILE_KEYS = [new, old]
    out = io.StringIO()
    call_command("rotate_file_keys", stdout=out)
    assert "Re-encrypted 3 letters" in out.getvalue()
    assert LETTER_MARKER not in out.getvalue()
    after = {p.name: p.read_bytes() for p in files_in(vault)}
    assert after.keys() == before.keys() and all(after[k] != before[k] for k in after)
    settings.WRITERS_FILE_KEYS = [new]  # the old key is gone
    for token, payload in zip(tokens, payloads, strict=True):
        response = Client().post(reverse("writers:recipient_download", kwargs={"token": token}))
        assert response.status_code == 200
        assert response.content == payload


def test_rotation_reports_a_letter_it_cannot_read(alice: User, settings: Any) -> None:
    upload(make_request(alice, status="agreed"))
    settings.WRITERS_FILE_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(Exception, match="could not be re-encrypted"):
        call_command("rotate_file_keys", stdout=io.StringIO(), stderr=io.StringIO())


def test_the_applicant_cannot_read_a_waived_letter(alice: User) -> None:
    r = make_request(alice, status="agreed", waived=True)
    letter = upload(r)
    response = client_for(alice).get(
        reverse("writers:letter_copy", kwargs={"public_id": letter.public_id})
    )
    assert response.status_code == 403
    assert "waived your right" in response.content.decode()
    assert LETTER_MARKER.encode() not in response.content


def test_the_applicant_may_read_a_letter_they_did_not_waive(alice: User) -> None:
    r = make_request(alice, status="agreed", waived=False)
    data = letter_pdf()
    letter = upload(r, data)
    response = client_for(alice).get(
        reverse("writers:letter_copy", kwargs={"public_id": letter.public_id})
    )
    assert response.status_code == 200 and response.content == data


def test_signing_the_waiver_later_closes_the_applicant_copy(alice: User) -> None:
    from preceptor.letters import services as letters

    r = make_request(alice, status="agreed", waived=False)
    letter = upload(r)
    letters.record_waiver(r, signed=True)
    url = reverse("writers:letter_copy", kwargs={"public_id": letter.public_id})
    assert client_for(alice).get(url).status_code == 403


def test_revoking_the_waiver_does_not_open_letters_received_under_it(alice: User) -> None:
    from preceptor.letters import services as letters

    r = make_request(alice, status="agreed", waived=True)
    letter = upload(r)
    letters.record_waiver(r, signed=False)
    url = reverse("writers:letter_copy", kwargs={"public_id": letter.public_id})
    response = client_for(alice).get(url)
    assert response.status_code == 403 and LETTER_MARKER.encode() not in response.content
