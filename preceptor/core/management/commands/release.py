"""``manage.py release``: what to run once per deploy, before the new code serves.

In order, stopping at the first failure: ``check --deploy`` (a production setting missing or
unsafe stops the release before anything changes), ``migrate``, ``createcachetable`` (for
``CACHE_URL=db://``; migrate creates it too), ``collectstatic`` (WhiteNoise serves them) and
``sync_reminders`` (reminders computed by the new code). Every step is idempotent: running
the release twice changes nothing the second time. Run it on one machine only; the others
just start the new code (docs/deploy.md).
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Check the deployment settings, migrate, create the cache table, collect static files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--skip-sync",
            action="store_true",
            help="Leave out sync_reminders (run it later, or from the daily timer).",
        )

    def handle(self, *args: Any, skip_sync: bool = False, **options: Any) -> None:
        verbosity = int(options.get("verbosity", 1))
        steps: list[tuple[str, tuple[str, ...], dict[str, Any]]] = [
            ("check --deploy", ("check",), {"deploy": True, "fail_level": "ERROR"}),
            ("migrate", ("migrate",), {"interactive": False}),
            ("createcachetable", ("createcachetable",), {}),
            ("collectstatic", ("collectstatic",), {"interactive": False}),
        ]
        if not skip_sync:
            steps.append(("sync_reminders", ("sync_reminders",), {}))
        for label, command, kwargs in steps:
            self.stdout.write(f"release: {label}")
            call_command(*command, verbosity=max(verbosity - 1, 0), **kwargs)
        self.stdout.write(self.style.SUCCESS("release: done"))
