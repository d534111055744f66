"""``manage.py export_account EMAIL OUT.zip``: an account's export, as from its "Your data" page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from preceptor.accounts.models import User
from preceptor.portability import services


class Command(BaseCommand):
    help = "Write one account's export (manifest.json, data.json, its documents) to a ZIP file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="the account's email address")
        parser.add_argument("out", help="the ZIP file to write ('-' for standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"]).first()
        if user is None:
            raise CommandError(f"No account has the email address {options['email']}.")
        data = services.export_account(user)
        if options["out"] == "-":
            self.stdout.buffer.write(data)  # type: ignore[attr-defined]
            return
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(f"The folder {out.parent} does not exist.")
        tmp = out.with_name(out.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(out)
        self.stdout.write(f"Wrote {out} ({len(data):,} bytes) for {user.email}.")
