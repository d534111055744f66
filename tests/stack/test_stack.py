"""The production stack of deploy/, started on this machine and used across it.

A throwaway PostgreSQL cluster; supervisord with deploy/supervisord.conf running two web
processes (gunicorn, deploy/gunicorn.conf.py), a task worker for each queue and the
reminder sender; nginx with deploy/nginx/*.conf in front, on HTTPS with a certificate made
here; a real SMTP server. Then a writer journey through nginx: the applicant logs in, plans
a letter request and has its writer link emailed (by a worker, over SMTP); the writer opens
it, says yes and uploads the letter; the applicant sees that it arrived, never what it says.
Last, one web process is killed: the site keeps answering and supervisord starts it again.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import requests
from cryptography.fernet import Fernet
from django.conf import settings

from tests.core.serving import wait_for
from tests.postgres import cluster
from tests.processes import child_env, manage
from tests.smtp import Collector, free_port, smtp_server, text_body
from tests.writers.factories import LETTER_MARKER, letter_pdf

pytestmark = [pytest.mark.slow, pytest.mark.stack, pytest.mark.xdist_group("stack")]

DEPLOY = Path(settings.BASE_DIR) / "deploy"
EMAIL, PASSWORD = "applicant@example.org", "stack-journey-password-7"
WRITER = "dana@example.edu"


def _two_free_ports() -> int:
    """A port P with P and P + 1 free (supervisord numbers the web processes from P)."""
    for _ in range(50):
        base = free_port()
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", base + 1))
            except OSError:
                continue
            return base
    raise AssertionError("no two consecutive free ports")


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


def _nginx_conf(run: Path, tls: Path, https: int, http: int, web: int) -> Path:
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
    upstream = _render(
        DEPLOY / "nginx" / "upstream.conf",
        {"127.0.0.1:8001": f"127.0.0.1:{web}", "127.0.0.1:8002": f"127.0.0.1:{web + 1}"},
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


def _emailed_link(mail: Collector, site: str) -> str | None:
    for message in mail.messages:
        if WRITER in str(message["To"]):
            found = re.search(rf"{re.escape(site)}/writer/[A-Za-z0-9_-]+/", text_body(message))
            if found:
                return found.group(0)
    return None


def _browser(site: str, cert: Path) -> requests.Session:
    """A client like a browser on the site: cookies, and the Referer that Django's CSRF
    check asks of every HTTPS form post."""
    s = requests.Session()
    s.trust_env = False  # REQUESTS_CA_BUNDLE or a proxy in the environment must not apply
    s.verify = str(cert)
    s.headers["Referer"] = f"{site}/"
    return s


class _Forms(HTMLParser):
    """The hidden fields of each form on a page, by the form's action (what a browser
    sends along: the CSRF token, the nonce that makes a repeated post harmless)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.hidden: dict[str, dict[str, str]] = {}
        self._action = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self._action = a.get("action") or ""
            self.hidden.setdefault(self._action, {})
        elif tag == "input" and a.get("type") == "hidden" and a.get("name"):
            self.hidden.setdefault(self._action, {})[a["name"] or ""] = a.get("value") or ""


def _post_form(s: requests.Session, url: str, data: dict[str, str], **kw: Any) -> Any:
    """Post the form of the page at ``url``'s parent whose action is ``url``, like a browser."""
    page = s.get(kw.pop("page", None) or url)
    path = url.split("://", 1)[1].split("/", 1)[1]
    hidden = next(
        (h for action, h in _Forms(page.text).hidden.items() if action.endswith(path)), {}
    )
    hidden.setdefault("csrfmiddlewaretoken", s.cookies["csrftoken"])
    return s.post(url, data={**hidden, **data}, **kw)


def _api(s: requests.Session, site: str, path: str, payload: dict[str, Any]) -> Any:
    response = s.post(
        f"{site}/api/v1/{path}", json=payload, headers={"X-CSRFToken": s.cookies["csrftoken"]}
    )
    assert response.status_code in (200, 201), (path, response.status_code, response.text)
    return response.json()


