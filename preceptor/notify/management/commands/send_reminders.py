"""``manage.py send_reminders [--loop] [--batch N]``: deliver due reminders.

Without ``--loop`` it sends everything due and exits. With ``--loop`` it keeps going
(sleeping ``--interval`` seconds when idle) until SIGTERM or SIGINT, finishing the message
in hand and giving back the rest of its batch. Any number may run at once (see
``preceptor/notify/engine.py`` for how each reminder is sent exactly once).

The loop never dies of a failed pass: the database locked by a long write elsewhere, or
unreachable for a while, is logged and the pass tried again after a back-off (the
interval, doubling, at most a minute). A heartbeat thread reports the sender to /healthz
all along (``sender`` there), and its row is removed when the loop stops cleanly.
"""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from preceptor.core.heartbeat import beating
from preceptor.core.models import WorkerHeartbeat
from preceptor.lib.backoff import Backoff
from preceptor.notify import engine

# The longest wait between two tries while passes keep failing.
MAX_BACKOFF_SECONDS = 60.0


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
        with beating(f"sender:{worker}"[:64], role=WorkerHeartbeat.Role.SENDER):
            sent = self._loop(worker, batch, interval, stopping)
        self.stdout.write(f"send_reminders {worker}: stopped after sending {sent}.")

    def _loop(self, worker: str, batch: int, interval: float, stopping: threading.Event) -> int:
        backoff = Backoff(base=max(interval, 0.1), cap=max(interval, MAX_BACKOFF_SECONDS))
        sent = 0
        failed = False
        while not stopping.is_set():
            try:
                close_old_connections()
                if failed:
                    # Give back what the failed pass held, rather than after the stale limit.
                    engine.recover_stale(timezone.now(), worker=worker)
                    failed = False
                result = engine.run_pass(worker, batch, should_stop=stopping.is_set)
            except Exception as e:
                # The database may be locked or unreachable for a while: keep the loop
                # alive and try again later. The rows the failed pass claimed are recovered
                # first thing next time (engine.recover_stale), so each goes out once.
                failed = True
                wait = backoff.next()
                self.stderr.write(
                    f"send_reminders: pass failed ({type(e).__name__}: {e}); "
                    f"retrying in {wait:.1f} s"
                )
                stopping.wait(wait)
                continue
            backoff.reset()
            sent += result.sent
            if result.sent or result.failed or result.retried:
                self.stdout.write(
                    f"sent {result.sent}, in-app {result.in_app}, retry {result.retried}, "
                    f"failed {result.failed} (total sent {sent})"
                )
            if not result.claimed and not result.contended:
                stopping.wait(interval)
        close_old_connections()
        return sent
