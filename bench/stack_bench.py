"""What one machine's production stack holds: memory per process, database bytes per
account, and pages per second through nginx.

Starts the stack of deploy/ (tests/stack/stack.py: a throwaway PostgreSQL cluster,
supervisord with PRECEPTOR_WEB_PROCESSES gunicorns of WEB_CONCURRENCY workers each, a task
worker per queue, the reminder sender, nginx on HTTPS), seeds the demo account, then prints:

- the resident memory of every process (gunicorn masters and workers, task workers, sender);
- the database's size before and after the demo account (its mentors, letters, reminders…);
- requests per second and latency percentiles for the demo account's dashboard and for
  /healthz, with C concurrent clients for S seconds through nginx and TLS.

The figures depend on the machine and on what else runs: the load average is printed with
them. docs/deploy.md quotes a run and says how to read it.

    python bench/stack_bench.py [--quick] [--clients 8] [--seconds 15] [--web 2 --concurrency 2]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "preceptor.settings")

import django  # noqa: E402

django.setup()

import pytest  # noqa: E402
import requests  # noqa: E402

from preceptor.core.demo import DEMO_EMAIL, DEMO_PASSWORD  # noqa: E402
from tests.stack.stack import Stack, missing_tools, production_stack  # noqa: E402

DB_SIZE = "from django.db import connection; c = connection.cursor(); " + (
    "c.execute('SELECT pg_database_size(current_database())'); print(c.fetchone()[0])"
)

MORE = 5
SEED_MORE = (
    "from preceptor.core import demo\n"
    f"for i in range({MORE}): demo.seed(email=f'demo{{i}}@preceptor.test')"
)


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def memory(stack: Stack) -> None:
    print("Resident memory per process (MiB):")
    for line in stack.supervisorctl("status").splitlines():
        name = line.split()[0]
        pid = int(stack.supervisorctl("pid", name) or 0)
        if not pid:
            continue
        kids = children(pid)
        extra = f", {len(kids)} workers: " + ", ".join(f"{rss_kib(k) / 1024:.0f}" for k in kids)
        print(f"  {name:<24} {rss_kib(pid) / 1024:6.0f}{extra if kids else ''}")


def login(stack: Stack) -> requests.Session:
    s = requests.Session()
    s.trust_env = False
    s.verify = str(stack.cert)
    s.headers["Referer"] = f"{stack.site}/"
    s.get(f"{stack.site}/account/login/")
    r = s.post(
        f"{stack.site}/account/login/",
        data={
            "username": DEMO_EMAIL,
            "password": DEMO_PASSWORD,
            "csrfmiddlewaretoken": s.cookies["csrftoken"],
        },
    )
    assert r.status_code == 200 and "/account/login/" not in r.url, r.status_code
    return s


def load(stack: Stack, path: str, clients: int, seconds: float) -> None:
    template = login(stack)
    times: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client() -> None:
        s = requests.Session()
        s.trust_env = False
        s.verify = str(stack.cert)
        s.cookies.update(template.cookies)
        while time.monotonic() < stop:
            began = time.perf_counter()
            ok = s.get(f"{stack.site}{path}").status_code == 200
            took = time.perf_counter() - began
            with lock:
                times.append(took)
                errors[0] += not ok

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    q = statistics.quantiles(times, n=100) if len(times) > 1 else [0.0] * 99
    print(
        f"  {path:<12} {len(times) / elapsed:6.1f} requests/s, p50 {q[49] * 1000:.0f} ms, "
        f"p95 {q[94] * 1000:.0f} ms, {errors[0]} errors ({clients} clients, {elapsed:.0f} s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="4 clients, 5 s")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--web", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--concurrency", type=int, default=2, help="workers of each gunicorn")
    args = parser.parse_args()
    if args.quick:
        args.clients, args.seconds = 4, 5
    if missing_tools():
        print(f"skipped: {', '.join(missing_tools())} missing (scripts/ensure-test-tools.sh)")
        return
    with tempfile.TemporaryDirectory(prefix="preceptor-stack-bench.") as tmp:
        try:
            with production_stack(
                Path(tmp), web_processes=args.web, web_concurrency=args.concurrency
            ) as stack:
                sizes = [int(stack.manage("shell", "-v", "0", "-c", DB_SIZE))]
                stack.manage("seed_demo", timeout=600)
                sizes.append(int(stack.manage("shell", "-v", "0", "-c", DB_SIZE)))
                # The first account fills every table's first pages; the next ones say what
                # each further account costs.
                stack.manage("shell", "-v", "0", "-c", SEED_MORE, timeout=900)
                sizes.append(int(stack.manage("shell", "-v", "0", "-c", DB_SIZE)))
                print(
                    f"Stack: {args.web} gunicorn x {args.concurrency} workers, 1 task worker "
                    f"per queue, 1 sender, PostgreSQL, nginx (TLS); {os.cpu_count()} cores, "
                    f"load average {os.getloadavg()[0]:.1f} at start"
                )
                print(
                    f"Database: {sizes[0] / 2**20:.1f} MiB empty (schema, program catalogue), "
                    f"+{(sizes[1] - sizes[0]) / 2**10:.0f} KiB with the demo account, "
                    f"+{(sizes[2] - sizes[1]) / 2**10 / MORE:.0f} KiB for each of {MORE} more "
                    "accounts with the demo data"
                )
                memory(stack)
                print("Through nginx:")
                load(stack, "/", args.clients, args.seconds)
                load(stack, "/healthz", args.clients, args.seconds)
                print(f"load average at the end {os.getloadavg()[0]:.1f}")
        except pytest.skip.Exception as e:
            print(f"skipped: {e}")


if __name__ == "__main__":
    main()
