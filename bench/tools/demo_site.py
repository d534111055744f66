"""A throw-away demo site under the production settings, for the page and load benchmarks.

``production_env(tmp)`` gives the environment of a production deployment (``DEBUG=false``,
a secret key, allowed hosts, everything under ``tmp``; ``DATABASE_URL`` kept when set, as
``scripts/with-postgres.sh`` sets it). ``prepare(env, users)`` migrates, collects the static
files (the manifest storage needs them) and seeds ``users`` demo accounts, the first being
the usual demo account and the others ``demo+N@preceptor.test`` with the same password.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SEED = """
from preceptor.core import demo
emails = [demo.DEMO_EMAIL] + [f"demo+{i}@preceptor.test" for i in range(1, {users})]
for email in emails:
    demo.seed(email=email)
"""


DEMO_PASSWORD = "demo-preceptor-2026"  # noqa: S105 - the demo account's, as README says


def demo_email(i: int) -> str:
    return "demo@preceptor.test" if i == 0 else f"demo+{i}@preceptor.test"


def production_env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="preceptor.settings",
        DEBUG="false",
        SECRET_KEY="bench-" + "x" * 50,
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        PRECEPTOR_VAR_DIR=str(tmp),
        EMAIL_BACKEND="locmem",
        LOG_LEVEL="ERROR",
        # Behind a TLS-terminating proxy: the benchmarks send X-Forwarded-Proto: https.
        SECURE_HSTS_PRELOAD="false",
        # A fixed key: the vault's files are encrypted with it (never used outside the bench).
        PRECEPTOR_FILE_KEYS="YmVuY2gta2V5LW5vdC1zZWNyZXQtMzItYnl0ZXMhIT0=",
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def prepare(env: dict[str, str], users: int = 1) -> float:
    """Migrate, collect static files and seed ``users`` demo accounts; return the seconds."""
    t = time.perf_counter()
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    manage(env, "shell", "-c", SEED.replace("{users}", str(users)))
    return time.perf_counter() - t


def database_label(env: dict[str, str]) -> str:
    url = env.get("DATABASE_URL", "")
    return "PostgreSQL" if url.startswith("postgres") else "SQLite"
