"""Backups: one archive with the database's rows, the vault's files and a manifest.

The archive is a gzip'd tar holding, in this order:

- ``manifest.json``: the format and its version, the app's version, the migrations the
  database was at, the number of rows of every model, and the sha256 of every other member;
- ``data.json``: every row of every model as Django's JSON serialization (portable: made on
  SQLite it loads into PostgreSQL and back), with natural keys for content types and
  permissions, which ``migrate`` creates on every instance with ids of its own;
- ``vault/<name>``: each stored letter as it is stored, still encrypted.

The file keys are never inside: a restore needs the same ``PRECEPTOR_FILE_KEYS`` (every
vault file is checked against them before anything is written).

Left out: content types and permissions (made by ``migrate``; rows pointing at them are
matched by natural key) and worker heartbeats (the state of processes on the old machine).
Rows that migrations seed (the letter service rules) are replaced by the archive's, so an
operator's edits come back. :func:`restore` refuses a damaged or truncated archive, one made
at other migrations, and an instance that already holds data.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import importlib.metadata
import io
import json
import os
import re
import shutil
import tarfile
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from preceptor.writers import storage

FORMAT = "preceptor-backup"
FORMAT_VERSION = 1

# Made by `migrate` on every instance (with their own ids): never in the archive.
EXCLUDED = {"contenttypes.ContentType", "auth.Permission", "core.WorkerHeartbeat"}
# Seeded by a data migration: present in an empty instance, replaced by the archive's rows.
SEEDED = {"letters.ServiceRule"}

_VAULT_NAME = re.compile(r"vault/([0-9a-f]{32})")


class _ExactEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds; a backup keeps every microsecond."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time) and o.microsecond:
            value = o.isoformat()
            return value[:-6] + "Z" if value.endswith("+00:00") else value
        return super().default(o)


class BackupError(Exception):
    """The archive cannot be written or restored; the message says why. Nothing changed."""


def app_version() -> str:
    try:
        return importlib.metadata.version("preceptor")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def backed_up_models() -> list[type[models.Model]]:
    """Every concrete model whose rows go into the archive, in an order that loads."""
    chosen: dict[Any, list[type[models.Model]]] = {}
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed or meta.label in EXCLUDED:
            continue
        chosen.setdefault(meta.app_config, []).append(model)
    return list(serializers.sort_dependencies(chosen.items(), allow_cycles=True))


def applied_migrations(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    recorder = MigrationRecorder(connections[using])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _rows(model: type[models.Model]) -> Iterable[models.Model]:
    return model._default_manager.order_by("pk").iterator(chunk_size=500)


@contextlib.contextmanager
def _snapshot() -> Iterator[None]:
    """A transaction that sees one moment of the database without holding up writers.

    PostgreSQL: REPEATABLE READ, read only (READ COMMITTED would let the tables be read at
    different moments). SQLite: a DEFERRED transaction, where WAL gives a reader its snapshot
    without the write lock that the app's IMMEDIATE transactions take, so users keep saving
    while a backup runs.
    """
    connection: Any = connections[DEFAULT_DB_ALIAS]  # SQLite's wrapper has transaction_mode
    outermost = not connection.in_atomic_block
    if connection.vendor == "sqlite":
        connection.ensure_connection()  # connecting sets transaction_mode from the settings
    saved = getattr(connection, "transaction_mode", None)
    if connection.vendor == "sqlite":
        connection.transaction_mode = "DEFERRED"
    try:
        with transaction.atomic():
            if outermost and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield
    finally:
        if connection.vendor == "sqlite":
            connection.transaction_mode = saved


def backup(out: Path, progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Write the archive to ``out`` (atomically: a failed backup leaves no file there)."""
    say = progress or (lambda _: None)
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="preceptor-backup-") as tmp_dir:
        tmp = Path(tmp_dir)
        data = tmp / "data.json"
        counts: dict[str, int] = {}
        # One snapshot: rows written meanwhile cannot make the counts disagree with the data.
        with _snapshot(), data.open("w") as f:
            model_list = backed_up_models()
            for model in model_list:
                counts[model._meta.label] = model._default_manager.count()
            objects = (obj for model in model_list for obj in _rows(model))
            serializers.serialize(
                "json",
                objects,
                stream=f,
                use_natural_foreign_keys=True,
                use_natural_primary_keys=False,
                cls=_ExactEncoder,
            )
            names = sorted(
                apps.get_model("writers", "VaultLetter")._default_manager.values_list(
                    "stored_name", flat=True
                )
            )
            migrations = applied_migrations()
        say(f"{sum(counts.values())} rows from {len(counts)} tables")
        files = {"data.json": _sha256(data)}
        vault = tmp / "vault"
        vault.mkdir()
        for name in names:
            try:
                token = storage.read_raw(name)
            except storage.StorageError as e:
                raise BackupError(
                    f"Vault file {name} cannot be read: {e} No archive written."
                ) from e
            (vault / name).write_bytes(token)
            files[f"vault/{name}"] = hashlib.sha256(token).hexdigest()
        say(f"{len(names)} vault files (still encrypted)")
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "app_version": app_version(),
            "created_at": timezone.now().isoformat(),
            "database_vendor": connections[DEFAULT_DB_ALIAS].vendor,
            "migrations": migrations,
            "counts": counts,
            "vault_files": len(names),
            "files": files,
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
        partial = out.with_name(f".{out.name}.partial")
        try:
            with tarfile.open(partial, "w:gz") as tar:
                tar.add(tmp / "manifest.json", arcname="manifest.json")
                tar.add(data, arcname="data.json")
                for name in names:
                    tar.add(vault / name, arcname=f"vault/{name}")
            os.replace(partial, out)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


