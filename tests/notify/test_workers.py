"""Three real ``send_reminders --loop`` processes, 1,000 due reminders, a real SMTP server:
every reminder arrives exactly once, also when one worker is killed with SIGKILL mid-batch.
Runs on SQLite, and on PostgreSQL when DATABASE_URL points to one."""

from __future__ import annotations

import os
import signal
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.notify import workers
from tests.smtp import smtp_server

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("processes")]

N = 1000


def _message_ids(messages: list) -> Counter:  # type: ignore[type-arg]
    return Counter(str(m["Message-ID"]) for m in messages)


def test_three_workers_send_a_thousand_reminders_exactly_once(tmp_path: Path) -> None:
    with workers.child_database(tmp_path) as db, smtp_server() as (collector, port):
        env = {**db, **workers.smtp_env(port)}
        workers.prepare(tmp_path, N, env)
        procs = workers.start_workers(tmp_path, 3, env)
        try:
            assert workers.wait_for(lambda: len(collector.messages) >= N, 120)
            # Give any duplicate time to show up before counting.
            time.sleep(1.5)
        finally:
            workers.stop_workers(procs)
        ids = _message_ids(collector.messages)
        assert len(collector.messages) == N
        assert len(ids) == N and max(ids.values()) == 1
        assert workers.statuses(tmp_path, env) == {"sent": N}
        # Each worker did a share of the work (the claim spreads them out).
        logs = [(tmp_path / f"worker{i}.log").read_text() for i in range(3)]
        assert all("stopped after sending" in log for log in logs), logs


def test_a_worker_killed_mid_batch_loses_nothing_and_duplicates_nothing(tmp_path: Path) -> None:
    with workers.child_database(tmp_path) as db, smtp_server() as (collector, port):
        # A short stale limit so the killed worker's claimed rows are recovered quickly.
        env = {**db, **workers.smtp_env(port, NOTIFY_STALE_SECONDS="3")}
        workers.prepare(tmp_path, N, env)
        procs = workers.start_workers(tmp_path, 3, env, batch=100)
        try:
            assert workers.wait_for(lambda: len(collector.messages) >= 150, 60)
            os.killpg(procs[0].pid, signal.SIGKILL)
            procs[0].wait()
            assert workers.wait_for(lambda: len(collector.messages) >= N, 120)
            assert workers.wait_for(lambda: workers.statuses(tmp_path, env) == {"sent": N}, 30)
            time.sleep(1.5)
        finally:
            workers.stop_workers(procs)
        ids = _message_ids(collector.messages)
        assert len(collector.messages) == N, f"{len(collector.messages)} messages"
        assert len(ids) == N and max(ids.values()) == 1
        assert procs[0].returncode == -signal.SIGKILL
