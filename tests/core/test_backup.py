"""Backup and restore: a round trip loses nothing, and bad archives change nothing.

The round trip starts from the test database (SQLite, or PostgreSQL under
``make test-postgres``), restores into a child instance on SQLite, backs that up and
restores it into the emptied test database: every row comes back, and every letter still
decrypts with the keys. Under the PostgreSQL pass that is PostgreSQL → SQLite → PostgreSQL.
"""

from __future__ import annotations

import io
import json
import secrets
import tarfile
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core import serializers
from django.core.management import CommandError, call_command

from preceptor.accounts.models import User
from preceptor.core import backup
from preceptor.writers import services as writers
from preceptor.writers import storage
from preceptor.writers.models import VaultLetter
from tests.processes import manage
from tests.writers.factories import letter_pdf, make_request, upload

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def vault(settings: Any, tmp_path: Path) -> Path:
    settings.WRITERS_VAULT_DIR = str(tmp_path / "vault")
    settings.WRITERS_FILE_KEYS = [Fernet.generate_key().decode()]
    settings.SITE_URL = "http://testserver"
    return tmp_path / "vault"


def some_data(user: User) -> dict[str, bytes]:
    """Letters (one delivered, one replaced, one on its own), and the rows around them."""
    first = make_request(user, status="agreed")
    upload(first, letter_pdf(marker="first-letter"))
    writers.deliver(
        first, name="Program", email="p@example.edu", max_downloads=2, nonce=secrets.token_hex(8)
    )
    second = make_request(user, status="agreed", waived=False)
    upload(second, letter_pdf(marker="draft"))
    upload(second, letter_pdf(marker="second-letter"))
    return {
        letter.stored_name: storage.read(letter.stored_name) for letter in VaultLetter.objects.all()
    }


def snapshot() -> dict[str, list[str]]:
    """Every backed-up row, serialized as the archive does, keyed by model."""
    out = {}
    for model in backup.backed_up_models():
        rows = serializers.serialize(
            "python", model._default_manager.order_by("pk"), use_natural_foreign_keys=True
        )
        out[model._meta.label] = [json.dumps(row, sort_keys=True, default=str) for row in rows]
    return out


def empty_instance(vault: Path) -> None:
    call_command("flush", interactive=False, verbosity=0)
    for path in vault.iterdir():
        path.unlink()


def quiet(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.slow
def test_a_round_trip_through_another_instance_loses_nothing(
    alice: User, bob: User, settings: Any, tmp_path: Path, vault: Path
) -> None:
    some_data(alice)
    some_data(bob)
    letters = {
        letter.stored_name: storage.read(letter.stored_name) for letter in VaultLetter.objects.all()
    }
    assert len(letters) == 4
    before = snapshot()
    first = tmp_path / "first.tar.gz"
    assert "4 vault files" in quiet("backup", str(first))

    # Into a fresh instance on SQLite (another process, the same keys).
    child = tmp_path / "child"
    child.mkdir()
    keys = {"PRECEPTOR_FILE_KEYS": settings.WRITERS_FILE_KEYS[0]}
    manage(child, "migrate", "--noinput", **keys)
    restored = manage(child, "restore", str(first), **keys)
    assert "Restored" in restored and "4 vault files" in restored
    second = tmp_path / "second.tar.gz"
    manage(child, "backup", str(second), **keys)

    # And back into this instance, emptied.
    empty_instance(vault)
    assert backup.holdings() == {}
    quiet("restore", str(second))
    assert snapshot() == before
    for name, data in letters.items():
        assert storage.read(name) == data
    with tarfile.open(second) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert manifest["counts"] == {label: len(rows) for label, rows in before.items()}
    assert "PRECEPTOR_FILE_KEYS" not in manifest and settings.WRITERS_FILE_KEYS[0] not in (
        first.read_bytes().decode("latin-1") + second.read_bytes().decode("latin-1")
    )


def rewrite(archive: Path, out: Path, change: dict[str, Any]) -> None:
    """Copy ``archive`` to ``out``, replacing members by name (bytes, or a function)."""
    with tarfile.open(archive) as src, tarfile.open(out, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()  # type: ignore[union-attr]
            if member.name in change:
                value = change[member.name]
                data = value(data) if callable(value) else value
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))


def test_bad_archives_are_refused_and_change_nothing(
    alice: User, tmp_path: Path, vault: Path
) -> None:
    some_data(alice)
    good = tmp_path / "good.tar.gz"
    quiet("backup", str(good))
    with pytest.raises(CommandError, match="exists"):
        quiet("backup", str(good))

    # Into an instance that holds data.
    with pytest.raises(CommandError, match="This instance is not empty"):
        quiet("restore", str(good))

    empty_instance(vault)
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(CommandError, match="damaged or truncated"):
        quiet("restore", str(truncated))

    tampered = tmp_path / "tampered.tar.gz"
    rewrite(good, tampered, {"data.json": lambda b: b.replace(b'"Program"', b'"Programme"', 1)})
    with pytest.raises(CommandError, match=r"data\.json does not match its checksum"):
        quiet("restore", str(tampered))

    def other_version(raw: bytes) -> bytes:
        manifest = json.loads(raw)
        manifest["migrations"] = [*manifest["migrations"], "letters.9999_from_the_future"]
        manifest["app_version"] = "9.9.9"
        return json.dumps(manifest).encode()

    newer = tmp_path / "newer.tar.gz"
    rewrite(good, newer, {"manifest.json": other_version})
    with pytest.raises(CommandError, match="another version of Preceptor") as e:
        quiet("restore", str(newer))
    assert "9.9.9" in str(e.value) and "letters.9999_from_the_future" in str(e.value)

    assert backup.holdings() == {}
    assert list(vault.iterdir()) == []


def test_a_restore_needs_the_keys_that_encrypted_the_letters(
    alice: User, settings: Any, tmp_path: Path, vault: Path
) -> None:
    some_data(alice)
    archive = tmp_path / "backup.tar.gz"
    quiet("backup", str(archive))
    empty_instance(vault)
    settings.WRITERS_FILE_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(CommandError, match="cannot be decrypted with the configured keys"):
        quiet("restore", str(archive))
    assert backup.holdings() == {}
    assert list(vault.iterdir()) == []


def test_loading_rows_raw_recomputes_no_reminders(
    alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db.models.signals import post_save

    from preceptor.letters.models import Application
    from preceptor.notify import signals

    resynced: list[int | None] = []
    monkeypatch.setattr(signals, "_resync", resynced.append)
    application = make_request(alice).application
    resynced.clear()
    post_save.send(sender=Application, instance=application, created=True, raw=True)
    assert resynced == []
    post_save.send(sender=Application, instance=application, created=False, raw=False)
    assert resynced == [alice.pk]
