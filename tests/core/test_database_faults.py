"""Fault injection: the database refuses every write for longer than SQLite's busy timeout
(another connection holds the write lock) while the reminder sender and the task worker
run. Both live through it, keep their heartbeats, and afterwards every reminder has gone
out exactly once and queued email is sent. Real processes, a real SMTP server."""

from __future__ import annotations

import os
import sqlite3
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.core.serving import process, queue_email, shell, wait_for
from tests.notify import workers
from tests.smtp import smtp_server

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("processes")]

N = 300
# Longer than the 20 s that SQLite connections wait for a lock (settings.DATABASES): every
# writer meanwhile gets "database is locked", as behind a long upload check once.
LOCK_SECONDS = 23

FRESH_BEATS = """
from datetime import datetime
from preceptor.core.models import WorkerHeartbeat
since = datetime.fromisoformat({since!r})
print(sorted(WorkerHeartbeat.objects.filter(seen_at__gt=since).values_list("role", flat=True)))
"""


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="its processes always use a SQLite file (whose write lock it holds): the SQLite "
    "pass runs it",
)
def test_reminders_go_out_exactly_once_and_nothing_dies_while_the_database_refuses_writes(
    tmp_path: Path,
) -> None:
    with smtp_server() as (collector, port):
        env = workers.smtp_env(port)
        workers.prepare(tmp_path, N, env)
        senders = workers.start_workers(tmp_path, 1, env, batch=25)
        sender, sender_log = senders[0], tmp_path / "worker0.log"
        try:
            with process(
                tmp_path, "tasks.log", "worker", "--no-reload", "--no-startup-delay", **env
            ) as (worker, worker_log):
                assert workers.wait_for(lambda: len(collector.messages) >= 30, 60)
                lock = sqlite3.connect(tmp_path / "child.sqlite3", timeout=30, isolation_level=None)
                lock.execute("BEGIN EXCLUSIVE")
                held_at = time.monotonic()
                during = len(collector.messages)
                time.sleep(LOCK_SECONDS)
                # Nothing could be recorded, so (almost) nothing went out meanwhile.
                assert len(collector.messages) - during <= 25
                lock.execute("ROLLBACK")
                lock.close()
                released = shell(
                    tmp_path, "from django.utils import timezone; print(timezone.now().isoformat())"
                )
                assert time.monotonic() - held_at >= LOCK_SECONDS

                # Both processes carry on: email queued now is sent, reminders finish.
                queue_email(tmp_path, "after-the-lock@example.org", **env)
                assert workers.wait_for(
                    lambda: any(
                        m["To"] == "after-the-lock@example.org" for m in collector.messages
                    ),
                    90,
                ), worker_log.read_text()
                assert workers.wait_for(
                    lambda: workers.statuses(tmp_path, env) == {"sent": N}, 120
                ), sender_log.read_text()
                time.sleep(1.5)  # let any duplicate show up before counting
                # And both beat again after the lock (the heartbeat thread kept trying).
                beats = wait_for(
                    lambda: (
                        shell(tmp_path, FRESH_BEATS.format(since=released), **env)
                        == "['sender', 'worker']"
                    ),
                    30,
                    every=1,
                )
                assert beats
                assert sender.poll() is None, sender_log.read_text()
                assert worker.poll() is None, worker_log.read_text()
                worker_text = worker_log.read_text()
        finally:
            workers.stop_workers(senders)
    reminders = [m for m in collector.messages if m["To"] != "after-the-lock@example.org"]
    ids = Counter(str(m["Message-ID"]) for m in reminders)
    assert len(reminders) == N and len(ids) == N and max(ids.values()) == 1
    assert "database is locked); retrying in" in sender_log.read_text()
    assert "database is locked); retrying in" in worker_text
