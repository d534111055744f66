"""Export an account, and import an export into an account that holds nothing yet."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import IO, Any

from django.db import DataError, IntegrityError, transaction

from preceptor.accounts.models import User
from preceptor.lib.pdf import PdfInfo
from preceptor.portability import archive, documents, records
from preceptor.portability.records import Refused

log = logging.getLogger(__name__)

__all__ = ["ImportResult", "Refused", "export_account", "has_data", "import_account"]


def export_account(user: User) -> bytes:
    """The user's export: a ZIP of manifest.json, data.json and their documents."""
    dump = records.dump(user)
    return archive.write(dump.data, dump.files, dump.counts)


def export_filename(user: User, today: Any) -> str:
    return f"preceptor-export-{today.isoformat()}.zip"


def has_data(user: User) -> bool:
    """Whether the account holds anything of its own beyond what sign-up made."""
    return any(
        records.rows_of(model, user).exists()
        for model in records.owned_models()
        if not records.is_singleton(model)
    )


@dataclass(frozen=True)
class ImportResult:
    counts: dict[str, int]
    exported_at: str
    removed: list[str]  # documents whose active content the checks removed

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def import_account(user: User, upload: IO[bytes] | bytes) -> ImportResult:
    """Fill ``user``'s empty account from an export, all or nothing.

    Raises :class:`Refused` with a sentence when the archive is damaged, of another format,
    too large, unsafe, or the account already holds data; nothing changes then.
    """
    if has_data(user):
        raise _not_empty()
    contents = archive.read(upload)
    records.check_shape(contents.data)
    named = records.referenced_files(contents.data)
    unused = sorted(set(contents.files) - set(named))
    if unused:
        raise Refused(f"The archive holds documents no row names: {', '.join(unused)}.")
    missing = sorted(set(named) - set(contents.files))
    if missing:
        raise Refused(f"data.json names documents the archive lacks: {', '.join(missing)}.")
    # Documents are checked before the transaction opens, as uploads are: a check takes
    # up to seconds, and SQLite would hold every other writer for that long.
    checked: dict[str, PdfInfo] = {}
    for path, (label, field, _) in sorted(named.items()):
        try:
            checked[path] = documents.check(label, field, path, contents.files[path])
        except documents.DocumentRefused as e:
            raise Refused(f"{e} Nothing was imported.") from e
    try:
        with transaction.atomic():
            # Again inside the transaction: a second import racing this one finds the rows.
            if has_data(user):
                raise _not_empty()
            counts = records.load(user, contents.data, checked)
            transaction.on_commit(lambda: _rebuild_reminders(user.pk))
    except (IntegrityError, DataError) as e:
        # A rule only the database checks (two tags of one name, a number out of range):
        # the transaction is rolled back whole.
        log.info("import refused by the database for user %s: %s", user.pk, e)
        raise Refused(
            "The export breaks a rule of the database (for example two tags with the same "
            "name, or a number out of range); nothing was imported."
        ) from e
    return ImportResult(
        counts=counts,
        exported_at=str(contents.manifest.get("exported_at", "")),
        removed=sorted(path for path, info in checked.items() if info.removed),
    )


def _not_empty() -> Refused:
    return Refused(
        "This account already holds data, so nothing was imported: an import only fills an "
        "account that is new. Sign up for a new account and import there, or delete this "
        "account's mentors, applications and achievements first."
    )


def _rebuild_reminders(user_id: int) -> None:
    """Reminders and calendar events are computed from the imported rows."""
    from preceptor.notify.sync import sync_user

    user = User.objects.select_related("profile").get(pk=user_id)
    try:
        sync_user(user)
    except Exception:
        # The import stands; the next change the user makes runs the sync again.
        log.exception("reminder sync after import failed for user %s", user_id)
