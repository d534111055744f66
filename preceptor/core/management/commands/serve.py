"""``manage.py serve``: the web server, a task worker for each queue and the reminder sender
together; Ctrl-C stops them all.

Each runs as its own process: the ``default`` queue's worker (email and anything a person
waits for) never waits behind the ``simulations`` worker, and the reminder sender
(``send_reminders --loop``) claims rows with its own conditional UPDATE, so a crash in one
never takes the others down.

A child that exits while serve is not stopping is started again, after a wait that doubles
with each exit in a row (1 s, 2 s, 4 s … at most 30 s; a child that ran a minute starts
afresh), so a crash loop does not spin. Each restart is printed and recorded in a small
JSON file whose path the children get as ``PRECEPTOR_SERVE_STATE``, which /healthz shows
as ``serve`` (restarts, the last one, each process).

Links in emails and on pages use ``SITE_URL``; unless it is set, serve sets it to the
address it serves, for itself and its children.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

from preceptor.core import services
from preceptor.lib import queues
from preceptor.lib.backoff import Backoff
from preceptor.lib.env import env

# A child that ran this long before exiting is restarted after the shortest wait again.
HEALTHY_SECONDS = 60.0


def site_url_for(addrport: str) -> str:
    """The address links should use for ``runserver``'s ADDRPORT ("8000", "0.0.0.0:8000",
    "[::1]:8000", "localhost:8000"): a wildcard address becomes the loopback one."""
    host, _, port = addrport.rpartition(":")
    if host in ("", "0", "0.0.0.0"):  # noqa: S104 - mapping the wildcard, not binding it
        host = "127.0.0.1"
    elif host == "[::]":
        host = "[::1]"
    return f"http://{host}:{port}"


def describe_exit(code: int) -> str:
    if code < 0:
        with contextlib.suppress(ValueError):
            return f"was killed by {signal.Signals(-code).name}"
        return f"was killed by signal {-code}"
    return f"exited with code {code}"


@dataclass
class Child:
    name: str
    cmd: list[str]
    proc: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    restart_at: float | None = None
    restarts: int = 0
    backoff: Backoff = field(default_factory=lambda: Backoff(base=1.0, cap=30.0))

    def start(self, env: dict[str, str]) -> None:
        # Its own process group, so that the terminal's Ctrl-C reaches serve only; serve
        # then stops every child in order and waits for them.
        self.proc = subprocess.Popen(self.cmd, start_new_session=True, env=env)
        self.started = time.monotonic()
        self.restart_at = None


class Command(BaseCommand):
    help = (
        "Start the development web server, a task worker for each queue and the reminder "
        "sender; restart any of them that exits; Ctrl-C stops them all. SITE_URL defaults "
        "to the address served."
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
        parser.add_argument(
            "--demo",
            action="store_true",
            help="First create the demo account if it does not exist (an existing one is "
            "kept; `manage.py seed_demo` resets it) and print how to log in.",
        )

    def handle(
        self, *args: Any, addrport: str, no_reload: bool, demo: bool, **options: Any
    ) -> None:
        served = site_url_for(addrport)
        if env("SITE_URL") is None:
            # For this process (the demo account's login link) and, through the
            # environment, for every child.
            os.environ["SITE_URL"] = settings.SITE_URL = served
        if demo:
            call_command("seed_demo", if_missing=True, stdout=self.stdout)
        state_file = Path(settings.VAR_DIR) / f"serve-{os.getpid()}.json"
        state_file.parent.mkdir(parents=True, exist_ok=True)
        child_env = {**os.environ, "PRECEPTOR_SERVE_STATE": str(state_file)}
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        web_cmd = [*manage, "runserver", addrport]
        if no_reload:
            web_cmd.append("--noreload")
        worker = [*manage, "worker", "--no-reload", "--queue-name"]
        children = [
            Child("web server", web_cmd),
            Child("worker", [*worker, queues.URGENT]),
            Child("simulation worker", [*worker, queues.SIMULATIONS]),
            Child("reminder sender", [*manage, "send_reminders", "--loop"]),
        ]
        self.state: dict[str, Any] = {
            "pid": os.getpid(),
            "started_at": timezone.now().isoformat(),
            "restarts": 0,
            "last_restart": None,
            "processes": {},
        }
        stopping = False

        def stop(signum: int, frame: object) -> None:
            nonlocal stopping
            stopping = True

        # Before the first child starts, so that no Ctrl-C can leave one running.
        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            for child in children:
                child.start(child_env)
            self._save(state_file, children)
            self.stdout.write(
                f"Preceptor is running on {served}/ with background workers "
                "and the reminder sender. Press Ctrl-C to stop them all."
            )
            if served != settings.SITE_URL:
                self.stdout.write(f"Links in emails point at SITE_URL={settings.SITE_URL}.")
            if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
                self.stdout.write(
                    f"Emails are written to {settings.EMAIL_FILE_PATH}/ (no mail is sent)."
                )
            while not stopping:
                self._supervise(children, child_env, state_file)
                time.sleep(0.2)
        finally:
            self.stdout.write("Stopping the web server, the workers and the reminder sender…")
            self._stop(children)
            state_file.unlink(missing_ok=True)

    def _supervise(self, children: list[Child], env: dict[str, str], state_file: Path) -> None:
        now = time.monotonic()
        changed = False
        for child in children:
            assert child.proc is not None
            if child.restart_at is not None:
                if now >= child.restart_at:
                    child.start(env)
                    self.stdout.write(f"Restarted the {child.name} (pid {child.proc.pid}).")
                    changed = True
                continue
            code = child.proc.poll()
            if code is None:
                if now - child.started > HEALTHY_SECONDS:
                    child.backoff.reset()
                continue
            # Whatever it left running in its group (runserver's autoreloader runs the
            # server in a child, which would keep the port) goes with it.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(child.proc.pid, signal.SIGKILL)
            try:
                services.forget_process(child.proc.pid)
            except DatabaseError as e:  # it goes stale on /healthz instead
                self.stderr.write(f"Could not remove the {child.name}'s heartbeat: {e}")
            if now - child.started > HEALTHY_SECONDS:
                child.backoff.reset()
            wait = child.backoff.next()
            child.restart_at = now + wait
            child.restarts += 1
            self.state["restarts"] += 1
            self.state["last_restart"] = {
                "process": child.name,
                "exit_code": code,
                "at": timezone.now().isoformat(),
            }
            self.stderr.write(
                f"The {child.name} {describe_exit(code)}; restarting it in {wait:.1f} s "
                f"(restart {child.restarts})."
            )
            changed = True
        if changed:
            self._save(state_file, children)
            close_old_connections()

    def _save(self, state_file: Path, children: list[Child]) -> None:
        self.state["processes"] = {
            child.name: {
                "pid": child.proc.pid if child.proc else None,
                "running": child.restart_at is None,
                "restarts": child.restarts,
            }
            for child in children
        }
        tmp = state_file.with_suffix(".tmp")
        try:
            tmp.write_text(json.dumps(self.state, indent=1))
            tmp.replace(state_file)
        except OSError as e:  # /healthz then shows nothing; serving goes on
            self.stderr.write(f"Could not record the processes' state in {state_file}: {e}")

    def _stop(self, children: list[Child]) -> None:
        running = [c.proc for c in children if c.proc is not None and c.proc.poll() is None]
        for proc in running:
            # The whole group: runserver's autoreloader runs the server in a child.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for proc in running:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
