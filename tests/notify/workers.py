"""Real ``send_reminders`` worker processes against a throwaway database and a real SMTP
server (shared by the process tests and bench/notify_bench.py)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.processes import MANAGE, child_env, manage

SEED = """
from datetime import timedelta
from django.utils import timezone
from preceptor.accounts import services
from preceptor.notify.models import Reminder
user = services.sign_up(email="load@example.org", password="x-load-password", full_name="Lo Ad")
at = timezone.now() - timedelta(minutes=1)
Reminder.objects.bulk_create([
    Reminder(user=user, kind="ask_by", key=f"load:{{i}}", recipient=f"r{{i}}@example.org",
             send_at=at, context={{"title": f"Ask Dr Load{{i}} for a letter", "detail": "Soon.",
             "url": "/calendar/", "on": at.date().isoformat(), "label": "Ask by"}})
    for i in range({n})
], batch_size=500)
print(Reminder.objects.filter(key__startswith="load:").count())
"""

COUNT = """
from preceptor.notify.models import Reminder
from django.db.models import Count
print(dict(Reminder.objects.filter(key__startswith="load:").values_list("status").annotate(n=Count("id")).order_by()))
"""


@contextlib.contextmanager
def child_database(tmp: Path) -> Iterator[dict[str, str]]:
    """Environment naming the children's database: a SQLite file under ``tmp``, or, when the
    tests run against PostgreSQL, a fresh database on that server, dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield {}
        return
    import psycopg

    name = f"notify_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = url.rsplit("/", 1)[0]
    try:
        yield {"DATABASE_URL": f"{base}/{name}"}
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def smtp_env(port: int, **extra: str) -> dict[str, str]:
    return {
        "EMAIL_BACKEND": "smtp",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_USE_SSL": "false",
        **extra,
    }


def prepare(tmp: Path, n: int, env: dict[str, str]) -> None:
    manage(tmp, "migrate", "--noinput", **env)
    out = manage(tmp, "shell", "-v", "0", "-c", SEED.format(n=n), **env)
    assert out.strip().endswith(str(n)), out


def statuses(tmp: Path, env: dict[str, str]) -> dict[str, int]:
    out = manage(tmp, "shell", "-v", "0", "-c", COUNT, **env)
    return eval(out.strip().splitlines()[-1])  # type: ignore[no-any-return]  # noqa: S307


def start_workers(tmp: Path, count: int, env: dict[str, str], batch: int = 50) -> list[Any]:
    procs = []
    for i in range(count):
        log = open(tmp / f"worker{i}.log", "w")  # noqa: SIM115 - closed in stop_workers
        procs.append(
            subprocess.Popen(
                [
                    *MANAGE,
                    "send_reminders",
                    "--loop",
                    "--batch",
                    str(batch),
                    "--interval",
                    "0.2",
                    "--worker-id",
                    f"w{i}",
                ],
                env=child_env(tmp, **env),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    return procs


def stop_workers(procs: list[Any]) -> None:
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def wait_for(predicate: Any, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return bool(predicate())