# ---------------------------------------------------------------- restore


def _unpack(archive: Path, into: Path) -> dict[str, Any]:
    """Unpack into ``into`` and check every member against the manifest."""
    damaged = f"{archive} is damaged or truncated"
    try:
        with tarfile.open(archive, "r:gz") as tar:
            members = tar.getmembers()
            for member in members:
                if not member.isfile() or not (
                    member.name in {"manifest.json", "data.json"}
                    or _VAULT_NAME.fullmatch(member.name)
                ):
                    raise BackupError(f"{damaged}: unexpected member {member.name!r}.")
                source = tar.extractfile(member)
                assert source is not None  # a regular file, checked above
                target = into / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                with target.open("wb") as f:
                    shutil.copyfileobj(source, f)
    except (tarfile.TarError, EOFError, OSError, UnicodeDecodeError) as e:
        raise BackupError(f"{damaged} ({e}); nothing was restored.") from e
    try:
        manifest = json.loads((into / "manifest.json").read_text())
    except (OSError, ValueError) as e:
        raise BackupError(f"{damaged}: its manifest is missing or unreadable.") from e
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} is not a Preceptor backup.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{archive} is a backup of format {manifest.get('format_version')}; this version "
            f"of Preceptor reads format {FORMAT_VERSION}."
        )
    files = manifest.get("files") or {}
    present = {m.name for m in members} - {"manifest.json"}
    if present != set(files):
        missing = sorted(set(files) - present)
        raise BackupError(
            f"{damaged}: {len(missing)} of its files are missing"
            + (f" (first: {missing[0]})" if missing else "")
            + "; nothing was restored."
        )
    for name, expected in files.items():
        if _sha256(into / name) != expected:
            raise BackupError(f"{damaged}: {name} does not match its checksum.")
    return manifest


def _check_version(manifest: dict[str, Any]) -> None:
    theirs, ours = set(manifest.get("migrations") or []), set(applied_migrations())
    if theirs == ours:
        return
    only_theirs, only_ours = sorted(theirs - ours), sorted(ours - theirs)
    detail = []
    if only_theirs:
        detail.append(f"the archive has {len(only_theirs)} this one lacks ({only_theirs[0]}, …)")
    if only_ours:
        detail.append(f"this instance has {len(only_ours)} the archive lacks ({only_ours[0]}, …)")
    raise BackupError(
        f"This archive was made by another version of Preceptor "
        f"({manifest.get('app_version', 'unknown')}, at other migrations: "
        f"{'; '.join(detail)}). Restore it with the version that made it, into a database "
        "migrated with that version, then upgrade; nothing was restored."
    )


