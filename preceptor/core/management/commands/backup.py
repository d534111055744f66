"""``manage.py backup OUT``: write one archive of this instance (see docs/backup.md).

The database's rows (portable between SQLite and PostgreSQL), the vault's files as stored
(still encrypted) and a manifest with counts and checksums. The file keys are never in it:
keep them apart, as ``PRECEPTOR_FILE_KEYS`` is kept.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from preceptor.core import backup
from preceptor.lib import text as words


class Command(BaseCommand):
    help = "Write a backup archive (rows, encrypted vault files, manifest; never the keys)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", help="the archive to write, e.g. preceptor-2026-12-06.tar.gz")
        parser.add_argument("--force", action="store_true", help="replace an existing file")

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        if out.exists() and not options["force"]:
            raise CommandError(f"{out} exists; choose another name or pass --force.")
        if not out.parent.is_dir():
            raise CommandError(f"{out.parent} is not a directory.")
        try:
            manifest = backup.backup(out, progress=lambda line: self.stdout.write(f"  {line}"))
        except backup.BackupError as e:
            raise CommandError(str(e)) from e
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {out}: {words.count(rows, 'row')}, "
                f"{words.count(manifest['vault_files'], 'vault file')}. The file keys are not in "
                "it: without them the letters cannot be read."
            )
        )
