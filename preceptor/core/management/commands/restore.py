"""``manage.py restore ARCHIVE``: restore a backup into this empty, migrated instance.

Refuses a damaged or truncated archive, one made at other migrations (another version),
an instance that already holds data, and vault files the configured keys cannot read;
in each case nothing is written (see docs/backup.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from preceptor.core import backup
from preceptor.lib import text as words


class Command(BaseCommand):
    help = "Restore a backup archive into this empty, migrated instance."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup.restore(
                Path(options["archive"]), progress=lambda line: self.stdout.write(f"  {line}")
            )
        except backup.BackupError as e:
            raise CommandError(str(e)) from e
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {words.count(rows, 'row')} and "
                f"{words.count(manifest['vault_files'], 'vault file')} "
                f"(backup of {manifest['created_at']}, Preceptor {manifest['app_version']})."
            )
        )
