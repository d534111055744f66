"""The vault on S3-compatible object storage, against a real local server (moto's).

Uploads, recipient downloads, key rotation and deletes go through the bucket; an outage
during an upload is a 503 that stores nothing, and a file a failed delete leaves behind is
found and removed by ``manage.py sweep_vault``.
"""

from __future__ import annotations

import secrets
import uuid
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from preceptor.accounts.models import User
from preceptor.letters import services as letters
from preceptor.writers import services, storage
from preceptor.writers.models import AuditEvent, VaultLetter
from tests.s3server import S3Server
from tests.writers.factories import (
    LETTER_MARKER,
    letter_pdf,
    link_for,
    links_in,
    make_request,
    token_of,
    upload,
)

pytestmark = pytest.mark.django_db(transaction=True)


def post_upload(token: str, data: bytes, nonce: str | None = None) -> Any:
    f = SimpleUploadedFile("letter.pdf", data, content_type="application/pdf")
    url = reverse("writers:writer_upload", kwargs={"token": token})
    return Client().post(url, {"letter": f, "nonce": nonce or secrets.token_urlsafe(16)})


def objects(s3_server: S3Server, bucket: str) -> list[str]:
    return [key.removeprefix("vault/") for key in s3_server.keys(bucket)]


def test_letters_go_to_the_bucket_encrypted_and_reach_the_recipient(
    alice: User, s3_server: S3Server, bucket: str, vault: Path
) -> None:
    r = make_request(alice, status="agreed")
    token, _ = link_for(r)
    data = letter_pdf(pages=2)
    assert post_upload(token, data).status_code == 302
    letter = VaultLetter.objects.get()
    assert objects(s3_server, bucket) == [letter.stored_name]
    raw = s3_server.client().get_object(Bucket=bucket, Key=f"vault/{letter.stored_name}")
    body = raw["Body"].read()
    assert not body.startswith(b"%PDF") and LETTER_MARKER.encode() not in body
    assert not vault.exists() or not any(vault.iterdir())  # nothing on the local disk
    assert storage.where() == f"s3://{bucket}/vault"

    mail.outbox.clear()
    services.deliver(r, name="Program", email="p@example.edu", max_downloads=2, nonce="n1")
    (message,) = [m for m in mail.outbox if m.to == ["p@example.edu"]]
    (url,) = links_in(message, "d")
    download_url = reverse("writers:recipient_download", kwargs={"token": token_of(url)})
    download = Client().post(download_url)
    assert download.status_code == 200 and download.content == data


def test_rotation_rewrites_every_object_with_the_new_key(
    alice: User, s3_server: S3Server, bucket: str, settings: Any
) -> None:
    old = settings.WRITERS_FILE_KEYS[0]
    first, second = letter_pdf(marker="first-letter"), letter_pdf(marker="second-letter")
    upload(make_request(alice, status="agreed"), first)
    upload(make_request(alice, status="agreed"), second)
    new = Fernet.generate_key().decode()
    settings.WRITERS_FILE_KEYS = [new, old]
    call_command("rotate_file_keys", stdout=open(Path("/dev/null"), "w"))  # noqa: SIM115
    settings.WRITERS_FILE_KEYS = [new]
    stored = {
        services.storage.read(n) for n in VaultLetter.objects.values_list("stored_name", flat=True)
    }
    assert stored == {first, second}
    assert len(objects(s3_server, bucket)) == 2


def test_replacing_and_deleting_letters_removes_their_objects(
    alice: User, s3_server: S3Server, bucket: str
) -> None:
    r = make_request(alice, status="agreed")
    upload(r, letter_pdf(marker="draft"))
    upload(r, letter_pdf(marker="final"))  # replaces the undelivered version
    (letter,) = VaultLetter.objects.all()
    assert objects(s3_server, bucket) == [letter.stored_name]
    letters.delete_application(r.application)
    assert VaultLetter.objects.count() == 0
    assert objects(s3_server, bucket) == []