def _supervisorctl(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        ["supervisorctl", "-c", str(DEPLOY / "supervisord.conf"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    ).stdout.strip()


def test_the_production_stack_serves_a_writer_journey_and_survives_a_dead_web_process(
    tmp_path: Path,
) -> None:
    for tool in ("supervisord", "supervisorctl", "nginx", "openssl"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            pytest.skip(f"{tool} is missing (scripts/ensure-test-tools.sh installs it)")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    # Outside pytest's private temporary directory: nginx's workers must reach it.
    run = Path(tempfile.mkdtemp(prefix="preceptor-stack."))
    run.chmod(0o755)
    https, http, web = free_port(), free_port(), _two_free_ports()
    site = f"https://localhost:{https}"
    cert = _self_signed(run / "tls")
    try:
        with cluster() as database_url, smtp_server() as (mail, smtp_port):
            stack_env = {
                "DEBUG": "false",
                "SECRET_KEY": "stack-test-" + Fernet.generate_key().decode(),
                "ALLOWED_HOSTS": "localhost",
                "SITE_URL": site,
                "DATABASE_URL": database_url,
                "PRECEPTOR_FILE_KEYS": Fernet.generate_key().decode(),
                "PRECEPTOR_VAULT_DIR": str(tmp_path / "vault"),
                "PROXY_COUNT": "1",
                "EMAIL_BACKEND": "smtp",
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(smtp_port),
                "EMAIL_USE_TLS": "false",
                "LOG_LEVEL": "INFO",
                "PRECEPTOR_HOME": str(settings.BASE_DIR),
                "PRECEPTOR_RUN_DIR": str(run),
                "PRECEPTOR_WEB_PORT": str(web),
                "PRECEPTOR_WEB_PROCESSES": "2",
                "WEB_CONCURRENCY": "1",
                "PRECEPTOR_WORKERS": "1",
                "PRECEPTOR_SIMULATION_WORKERS": "1",
                "WORKER_HEARTBEAT_SECONDS": "1",
            }
            env = child_env(tmp_path, **stack_env)
            out = manage(tmp_path, "release", **stack_env)
            assert "release: done" in out, out
            manage(
                tmp_path,
                "shell",
                "-v",
                "0",
                "-c",
                "from preceptor.accounts import services; "
                f"services.sign_up(email={EMAIL!r}, password={PASSWORD!r}, full_name='Ada Stack')",
                **stack_env,
            )
            conf = _nginx_conf(run, run / "tls", https, http, web)
            supervisord = ["supervisord", "-c", str(DEPLOY / "supervisord.conf")]
            with (
                _running(supervisord, run / "supervisord.log", env),
                _running([nginx, "-c", str(conf), "-g", "daemon off;"], run / "nginx.log", env),
            ):
                report = wait_for(lambda: _stack_up(site, cert), timeout=60, every=0.5)
                assert report, (run / "supervisord.log").read_text()[-3000:]
                assert report["database"] == "ok" and report["cache"] == "ok"
                assert report["worker"]["alive"] == 2 and report["sender"]["alive"] == 1
                _journey(site, cert, mail)
                _kill_one_web_process(site, cert, env, web)
                logs = (run / "supervisord.log").read_text()
            # Every process logged JSON lines to supervisord's standard output.
            access = [
                line
                for line in logs.splitlines()
                if line.startswith("{") and '"gunicorn.access"' in line
            ]
            assert any(json.loads(line).get("path") == "/healthz" for line in access)
    finally:
        shutil.rmtree(run, ignore_errors=True)


def _journey(site: str, cert: Path, mail: Collector) -> None:
    # The applicant logs in.
    applicant = _browser(site, cert)
    assert applicant.get(f"{site}/account/login/").status_code == 200
    response = _post_form(
        applicant, f"{site}/account/login/", {"username": EMAIL, "password": PASSWORD}
    )
    assert response.status_code == 200 and "/account/login/" not in response.url, response.text
    # … plans a letter request for an application without a letter service (the vault),
    # signs the waiver, asks, and has the writer link emailed.
    today = dt.date.today()
    mentor = _api(applicant, site, "mentors/", {"full_name": "Dana Writer", "email": WRITER})
    application = _api(
        applicant,
        site,
        "letters/applications",
        {
            "service": "direct",
            "cycle": today.year + 1,
            "title": "Research fellowship",
            "official_deadline": (today + dt.timedelta(days=60)).isoformat(),
            "uses_vault": True,
        },
    )
    request = _api(
        applicant,
        site,
        f"letters/applications/{application['id']}/requests",
        {"mentor_id": mentor["id"]},
    )
    rid = request["id"]
    response = _post_form(
        applicant,
        f"{site}/letters/requests/{rid}/waiver/",
        {"signed": "on", "on": today.isoformat()},
        page=f"{site}/letters/requests/{rid}/",
    )
    assert response.status_code == 200, response.text
    _api(
        applicant,
        site,
        f"letters/requests/{rid}/transitions",
        {"to_status": "asked", "ask_method": "email"},
    )
    assert (
        _api(applicant, site, f"writers/requests/{rid}/links", {"send_email": True})["emailed_to"]
        == WRITER
    )

    # A task worker sends the email over SMTP; the writer opens the link: no account.
    link = wait_for(lambda: _emailed_link(mail, site), timeout=20)
    assert link, [m["Subject"] for m in mail.messages]
    writer = _browser(site, cert)
    page = writer.get(link)
    assert page.status_code == 200 and "Letter request from Ada Stack" in page.text
    answered = _post_form(writer, f"{link}answer/", {"answer": "agreed"}, page=link)
    assert "Your yes has been passed on" in answered.text, answered.text
    letter = letter_pdf(pages=2)
    uploaded = _post_form(
        writer,
        f"{link}upload/",
        {},
        page=link,
        files={"letter": ("letter.pdf", letter, "application/pdf")},
    )
    assert "Your letter (2 pages) is stored" in uploaded.text, uploaded.text

    # The applicant sees that it arrived, and nothing of what it says.
    vault = applicant.get(f"{site}/api/v1/writers/requests/{rid}").json()
    assert [(v["page_count"], v["waived"]) for v in vault["letters"]] == [(2, True)]
    page = applicant.get(f"{site}/vault/requests/{rid}/")
    assert "You waived your right to read this letter" in page.text
    assert LETTER_MARKER not in page.text
    assert "Download your copy" not in page.text


def _kill_one_web_process(site: str, cert: Path, env: dict[str, str], web: int) -> None:
    name = f"web:web-{web}"
    pid = int(_supervisorctl(env, "pid", name))
    os.killpg(pid, signal.SIGKILL)  # the gunicorn and its worker, with no warning
    # Every request is answered by the other web process meanwhile.
    for _ in range(10):
        assert requests.get(f"{site}/healthz", verify=cert, timeout=10).status_code == 200
        assert requests.get(f"{site}/account/login/", verify=cert, timeout=10).status_code == 200
    # supervisord starts it again, and it answers on its own port (plain HTTP: a load
    # balancer's probe of /healthz is not redirected to HTTPS).
    restarted = wait_for(lambda: _supervisorctl(env, "pid", name) not in ("0", str(pid)), 30)
    assert restarted, _supervisorctl(env, "status")
    direct = wait_for(
        lambda: (
            requests.get(
                f"http://127.0.0.1:{web}/healthz", headers={"Host": "localhost"}, timeout=5
            ).status_code
            == 200
        ),
        timeout=30,
    )
    assert direct, _supervisorctl(env, "status")
