"""Reminders claimed, rendered and delivered per second to a local SMTP sink.

Real ``manage.py send_reminders --loop`` processes (1 and 3 workers) against a throwaway
database: SQLite always, PostgreSQL too when ``DATABASE_URL`` points to one (run it
through ``scripts/with-postgres.sh``). The SMTP sink is aiosmtpd on the loopback.
The rate is measured from the first message received to the last one, so process start-up
is not counted. Target: at least 200 per second for one worker on SQLite.

    python bench/notify_bench.py [--quick] [-n 2000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "preceptor.settings")

import django  # noqa: E402

django.setup()

from aiosmtpd.controller import Controller  # noqa: E402

from tests.notify import workers  # noqa: E402
from tests.smtp import Collector, free_port  # noqa: E402


class TimedCollector(Collector):
    def __init__(self) -> None:
        super().__init__()
        self.times: list[float] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.times.append(time.monotonic())
        return await super().handle_DATA(server, session, envelope)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(n: int, count: int, database: str) -> tuple[float, float]:
    with tempfile.TemporaryDirectory(prefix="notify-bench-") as tmp_name:
        tmp = Path(tmp_name)
        saved = os.environ.get("DATABASE_URL")
        if database == "sqlite":
            os.environ.pop("DATABASE_URL", None)
        try:
            with workers.child_database(tmp) as db:
                collector = TimedCollector()
                port = free_port()
                controller = Controller(collector, hostname="127.0.0.1", port=port)
                controller.start()
                try:
                    env = {**db, **workers.smtp_env(port)}
                    workers.prepare(tmp, n, env)
                    procs = workers.start_workers(tmp, count, env, batch=100)
                    try:
                        # The workers' CPU time once sending has started, and at the end:
                        # their CPU per reminder does not depend on how busy the machine is.
                        workers.wait_for(lambda: len(collector.times) >= 1, 120)
                        cpu_start = sum(_cpu_seconds(p.pid) for p in procs)
                        first = len(collector.times)
                        if not workers.wait_for(lambda: len(collector.times) >= n, 600):
                            raise SystemExit(f"only {len(collector.times)} of {n} arrived")
                        cpu = sum(_cpu_seconds(p.pid) for p in procs) - cpu_start
                    finally:
                        workers.stop_workers(procs)
                    if len(collector.times) != n:
                        raise SystemExit(f"{len(collector.times)} messages for {n} reminders")
                    span = collector.times[-1] - collector.times[0]
                    rate = (n - 1) / span if span > 0 else float("inf")
                    return rate, 1000 * cpu / max(n - first, 1)
                finally:
                    controller.stop()
        finally:
            if saved is not None:
                os.environ["DATABASE_URL"] = saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="500 reminders, SQLite only once")
    parser.add_argument("-n", type=int, default=2000, help="reminders per run")
    args = parser.parse_args()
    n = 500 if args.quick else args.n
    databases = ["sqlite"]
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        databases.append("postgresql")
    print(f"notify: {n} due reminders per run, delivered to a local aiosmtpd sink")
    for database in databases:
        for count in (1, 3):
            rate, cpu_ms = run(n, count, database)
            flag = ""
            if database == "sqlite" and count == 1:
                flag = "  (target ≥ 200/s: " + ("met)" if rate >= 200 else "NOT met)")
            workers_label = f"{count} worker{'s' if count > 1 else ' '}"
            print(
                f"  {database:<10} {workers_label}: {rate:7.0f} reminders/s, "
                f"{cpu_ms:.1f} ms of worker CPU per reminder{flag}"
            )
    load = os.getloadavg()[0]
    print(f"  (load average {load:.1f} on {os.cpu_count()} CPUs while measuring)")


if __name__ == "__main__":
    main()
