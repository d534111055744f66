"""Mentors: time the reads a busy network page needs and a 10,000-row CSV import check.

Usage: python bench/mentors_bench.py [--quick]

Builds, in a throw-away test database, one applicant with many mentors (each with
interactions, supervision periods and action items) and prints:
- ``cadence_states`` and ``readiness_for`` over the whole network (target: < 200 ms for
  200 mentors; they run on every dashboard and list view);
- the list page through the test client (sorted by readiness), the detail page;
- checking a 10,000-row CSV (read, map, check every row against the network; target < 3 s)
  and exporting the network.
``--quick`` uses 50 mentors and fewer repetitions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "preceptor.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def timed(fn: Callable[[], object], reps: int) -> tuple[float, float]:
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    n_mentors = 50 if args.quick else 200
    reps = 3 if args.quick else 10

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        # The notify app re-syncs reminders after every save; building the network row by
        # row would time that instead of the reads measured here.
        from django.db.models.signals import post_delete, post_save

        from preceptor.accounts import services as accounts
        from preceptor.mentors import csvio, services
        from preceptor.mentors.models import ActionItem, Interaction, Mentor

        for model in (Mentor, Interaction, ActionItem):
            label = model.__name__
            post_save.disconnect(sender=model, dispatch_uid=f"notify-save-mentors.{label}")
            post_delete.disconnect(sender=model, dispatch_uid=f"notify-del-mentors.{label}")

        user = accounts.sign_up(email="bench@example.org", password="x" * 12, full_name="B")
        accounts.update_profile(user, specialty_of_interest="Internal Medicine")
        today = services.today_for(user)
        t0 = time.perf_counter()
        for i in range(n_mentors):
            m = services.create_mentor(
                user,
                today=today,
                full_name=f"Mentor {i:04d}",
                degree="MD",
                specialty="Internal Medicine" if i % 2 else "Surgery",
            )
            services.add_period(
                m,
                today=today,
                kind="clinical",
                title="rotation",
                start=today - dt.timedelta(days=300 + i),
                end=today - dt.timedelta(days=250),
            )
            for k in range(10):
                services.log_interaction(
                    m,
                    occurred_on=today - dt.timedelta(days=7 * k + i % 60),
                    today=today,
                    example="x" if k == 0 else "",
                )
            services.complete_action(services.add_action_item(m, text="read"), on=today)
        print(
            f"mentors: {n_mentors} mentors x 10 interactions built in "
            f"{time.perf_counter() - t0:.1f} s"
        )

        med, worst = timed(lambda: services.cadence_states(user, today), reps)
        print(f"cadence_states, {n_mentors} mentors: median {med:.1f} ms, max {worst:.1f} ms")
        med, worst = timed(
            lambda: services.readiness_for(
                user, service="eras", specialty="Internal Medicine", today=today
            ),
            reps,
        )
        print(f"readiness_for, {n_mentors} mentors: median {med:.1f} ms, max {worst:.1f} ms")

        client = Client()
        client.force_login(user)
        med, worst = timed(lambda: client.get("/mentors/?sort=readiness"), reps)
        print(f"list page (sorted by readiness): median {med:.1f} ms, max {worst:.1f} ms")
        first = services.mentors_of(user).first()
        assert first is not None
        med, worst = timed(lambda: client.get(f"/mentors/{first.public_id}/"), reps)
        print(f"detail page: median {med:.1f} ms, max {worst:.1f} ms")

        rows = "".join(
            f"Person {i},p{i}@example.org,State,Internal Medicine,attending,MD,2024-01-01,a\n"
            for i in range(csvio.MAX_ROWS)
        )
        data = ("Name,Email,Institution,Specialty,Role,Degree,Since,Tags\n" + rows).encode()

        def check() -> None:
            parsed = csvio.read(data)
            result = services.check_import(
                user, parsed, csvio.guess_mapping(parsed.headers), today=today
            )
            assert all(r.ok for r in result)

        med, worst = timed(check, max(1, reps // 3))
        print(
            f"CSV check, {csvio.MAX_ROWS:,} rows ({len(data) / 1024:.0f} KB): "
            f"median {med:.0f} ms, max {worst:.0f} ms"
        )
        med, worst = timed(lambda: services.export_csv(user), reps)
        print(f"CSV export, {n_mentors} mentors: median {med:.1f} ms")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
