"""How long an account's export and import take, and how large the export is; prints each.

Usage: python bench/portability_bench.py [--quick]

The demo account (8 mentors, 9 letter requests, 2 documents), then the same account with
the mentor network grown to 200 mentors with 10 interactions each (``--quick``: 50): its
export (build the ZIP), and its import into a fresh account (read and check the archive,
check each document in its child process, write every row in one transaction, rebuild
the reminders after the commit). No target: both are one request a user makes rarely.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "preceptor.settings")

import django  # noqa: E402

django.setup()

from cryptography.fernet import Fernet  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def measure(label: str, user: object, n: int) -> None:
    from preceptor.accounts import services as accounts
    from preceptor.portability import services

    t = time.perf_counter()
    archive = services.export_account(user)  # type: ignore[arg-type]
    exported = time.perf_counter() - t
    fresh = accounts.sign_up(email=f"fresh{n}@example.org", password="x" * 12, full_name="F")
    t = time.perf_counter()
    result = services.import_account(fresh, archive)
    imported = time.perf_counter() - t
    print(
        f"{label}: {result.total} rows, export {len(archive) / 1024:.0f} KiB in "
        f"{exported * 1000:.0f} ms, import in {imported * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    n_mentors = 50 if args.quick else 200

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    vault = tempfile.TemporaryDirectory()
    settings.WRITERS_VAULT_DIR = vault.name
    settings.WRITERS_FILE_KEYS = [Fernet.generate_key().decode()]
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        from preceptor.core import demo
        from preceptor.mentors.models import Interaction, Mentor

        user, _ = demo.seed()
        measure("demo account", user, 1)

        today = dt.date.today()
        mentors = Mentor.objects.bulk_create(
            Mentor(user=user, full_name=f"Mentor {i:04d}", degree="MD") for i in range(n_mentors)
        )
        Interaction.objects.bulk_create(
            Interaction(mentor=m, occurred_on=today - dt.timedelta(days=7 * k), summary="talk")
            for m in mentors
            for k in range(10)
        )
        measure(f"demo + {n_mentors} mentors x 10 interactions", user, 2)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        vault.cleanup()


if __name__ == "__main__":
    main()
