"""Encrypted storage: nothing readable on disk, keys from the environment, rotation."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from preceptor.writers import storage
from tests.lib.test_pdf import make_pdf


def test_a_stored_file_is_encrypted_and_private(vault: Path) -> None:
    pdf = make_pdf(2)
    name = storage.write(pdf)
    on_disk = (vault / name).read_bytes()
    assert not on_disk.startswith(b"%PDF")
    assert b"%PDF" not in on_disk and pdf not in on_disk
    assert stat.S_IMODE(os.stat(vault / name).st_mode) == 0o600
    assert storage.read(name) == pdf


def test_a_file_tampered_with_is_refused(vault: Path) -> None:
    name = storage.write(b"secret")
    data = bytearray((vault / name).read_bytes())
    data[40] ^= 1
    (vault / name).write_bytes(bytes(data))
    with pytest.raises(storage.StorageError, match="cannot be decrypted"):
        storage.read(name)


def test_names_that_are_not_vault_names_are_refused() -> None:
    for bad in ["", "../secret_key", "a" * 32, "0" * 31]:
        with pytest.raises(storage.StorageError):
            storage.read(bad)


def test_rotation_keeps_files_readable_with_only_the_new_key(settings: Any, vault: Path) -> None:
    old = settings.WRITERS_FILE_KEYS[0]
    name = storage.write(b"the letter")
    new = Fernet.generate_key().decode()
    settings.WRITERS_FILE_KEYS = [new, old]
    storage.rotate(name)
    settings.WRITERS_FILE_KEYS = [new]
    assert storage.read(name) == b"the letter"
    settings.WRITERS_FILE_KEYS = [old]
    with pytest.raises(storage.StorageError):
        storage.read(name)


def test_keys_come_from_the_environment_or_a_file(
    settings: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    del settings.WRITERS_FILE_KEYS
    a, b = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv("PRECEPTOR_FILE_KEYS", f"{a}, {b}")
    assert storage.keys() == [a, b]
    monkeypatch.delenv("PRECEPTOR_FILE_KEYS")
    key_file = tmp_path / "keys"
    key_file.write_text(b)
    monkeypatch.setenv("PRECEPTOR_FILE_KEYS_FILE", str(key_file))
    assert storage.keys() == [b]


def test_development_generates_a_private_key_under_var(
    settings: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    del settings.WRITERS_FILE_KEYS
    monkeypatch.delenv("PRECEPTOR_FILE_KEYS", raising=False)
    monkeypatch.delenv("PRECEPTOR_FILE_KEYS_FILE", raising=False)
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path / "var"
    first = storage.keys()
    assert storage.keys() == first  # the same key on every start
    Fernet(first[0])  # a valid Fernet key
    assert stat.S_IMODE(os.stat(tmp_path / "var" / "file_key").st_mode) == 0o600
    assert storage.read(storage.write(b"x")) == b"x"


def test_production_refuses_to_start_without_keys(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    del settings.WRITERS_FILE_KEYS
    monkeypatch.delenv("PRECEPTOR_FILE_KEYS", raising=False)
    monkeypatch.delenv("PRECEPTOR_FILE_KEYS_FILE", raising=False)
    settings.DEBUG = False
    with pytest.raises(ImproperlyConfigured, match="PRECEPTOR_FILE_KEYS must be set"):
        storage.fernet()


def test_a_malformed_key_is_reported(settings: Any) -> None:
    settings.WRITERS_FILE_KEYS = ["not-a-key"]
    with pytest.raises(ImproperlyConfigured, match="not a Fernet key"):
        storage.fernet()


@pytest.mark.django_db(transaction=True)
def test_the_sweep_removes_files_no_letter_names_and_keeps_the_rest(
    alice: Any, vault: Path
) -> None:
    from django.core.management import call_command

    from preceptor.writers.models import VaultLetter
    from tests.writers.factories import make_request, upload

    upload(make_request(alice, status="agreed"))
    (kept,) = VaultLetter.objects.values_list("stored_name", flat=True)
    orphan = storage.write(b"left behind by a failed delete")
    (vault / f"{orphan}.tmp-0badc0de").write_bytes(b"an interrupted write")
    (vault / "notes.txt").write_text("not the vault's")  # not something the vault wrote
    out = io.StringIO()
    call_command("sweep_vault", "--grace-minutes", "0", "--dry-run", stdout=out)
    assert "Would remove 2 orphaned files" in out.getvalue()
    assert len(list(vault.iterdir())) == 4
    call_command("sweep_vault", "--grace-minutes", "0", stdout=out)
    assert sorted(p.name for p in vault.iterdir()) == sorted([kept, "notes.txt"])
