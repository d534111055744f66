"""Reminders claimed, rendered and delivered per second to a local SMTP sink.

Real ``manage.py send_reminders --loop`` processes (1 and 3 workers) against a throwaway
database: SQLite always, PostgreSQL too when ``DATABASE_URL`` points to one (run it
through ``scripts/with-postgres.sh``; ``make bench`` does). The mail goes over real SMTP on
the loopback to a minimal sink in its own process (``bench/tools/smtp_sink.py``, like
Postfix's ``smtp-sink``), so the figure is the sender's; ``--sink aiosmtpd`` uses aiosmtpd
in the bench process instead, whose own CPU then limits the rate. The rate is measured from
the first message received to the last one, so process start-up is not counted. Target: at
least 200 per second for one worker on SQLite.

    python bench/notify_bench.py [--quick] [-n 2000] [--sink minimal|aiosmtpd]
"""

from __future__ import annotations

import argparse
import os
import subprocess
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


class Aiosmtpd:
    """aiosmtpd in this process: a full Python mail server, so it shares the CPU."""

    label = "aiosmtpd (in the bench process)"

    def __init__(self, n: int) -> None:
        self.collector = TimedCollector()
        self.port = free_port()
        self.controller = Controller(self.collector, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def received(self) -> int:
        return len(self.collector.times)

    def wait_first(self, timeout: float) -> bool:
        return workers.wait_for(lambda: self.received() >= 1, timeout)

    def wait_all(self, n: int, timeout: float) -> tuple[int, float]:
        workers.wait_for(lambda: self.received() >= n, timeout)
        times = self.collector.times
        return len(times), (times[-1] - times[0]) if len(times) > 1 else 0.0

    def stop(self) -> None:
        self.controller.stop()


class MinimalSink:
    """bench/tools/smtp_sink.py in its own process (like Postfix's smtp-sink)."""

    label = "minimal sink (its own process)"

    def __init__(self, n: int) -> None:
        self.port = free_port()
        script = ROOT / "bench" / "tools" / "smtp_sink.py"
        self.proc = subprocess.Popen(
            [sys.executable, str(script), str(self.port), str(n)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        if self.proc.stdout.readline().strip() != "ready":
            raise SystemExit("the SMTP sink did not start")

    def wait_first(self, timeout: float) -> bool:
        assert self.proc.stdout is not None
        return self.proc.stdout.readline().strip() == "first"

    def wait_all(self, n: int, timeout: float) -> tuple[int, float]:
        assert self.proc.stdout is not None
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise SystemExit(f"fewer than {n} messages arrived in {timeout:.0f} s") from None
        count, first, last = self.proc.stdout.read().split()
        return int(count), float(last) - float(first)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def run(n: int, count: int, database: str, sink_kind: str) -> tuple[float, float]:
    with tempfile.TemporaryDirectory(prefix="notify-bench-") as tmp_name:
        tmp = Path(tmp_name)
        saved = os.environ.get("DATABASE_URL")
        if database == "sqlite":
            os.environ.pop("DATABASE_URL", None)
        try:
            with workers.child_database(tmp) as db:
                sink = MinimalSink(n) if sink_kind == "minimal" else Aiosmtpd(n)
                try:
                    env = {**db, **workers.smtp_env(sink.port)}
                    workers.prepare(tmp, n, env)
                    procs = workers.start_workers(tmp, count, env, batch=100)
                    try:
                        # The workers' CPU time once sending has started, and at the end:
                        # their CPU per reminder does not depend on how busy the machine is.
                        if not sink.wait_first(120):
                            raise SystemExit("no message arrived")
                        cpu_start = sum(_cpu_seconds(p.pid) for p in procs)
                        received, span = sink.wait_all(n, 600)
                        cpu = sum(_cpu_seconds(p.pid) for p in procs) - cpu_start
                    finally:
                        workers.stop_workers(procs)
                    if received != n:
                        raise SystemExit(f"{received} messages for {n} reminders")
                    rate = (n - 1) / span if span > 0 else float("inf")
                    return rate, 1000 * cpu / max(n - 1, 1)
                finally:
                    sink.stop()
        finally:
            if saved is not None:
                os.environ["DATABASE_URL"] = saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="500 reminders, SQLite only once")
    parser.add_argument("-n", type=int, default=2000, help="reminders per run")
    parser.add_argument(
        "--sink",
        choices=["minimal", "aiosmtpd"],
        default="minimal",
        help="the SMTP server receiving the mail (default: the minimal sink in its own process)",
    )
    args = parser.parse_args()
    n = 500 if args.quick else args.n
    databases = ["sqlite"]
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        databases.append("postgresql")
    sink_label = MinimalSink.label if args.sink == "minimal" else Aiosmtpd.label
    print(f"notify: {n} due reminders per run, delivered over SMTP to {sink_label}")
    for database in databases:
        for count in (1, 3):
            rate, cpu_ms = run(n, count, database, args.sink)
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
