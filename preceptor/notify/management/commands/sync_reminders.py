"""``manage.py sync_reminders [--email E]``: recompute every user's reminders and calendar.

Changes resync on their own (signals); run this after deploying, after restoring a backup,
or from cron once a day as a safety net. Idempotent: a second run changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from preceptor.accounts.models import User
from preceptor.notify.sync import sync_user


class Command(BaseCommand):
    help = "Recompute reminders and calendar events for every user (or one)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", help="Only this user.")

    def handle(self, *args: Any, email: str | None, **options: Any) -> None:
        users = User.objects.filter(is_active=True).select_related("profile").order_by("pk")
        if email:
            users = users.filter(email=email.lower())
            if not users.exists():
                self.stderr.write(f"No active user with the email {email}.")
                raise SystemExit(1)
        total = users.count()
        created = rescheduled = cancelled = 0
        for n, user in enumerate(users.iterator(), start=1):
            result = sync_user(user)
            created += result.created
            rescheduled += result.rescheduled
            cancelled += result.cancelled
            if n % 100 == 0 or n == total:
                self.stdout.write(f"\r{n}/{total} users", ending="")
        self.stdout.write(
            f"\nSynced {total} users: {created} reminders created, {rescheduled} rescheduled, "
            f"{cancelled} cancelled."
        )
