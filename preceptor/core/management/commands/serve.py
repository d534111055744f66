"""``manage.py serve``: the web server, the background worker and the reminder sender
together; Ctrl-C stops all three.

The reminder sender (``send_reminders --loop``) is its own process rather than a thread
of the worker: it claims rows with its own conditional UPDATE, so it can be scaled and
restarted independently, and a crash in one never takes the other down.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Start the development web server, the background worker and the reminder sender; "
        "Ctrl-C stops them all."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "addrport",
            nargs="?",
            default="127.0.0.1:8000",
            help="Address and port for the web server (default: %(default)s).",
        )
        parser.add_argument(
            "--no-reload",
            action="store_true",
            help="Do not restart the web server when code changes.",
        )

    def handle(self, *args: Any, addrport: str, no_reload: bool, **options: Any) -> None:
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        web_cmd = [*manage, "runserver", addrport]
        if no_reload:
            web_cmd.append("--noreload")
        # Each child gets its own process group so that the terminal's Ctrl-C reaches us
        # only; we then stop every child in order and wait for them.
        children = [
            ("web", subprocess.Popen(web_cmd, start_new_session=True)),
            (
                "worker",
                subprocess.Popen([*manage, "worker", "--no-reload"], start_new_session=True),
            ),
            (
                "reminder sender",
                subprocess.Popen([*manage, "send_reminders", "--loop"], start_new_session=True),
            ),
        ]
        self.stdout.write(
            f"Preceptor is running on http://{addrport}/ with a background worker and the "
            "reminder sender. Press Ctrl-C to stop them all."
        )
        if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
            self.stdout.write(
                f"Emails are written to {settings.EMAIL_FILE_PATH}/ (no mail is sent)."
            )

        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        exit_code = 0
        try:
            while not stopping:
                for name, proc in children:
                    code = proc.poll()
                    if code is not None:
                        self.stderr.write(f"The {name} process exited with code {code}; stopping.")
                        exit_code = code or 1
                        stopping = True
                        break
                time.sleep(0.3)
        finally:
            self.stdout.write("Stopping the web server, the worker and the reminder sender…")
            for _, proc in children:
                if proc.poll() is None:
                    # The whole group: runserver's autoreloader runs the server in a child.
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(proc.pid, signal.SIGTERM)
            deadline = time.monotonic() + 10
            for _, proc in children:
                try:
                    proc.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
        if exit_code:
            sys.exit(exit_code)
