"""Running manage.py in a child process against its own throwaway database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

MANAGE = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]


def child_env(tmp: Path, **extra: str) -> dict[str, str]:
    """Environment for a child: its own var/ directory and, unless PostgreSQL is under test,
    its own SQLite file (with PostgreSQL the child gets a database of its own too)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    env["PRECEPTOR_VAR_DIR"] = str(tmp / "var")
    env["DATABASE_URL"] = f"sqlite:///{tmp / 'child.sqlite3'}"
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def manage(tmp: Path, *args: str, timeout: float = 120, **extra: str) -> str:
    result = subprocess.run(
        [*MANAGE, *args],
        env=child_env(tmp, **extra),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout
