"""``manage.py seed_demo``: a demo account with a filled-in profile (and whatever apps add)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from preceptor.core import demo


class Command(BaseCommand):
    help = "Create (or refresh) the demo account and its data, and print how to log in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", default=demo.DEMO_EMAIL)
        parser.add_argument("--password", default=demo.DEMO_PASSWORD)

    def handle(self, *args: Any, email: str, password: str, **options: Any) -> None:
        with transaction.atomic():
            user, created = demo.seed(email=email, password=password)
        verb = "Created" if created else "Refreshed"
        self.stdout.write(self.style.SUCCESS(f"{verb} the demo account."))
        self.stdout.write("  Log in at http://127.0.0.1:8000/account/login/")
        self.stdout.write(f"  Email:    {user.email}")
        self.stdout.write(f"  Password: {password}")