def test_a_stopped_object_store_during_an_upload_is_a_503_that_stores_nothing(
    alice: User, s3_server: S3Server, settings: Any
) -> None:
    r = make_request(alice, status="agreed")
    token, _ = link_for(r)
    settings.WRITERS_VAULT_S3 = s3_server.new_bucket(f"vault-{uuid.uuid4().hex[:12]}")
    events = AuditEvent.objects.count()
    mail.outbox.clear()
    s3_server.stop()
    try:
        response = post_upload(token, letter_pdf())
    finally:
        s3_server.start()
    assert response.status_code == 503
    body = response.content.decode()
    assert "The letter store cannot be reached right now" in body
    assert "your letter was not stored" in body
    assert VaultLetter.objects.count() == 0
    assert AuditEvent.objects.count() == events
    r.refresh_from_db()
    assert r.status == "agreed"
    assert mail.outbox == []

    # The server is back (empty: moto keeps objects in memory): the same upload works.
    settings.WRITERS_VAULT_S3 = s3_server.new_bucket(f"vault-{uuid.uuid4().hex[:12]}")
    assert post_upload(token, letter_pdf()).status_code == 302
    assert VaultLetter.objects.count() == 1


def test_files_left_by_failed_deletes_are_found_by_the_sweep(
    alice: User, s3_server: S3Server, bucket: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    r = make_request(alice, status="agreed")
    token, _ = link_for(r)
    assert post_upload(token, letter_pdf(marker="draft")).status_code == 302
    real_write = storage.write

    def write_then_outage(data: bytes) -> str:
        name = real_write(data)
        s3_server.gate.shut()  # the store goes away between the file and the row
        return name

    monkeypatch.setattr(storage, "write", write_then_outage)
    # 1. A replacement: its row commits, but the old version's delete fails.
    try:
        assert post_upload(token, letter_pdf(marker="final")).status_code == 302
    finally:
        s3_server.gate.open()
    # 2. An upload refused after its file was stored (the form was sent twice): the
    # clean-up delete fails too.
    nonce = secrets.token_urlsafe(16)
    services.claim_nonce(nonce)
    try:
        assert post_upload(token, letter_pdf(marker="again"), nonce=nonce).status_code == 400
    finally:
        s3_server.gate.open()
    monkeypatch.undo()

    (letter,) = VaultLetter.objects.all()
    stored = objects(s3_server, bucket)
    assert letter.stored_name in stored and len(stored) == 3  # two orphans

    call_command("sweep_vault", "--grace-minutes", "60", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(objects(s3_server, bucket)) == 3  # too recent: an upload may be in flight

    with s3_server.outage(), pytest.raises(CommandError, match="cannot be reached"):
        call_command("sweep_vault", "--grace-minutes", "0")

    call_command("sweep_vault", "--grace-minutes", "0", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert objects(s3_server, bucket) == [letter.stored_name]
    assert b"final page 1" in storage.read(letter.stored_name)


def test_the_object_store_is_configured_from_the_environment(
    settings: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    del settings.WRITERS_VAULT_S3
    monkeypatch.delenv("PRECEPTOR_VAULT_S3_BUCKET", raising=False)
    assert storage.s3_config() is None  # the filesystem by default
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("PRECEPTOR_VAULT_S3_BUCKET", "letters")
    monkeypatch.setenv("PRECEPTOR_VAULT_S3_ENDPOINT_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("PRECEPTOR_VAULT_S3_ACCESS_KEY_ID", "AKIA")
    monkeypatch.setenv("PRECEPTOR_VAULT_S3_SECRET_ACCESS_KEY_FILE", str(secret))
    monkeypatch.setenv("PRECEPTOR_VAULT_S3_REGION", "eu-west-1")
    config = storage.s3_config()
    assert config is not None
    assert (config["bucket"], config["endpoint_url"], config["access_key_id"]) == (
        "letters",
        "http://127.0.0.1:9",
        "AKIA",
    )
    assert (config["secret_access_key"], config["region"]) == ("s3cret", "eu-west-1")
    assert storage.where() == "s3://letters"


def test_a_backup_of_a_vault_in_a_bucket_restores_into_a_directory(
    alice: User, bucket: str, settings: Any, tmp_path: Path, vault: Path
) -> None:
    r = make_request(alice, status="agreed")
    upload(r, letter_pdf(marker="moved-letter"))
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("flush", interactive=False, verbosity=0)
    settings.WRITERS_VAULT_S3 = {}  # the filesystem from now on
    call_command("restore", str(archive), stdout=open("/dev/null", "w"))  # noqa: SIM115
    (letter,) = VaultLetter.objects.all()
    assert (vault / letter.stored_name).exists()
    assert b"moved-letter page 1" in storage.read(letter.stored_name)
