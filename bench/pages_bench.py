"""Main pages, one user: queries, p50 and p95 per page under the production settings.

Usage: python bench/pages_bench.py [--quick] [--reps N] [--profile PATH] [--queries]

Builds a throw-away demo site in a temporary directory (``DEBUG=false``, static files
collected, the demo account seeded; SQLite, or PostgreSQL when ``scripts/with-postgres.sh``
wraps it), logs the demo user in with Django's test client, behind a TLS proxy as in
production (``X-Forwarded-Proto: https``), and fetches each main page: the dashboard, the
mentor list, a mentor, the letters overview, an application, a letter request, the calendar
and the programs. Prints, per page, the number of SQL queries, p50 and p95 of the time
(target: p95 <= 25 ms) and the median CPU time, which other processes on the machine do
not inflate as much. Each page is fetched a few times first so that caches and compiled
templates are warm, as on a running server. ``--quick`` takes 20 samples per page instead of 100.
``--profile`` also writes one cProfile file per page (``PATH-<page>.prof``); ``--queries``
prints each page's SQL statements (their first 160 characters) under its row.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "tools"))

import demo_site  # noqa: E402

TARGET_P95_MS = 25.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--reps", type=int, default=0)
    parser.add_argument("--profile", default="")
    parser.add_argument("--queries", action="store_true", help="print each page's SQL")
    args = parser.parse_args()
    reps = args.reps or (20 if args.quick else 100)

    with tempfile.TemporaryDirectory(prefix="preceptor-pages-") as tmp:
        env = demo_site.production_env(Path(tmp))
        seconds = demo_site.prepare(env, users=1)
        os.environ.update(env)
        import django

        django.setup()
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from preceptor.accounts.models import User
        from preceptor.core.pages import main_pages

        user = User.objects.get(email=demo_site.demo_email(0))
        pages = main_pages(user)
        client = Client(HTTP_X_FORWARDED_PROTO="https")
        client.force_login(user)

        db = demo_site.database_label(env)
        load = os.getloadavg()
        print(
            f"pages: demo data, production settings (DEBUG=false), {db}; site built in "
            f"{seconds:.1f} s; {reps} samples per page; load average {load[0]:.2f} "
            f"(other processes share this {os.cpu_count()}-core machine)"
        )
        print(
            f"{'page':<16} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'cpu p50':>8}"
            "  target p95 <= 25 ms"
        )
        worst, total_cpu = 0.0, 0.0
        for name, url in pages.items():

            def fetch(url: str = url) -> None:
                response = client.get(url)
                if response.status_code != 200:
                    raise SystemExit(f"{url} answered {response.status_code}")

            for _ in range(3):
                fetch()
            with CaptureQueriesContext(connection) as queries:
                fetch()
            # Read now: every request that follows empties the connection's query log.
            statements = [q["sql"] for q in queries.captured_queries]
            n_queries = len(statements)
            times, cpu = sample(fetch, reps)
            if args.profile:
                profile(fetch, f"{args.profile}-{name.replace(' ', '-')}.prof")
            p50, p95 = statistics.median(times), percentile(times, 0.95)
            worst = max(worst, p95)
            total_cpu += statistics.median(cpu)
            verdict = "ok" if p95 <= TARGET_P95_MS else "OVER"
            print(
                f"{name:<16} {n_queries:>7} {p50:>8.1f} {p95:>8.1f} "
                f"{statistics.median(cpu):>8.1f}  {verdict}"
            )
            if args.queries:
                for sql in statements:
                    print(f"    {sql[:160]}")
        print(f"slowest page p95: {worst:.1f} ms (target <= {TARGET_P95_MS:.0f} ms)")
        mean_cpu = total_cpu / len(pages)
        print(
            f"CPU per page, mean of the medians: {mean_cpu:.1f} ms, so about "
            f"{1000 / mean_cpu:.0f} pages/s per core in the application alone (gunicorn and "
            "the network add to it)"
        )


def sample(fetch: Callable[[], None], reps: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of each fetch (the CPU time of this process: what
    the page costs, whatever else the machine is doing)."""
    times, cpu = [], []
    for _ in range(reps):
        t, c = time.perf_counter(), time.process_time()
        fetch()
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return times, cpu


def profile(fetch: Callable[[], None], path: str) -> None:
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(20):
        fetch()
    prof.disable()
    prof.dump_stats(path)


if __name__ == "__main__":
    main()
