"""``manage.py seed_demo``: a demo account with a filled-in profile (and whatever apps add)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from preceptor.accounts.models import User
from preceptor.core import demo


class Command(BaseCommand):
    help = (
        "Create the demo account, or reset it to the demo data if it exists (everything "
        "entered in it is replaced), and print how to log in. With --if-missing an existing "
        "demo account is kept as it is."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", default=demo.DEMO_EMAIL)
        parser.add_argument("--password", default=demo.DEMO_PASSWORD)
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="Only create the account when it does not exist; never reset it.",
        )

    def handle(
        self, *args: Any, email: str, password: str, if_missing: bool, **options: Any
    ) -> None:
        kept = if_missing and User.objects.filter(email__iexact=email).exists()
        if kept:
            self.stdout.write(
                self.style.SUCCESS(
                    "Kept the existing demo account and everything in it "
                    "(`make demo` resets it to the demo data)."
                )
            )
        else:
            with transaction.atomic():
                _, created = demo.seed(email=email, password=password)
            if created:
                self.stdout.write(self.style.SUCCESS("Created the demo account."))
            else:
                self.stdout.write(
                    self.style.SUCCESS(
                        "Reset the demo account: everything in it was replaced by the demo data."
                    )
                )
        self.stdout.write(f"  Log in at {settings.SITE_URL}/account/login/")
        self.stdout.write(f"  Email:    {email}")
        self.stdout.write(f"  Password: {password}" + (" (unless you changed it)" if kept else ""))
