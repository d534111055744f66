"""``manage.py sweep_vault``: remove stored letter files that no letter names any more.

A file is left behind when it could not be deleted at the time (the object store was
unreachable when its letter was replaced or deleted, or when an upload failed after its
file was stored). Files younger than ``--grace-minutes`` (default 60) are kept: an upload
stores its file a moment before the row naming it commits. ``--dry-run`` only lists them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from preceptor.lib import text as words
from preceptor.writers import services, storage


class Command(BaseCommand):
    help = "Remove vault files that no letter names (left by failed deletes)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--grace-minutes", type=int, default=60)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["grace_minutes"] < 0:
            raise CommandError("--grace-minutes cannot be negative.")
        grace = dt.timedelta(minutes=options["grace_minutes"])
        try:
            removed, problems = services.sweep_vault(grace=grace, dry_run=options["dry_run"])
        except storage.StorageUnavailable as e:
            raise CommandError(f"{e} ({storage.where()}); nothing was removed.") from e
        verb = "Would remove" if options["dry_run"] else "Removed"
        for name in removed:
            self.stdout.write(f"  {name}")
        for problem in problems:
            self.stderr.write(f"  {problem}")
        found = words.count(len(removed), "orphaned file")
        self.stdout.write(f"{verb} {found} from {storage.where()}.")
        if problems:
            raise CommandError(f"{words.count(len(problems), 'file')} could not be removed.")
