"""The production stack of deploy/ on this machine, for tests/stack and bench/stack_bench.py.

A throwaway PostgreSQL cluster (tests/postgres.py); ``manage.py release``; supervisord with
deploy/supervisord.conf (web processes from deploy/gunicorn.conf.py, a task worker for each
queue, the reminder sender); nginx with deploy/nginx/*.conf in front, on HTTPS with a
self-signed certificate made here; a real SMTP server (tests/smtp.py) for the mail.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from cryptography.fernet import Fernet
from django.conf import settings

from tests.core.serving import wait_for
from tests.postgres import cluster
from tests.processes import child_env, manage
from tests.smtp import Collector, free_port, smtp_server

DEPLOY = Path(settings.BASE_DIR) / "deploy"
TOOLS = ("supervisord", "supervisorctl", "nginx", "openssl")


@dataclass
class Stack:
    site: str  # https://localhost:PORT, through nginx
    cert: Path  # the self-signed certificate to trust
    env: dict[str, str]  # the environment of every process (deploy/env.example's variables)
    settings_env: dict[str, str]  # what this stack sets on top of the test's environment
    run: Path  # supervisord's and nginx's directory (sockets, logs, configs)
    web_port: int  # the first web process's port (the others follow)
    database_url: str
    mail: Collector
    tmp: Path

    def manage(self, *args: str, timeout: float = 120) -> str:
        return manage(self.tmp, *args, timeout=timeout, **self.settings_env)

    def supervisorctl(self, *args: str) -> str:
        return supervisorctl(self.env, *args)

    def log(self) -> str:
        return (self.run / "supervisord.log").read_text()


def _free_ports(n: int) -> int:
    """A port P with P … P + n - 1 free (supervisord numbers the web processes from P)."""
    for _ in range(50):
        base = free_port()
        if all(_free(base + i) for i in range(1, n)):
            return base
    raise AssertionError(f"no {n} consecutive free ports")


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _render(source: Path, replacements: dict[str, str]) -> str:
    """A deploy/ file with this machine's ports and paths; each replaced text must be in it,
    so that the test follows the file rather than a copy of it."""
    text = source.read_text()
    for old, new in replacements.items():
        assert old in text, f"{source.name} no longer holds {old!r}"
        text = text.replace(old, new)
    return text


def _self_signed(tls: Path) -> Path:
    tls.mkdir()
    key, cert = tls / "privkey.pem", tls / "fullchain.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=localhost"),
            *("-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    return tls / "fullchain.pem"


def _nginx_conf(run: Path, tls: Path, https: int, http: int, web: int, n: int) -> Path:
    site = _render(
        DEPLOY / "nginx" / "preceptor.conf",
        {
            "listen 80;": f"listen 127.0.0.1:{http};",
            "listen 443 ssl http2;": f"listen 127.0.0.1:{https} ssl http2;",
            "server_name preceptor.example.org;": "server_name localhost;",
            "/etc/preceptor/tls/": f"{tls}/",
            "root /var/www/html;": f"root {run};",
        },
    )
    # No IPv6 in every sandbox: the [::] listeners go.
    site = "\n".join(line for line in site.splitlines() if "[::]" not in line)
    servers = "\n".join(
        f"    server 127.0.0.1:{web + i} max_fails=1 fail_timeout=5s;" for i in range(n)
    )
    upstream = _render(
        DEPLOY / "nginx" / "upstream.conf",
        {
            "    server 127.0.0.1:8001 max_fails=1 fail_timeout=5s;\n"
            "    server 127.0.0.1:8002 max_fails=1 fail_timeout=5s;": servers
        },
    )
    (run / "site.conf").write_text(site)
    (run / "upstream.conf").write_text(upstream)
    # nginx's workers (nobody, when started as root) write request bodies here.
    temp = run / "nginx-temp"
    temp.mkdir()
    temp.chmod(0o777)
    conf = run / "nginx.conf"
    conf.write_text(
        f"""
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/nginx-error.log;
events {{ worker_connections 256; }}
http {{
    access_log {run}/nginx-access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {run}/upstream.conf;
    include {run}/site.conf;
}}
"""
    )
    return conf


@contextlib.contextmanager
def _running(args: list[str], log: Path, env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            args, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def _stack_up(site: str, cert: Path) -> dict[str, Any] | None:
    report = requests.get(f"{site}/healthz", verify=cert, timeout=5).json()
    queues = report.get("queues", {})
    workers_up = queues and all(q["workers"] >= 1 for q in queues.values())
    return report if report["status"] == "ok" and workers_up else None


def supervisorctl(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        ["supervisorctl", "-c", str(DEPLOY / "supervisord.conf"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    ).stdout.strip()


def missing_tools() -> list[str]:
    return [t for t in TOOLS if not shutil.which(t) and not Path(f"/usr/sbin/{t}").exists()]


@contextlib.contextmanager
def production_stack(
    tmp: Path, *, web_processes: int = 2, web_concurrency: int = 1, **extra: str
) -> Iterator[Stack]:
    """Start the stack; yield it once /healthz through nginx says every part is up."""
    if missing_tools():
        pytest.skip(f"{', '.join(missing_tools())} missing (scripts/ensure-test-tools.sh)")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    # Outside pytest's private temporary directory: nginx's workers must reach it.
    run = Path(tempfile.mkdtemp(prefix="preceptor-stack."))
    run.chmod(0o755)
    https, http, web = free_port(), free_port(), _free_ports(web_processes)
    site = f"https://localhost:{https}"
    cert = _self_signed(run / "tls")
    try:
        with cluster() as database_url, smtp_server() as (mail, smtp_port):
            settings_env = {
                "DEBUG": "false",
                "SECRET_KEY": "stack-test-" + Fernet.generate_key().decode(),
                "ALLOWED_HOSTS": "localhost",
                "SITE_URL": site,
                "DATABASE_URL": database_url,
                "PRECEPTOR_FILE_KEYS": Fernet.generate_key().decode(),
                "PRECEPTOR_VAULT_DIR": str(tmp / "vault"),
                "PROXY_COUNT": "1",
                "EMAIL_BACKEND": "smtp",
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(smtp_port),
                "EMAIL_USE_TLS": "false",
                "LOG_LEVEL": "INFO",
                "PRECEPTOR_HOME": str(settings.BASE_DIR),
                "PRECEPTOR_RUN_DIR": str(run),
                "PRECEPTOR_WEB_PORT": str(web),
                "PRECEPTOR_WEB_PROCESSES": str(web_processes),
                "WEB_CONCURRENCY": str(web_concurrency),
                "PRECEPTOR_WORKERS": "1",
                "PRECEPTOR_SIMULATION_WORKERS": "1",
                "WORKER_HEARTBEAT_SECONDS": "1",
                **extra,
            }
            env = child_env(tmp, **settings_env)
            out = manage(tmp, "release", **settings_env)
            assert "release: done" in out, out
            conf = _nginx_conf(run, run / "tls", https, http, web, web_processes)
            supervisord = ["supervisord", "-c", str(DEPLOY / "supervisord.conf")]
            with (
                _running(supervisord, run / "supervisord.log", env),
                _running([nginx, "-c", str(conf), "-g", "daemon off;"], run / "nginx.log", env),
            ):
                up = wait_for(lambda: _stack_up(site, cert), timeout=90, every=0.5)
                assert up, (run / "supervisord.log").read_text()[-3000:]
                yield Stack(site, cert, env, settings_env, run, web, database_url, mail, tmp)
    finally:
        shutil.rmtree(run, ignore_errors=True)