def holdings() -> dict[str, int]:
    """Rows this instance holds that a restore would collide with (seeded rows aside)."""
    found = {}
    for model in backed_up_models():
        if model._meta.label in SEEDED:
            continue
        n = model._default_manager.count()
        if n:
            found[model._meta.label] = n
    return found


def _check_empty() -> None:
    found = holdings()
    if found:
        listed = ", ".join(f"{n} {label}" for label, n in sorted(found.items())[:4])
        raise BackupError(
            f"This instance is not empty ({listed}{', …' if len(found) > 4 else ''}): a "
            "restore goes into a new, migrated database. Nothing was restored."
        )
    leftover = next(iter(storage.stored_files()), None)
    if leftover is not None:
        raise BackupError(
            f"The vault at {storage.where()} is not empty ({leftover[0]}, …): a restore goes "
            "into an empty vault. Nothing was restored."
        )


def restore(archive: Path, progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Restore ``archive`` into this (empty, migrated) instance; return its manifest.

    Every check comes first (the archive whole, same migrations, an empty instance, every
    vault file readable with the configured keys); then the vault files are stored and the
    rows loaded in one transaction. If loading fails, the files just stored are removed.
    """
    say = progress or (lambda _: None)
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist.")
    with tempfile.TemporaryDirectory(prefix="preceptor-restore-") as tmp_dir:
        tmp = Path(tmp_dir)
        manifest = _unpack(archive, tmp)
        _check_version(manifest)
        _check_empty()
        names = sorted(
            m.group(1) for n in manifest["files"] if (m := _VAULT_NAME.fullmatch(n)) is not None
        )
        fernet = storage.fernet()
        for name in names:
            try:
                fernet.decrypt((tmp / "vault" / name).read_bytes())
            except Exception as e:
                raise BackupError(
                    f"Vault file {name} cannot be decrypted with the configured keys "
                    "(PRECEPTOR_FILE_KEYS): the archive never holds them, so configure the "
                    "keys of the instance that made it. Nothing was restored."
                ) from e
        stored: list[str] = []
        try:
            for name in names:
                storage.write_raw(name, (tmp / "vault" / name).read_bytes())
                stored.append(name)
            say(f"{len(stored)} vault files stored")
            _load(tmp / "data.json", manifest)
        except BaseException:
            for name in stored:
                storage.delete(name)
            raise
        say(f"{sum(manifest['counts'].values())} rows loaded")
    return manifest


def _load(data: Path, manifest: dict[str, Any]) -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    expected: dict[str, int] = manifest.get("counts") or {}
    loaded: set[type[models.Model]] = set()
    with transaction.atomic():
        for label in SEEDED:
            apps.get_model(label)._default_manager.all().delete()
        with data.open("rb") as f, connection.constraint_checks_disabled():
            stream = io.TextIOWrapper(f, encoding="utf-8")
            deferred = []
            try:
                for deserialized in serializers.deserialize(
                    "json", stream, handle_forward_references=True
                ):
                    deserialized.save()
                    loaded.add(type(deserialized.object))
                    if deserialized.deferred_fields:
                        deferred.append(deserialized)
                for deserialized in deferred:
                    deserialized.save_deferred_fields()
            except serializers.base.DeserializationError as e:
                raise BackupError(f"The archive's rows cannot be loaded: {e}") from e
        connection.check_constraints(table_names=[m._meta.db_table for m in loaded])
        sequences = connection.ops.sequence_reset_sql(no_style(), list(loaded))
        with connection.cursor() as cursor:
            for sql in sequences:
                cursor.execute(sql)
        for model in backed_up_models():
            label = model._meta.label
            have, want = model._default_manager.count(), expected.get(label, 0)
            if have != want:
                raise BackupError(
                    f"Restoring left {have} {label} rows where the archive has {want}; "
                    "nothing was restored."
                )
