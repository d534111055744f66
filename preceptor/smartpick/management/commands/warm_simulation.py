"""``manage.py warm_simulation``: compile the Match engine before the first simulation."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from preceptor.smartpick.warm import warm


class Command(BaseCommand):
    help = (
        "Compile every kernel SmartPick's Match simulation uses (or load it from numba's "
        "on-disk cache) by simulating a tiny market, so the first applicant's simulation "
        "does not wait for the compiler. About a minute the first time, a second or two "
        "after. `make setup` and `make migrate` run it; the worker also runs it at start."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        seconds = warm()
        self.stdout.write(f"Match simulation ready ({seconds:.1f} s).")
