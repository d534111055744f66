"""``manage.py import_account EMAIL IN.zip``: fill an empty account from an export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from preceptor.accounts.models import User
from preceptor.portability import services


class Command(BaseCommand):
    help = "Import an export ZIP into an existing account that holds no data yet."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="the account to fill (it must hold no data yet)")
        parser.add_argument("archive", help="the export ZIP")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"]).first()
        if user is None:
            raise CommandError(f"No account has the email address {options['email']}.")
        path = Path(options["archive"])
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        with path.open("rb") as f:
            try:
                result = services.import_account(user, f)
            except services.Refused as e:
                raise CommandError(str(e)) from e
        self.stdout.write(f"Imported {result.total} records into {user.email}.")
