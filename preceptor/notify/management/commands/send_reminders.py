"""``manage.py send_reminders [--loop] [--batch N]``: deliver due reminders.

Without ``--loop`` it sends everything due and exits. With ``--loop`` it keeps going
(sleeping ``--interval`` seconds when idle) until SIGTERM or SIGINT, finishing the message
in hand and giving back the rest of its batch. Any number may run at once (see
``preceptor/notify/engine.py`` for how each reminder is sent exactly once).
"""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from preceptor.notify import engine


class Command(BaseCommand):
    help = "Send due reminders and digests (any number of copies may run at once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="Keep running until stopped.")
        parser.add_argument(
            "--batch", type=int, default=100, help="Rows claimed per pass (default %(default)s)."
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=5.0,
            help="Seconds to wait when nothing is due (default %(default)s).",
        )
        parser.add_argument("--worker-id", default="", help="Name recorded on claimed rows.")

    def handle(
        self,
        *args: Any,
        loop: bool,
        batch: int,
        interval: float,
        worker_id: str,
        **options: Any,
    ) -> None:
        if batch < 1:
            self.stderr.write("--batch must be at least 1.")
            raise SystemExit(2)
        worker = worker_id or engine.worker_name()
        if not loop:
            result = engine.send_due(batch=batch, worker=worker)
            self.stdout.write(
                f"Sent {result.sent} emails, {result.in_app} in-app notifications; "
                f"{result.retried} to retry, {result.failed} failed, {result.moot} no longer "
                f"needed, {result.recovered} recovered from stopped workers."
            )
            return

        stopping = threading.Event()

        def stop(signum: int, frame: object) -> None:
            stopping.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"send_reminders {worker}: running; SIGTERM or Ctrl-C stops.")
        sent = 0
        while not stopping.is_set():
            close_old_connections()
            try:
                result = engine.run_pass(worker, batch, should_stop=stopping.is_set)
            except Exception as e:
                # The database may be briefly unavailable; keep the loop alive.
                self.stderr.write(f"send_reminders: pass failed: {type(e).__name__}: {e}")
                stopping.wait(interval)
                continue
            sent += result.sent
            if result.sent or result.failed or result.retried:
                self.stdout.write(
                    f"sent {result.sent}, in-app {result.in_app}, retry {result.retried}, "
                    f"failed {result.failed} (total sent {sent})"
                )
            if not result.claimed and not result.contended:
                stopping.wait(interval)
        close_old_connections()
        self.stdout.write(f"send_reminders {worker}: stopped after sending {sent}.")
