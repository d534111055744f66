"""A throwaway PostgreSQL cluster for one test, as scripts/with-postgres.sh makes for a
whole run: initdb in a temporary directory, pg_ctl on a free loopback port, removed after."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator

import pytest

from tests.smtp import free_port


def find_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


@contextlib.contextmanager
def cluster() -> Iterator[str]:
    """Start a cluster; yield its DATABASE_URL (database ``postgres``, user ``preceptor``)."""
    initdb, pg_ctl = find_bin("initdb"), find_bin("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are missing")
    # initdb refuses to run as root: the server then runs as the postgres user.
    as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_owner and subprocess.run(["id", "postgres"], capture_output=True).returncode:
        subprocess.run(["useradd", "--system", "--no-create-home", "postgres"], check=True)
    pgdir = tempfile.mkdtemp(prefix="preceptor-pg.")
    if as_owner:
        shutil.chown(pgdir, "postgres")
    data, port = f"{pgdir}/data", free_port()
    subprocess.run(
        [*as_owner, initdb, "-D", data, "-U", "preceptor", "--auth=trust", "-EUTF8", "--no-locale"],
        check=True,
        capture_output=True,
    )
    options = (
        f"-c listen_addresses=127.0.0.1 -p {port} -k {pgdir} -c fsync=off "
        "-c full_page_writes=off -c max_connections=100"
    )
    subprocess.run(
        [*as_owner, pg_ctl, "-D", data, "-l", f"{pgdir}/server.log", "-w", "-o", options, "start"],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgres://preceptor@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*as_owner, pg_ctl, "-D", data, "-m", "immediate", "stop"], capture_output=True
        )
        shutil.rmtree(pgdir, ignore_errors=True)
