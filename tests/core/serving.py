"""Starting ``manage.py serve`` and background workers as real processes for the tests."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tests.processes import MANAGE, child_env, manage


def get_json(url: str) -> dict[str, Any]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
            return json.loads(response.read())  # type: ignore[no-any-return]
    except urllib.error.HTTPError as e:
        return json.loads(e.read())  # type: ignore[no-any-return]


def wait_for(predicate: Callable[[], Any], timeout: float, every: float = 0.2) -> Any:
    """Poll until ``predicate()`` is truthy (ignoring connection errors); return its value."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = predicate()
        except OSError:
            value = None
        if value or time.monotonic() > deadline:
            return value
        time.sleep(every)


def health(port: int) -> dict[str, Any]:
    return get_json(f"http://127.0.0.1:{port}/healthz")


def all_up(port: int) -> dict[str, Any] | None:
    """The health report once the web server answers and both queues have a live worker."""
    report = health(port)
    queues = report.get("queues", {})
    up = queues and all(q["workers"] >= 1 for q in queues.values())
    return report if up and report.get("sender", {}).get("status") == "ok" else None


@contextlib.contextmanager
def process(
    tmp: Path, log_name: str, *args: str, **env: str
) -> Iterator[tuple[subprocess.Popen[bytes], Path]]:
    """``manage.py ARGS`` in its own process group, output to ``tmp/log_name``; stopped on the
    way out if the test did not stop it: SIGTERM first (serve then stops its children, which
    live in process groups of their own), SIGKILL to the group if that does not do."""
    log = tmp / log_name
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [*MANAGE, *args],
            env=child_env(tmp, **env),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield proc, log
    finally:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGINT) -> int:
    os.killpg(proc.pid, sig)
    return proc.wait(timeout=30)


def shell(tmp: Path, code: str, **env: str) -> str:
    return manage(tmp, "shell", "-v", "0", "-c", code, **env).strip()


QUEUE_EMAIL = (
    "from preceptor.lib import emails; "
    "emails.send('password-reset', {to!r}, "
    "{{'email': {to!r}, 'protocol': 'http', 'domain': 'h', 'uid': 'MQ', 'token': 't'}})"
)


def queue_email(tmp: Path, to: str, **env: str) -> None:
    shell(tmp, QUEUE_EMAIL.format(to=to), **env)


def mails_to(tmp: Path, to: str) -> list[str]:
    """The file-backend messages (var/mail) addressed to ``to``."""
    mail_dir = tmp / "var" / "mail"
    files = sorted(mail_dir.iterdir()) if mail_dir.exists() else []
    return [text for f in files if f"To: {to}" in (text := f.read_text())]
