"""``manage.py rotate_file_keys``: re-encrypt every stored letter with the newest key.

Put the new key first in ``PRECEPTOR_FILE_KEYS`` (keeping the old ones after it), run this
command, then remove the old keys. It prints progress and never prints a letter.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from preceptor.lib import text as words
from preceptor.writers import services


class Command(BaseCommand):
    help = "Re-encrypt every letter in the vault with the first key of PRECEPTOR_FILE_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(done: int, total: int) -> None:
            if done == total or done % 50 == 0:
                self.stdout.write(f"  {done}/{total} letters")

        done, problems = services.rotate_all(progress)
        for problem in problems:
            self.stderr.write(f"  {problem}")
        if problems:
            raise CommandError(
                f"{words.count(len(problems), 'letter')} could not be re-encrypted; {done} were. "
                "Keep every old key configured until this succeeds."
            )
        self.stdout.write(
            self.style.SUCCESS(f"Re-encrypted {words.count(done, 'letter')} with the newest key.")
        )
