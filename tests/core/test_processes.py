"""The worker, the run command, demo data and production settings, as real processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.processes import MANAGE, child_env, manage
from tests.smtp import free_port

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("processes")]


def test_worker_runs_queued_tasks_and_beats(tmp_path: Path) -> None:
    manage(tmp_path, "migrate", "--noinput")
    # Queue an email through the real database backend; the worker sends it to var/mail.
    manage(
        tmp_path,
        "shell",
        "-v",
        "0",
        "-c",
        "from preceptor.lib import emails; "
        "emails.send('password-reset', 'x@example.org', "
        "{'email': 'x@example.org', 'protocol': 'http', 'domain': 'h', 'uid': 'MQ', 'token': 't'})",
    )
    mail_dir = tmp_path / "var" / "mail"
    assert not mail_dir.exists() or not any(mail_dir.iterdir())
    out = manage(tmp_path, "worker", "--batch", "--no-startup-delay", "--no-reload")
    files = list(mail_dir.iterdir())
    assert len(files) == 1, out
    assert "Reset your Preceptor password" in files[0].read_text()
    result = manage(
        tmp_path,
        "shell",
        "-v",
        "0",
        "-c",
        "from django_tasks_db.models import DBTaskResult; "
        "print([r.status for r in DBTaskResult.objects.all()])",
    )
    assert "SUCCESSFUL" in result


def _get_json(url: str) -> dict:  # type: ignore[type-arg]
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
            return json.loads(response.read())  # type: ignore[no-any-return]
    except urllib.error.HTTPError as e:
        return json.loads(e.read())  # type: ignore[no-any-return]


def test_serve_starts_web_and_worker_and_ctrl_c_stops_both(tmp_path: Path) -> None:
    manage(tmp_path, "migrate", "--noinput")
    # A reminder already due: the reminder sender that serve starts must deliver it.
    manage(
        tmp_path,
        "shell",
        "-v",
        "0",
        "-c",
        "from datetime import timedelta; from django.utils import timezone; "
        "from preceptor.accounts import services; from preceptor.notify.models import Reminder; "
        "u = services.sign_up(email='s@example.org', password='serve-test-pass'); "
        "Reminder.objects.create(user=u, kind='ask_by', key='serve', recipient=u.email, "
        "send_at=timezone.now() - timedelta(minutes=1), context={'title': 'Serve sends this'})",
    )
    port = free_port()
    proc = subprocess.Popen(
        [*MANAGE, "serve", f"127.0.0.1:{port}", "--no-reload", "--demo"],
        env=child_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        health: dict = {}  # type: ignore[type-arg]
        while time.monotonic() < deadline:
            try:
                health = _get_json(f"http://127.0.0.1:{port}/healthz")
                if health.get("worker", {}).get("status") == "ok":
                    break
            except OSError:
                pass
            time.sleep(0.5)
        assert health.get("status") == "ok", health
        mail_dir = tmp_path / "var" / "mail"

        def reminder_sent() -> str:
            files = list(mail_dir.iterdir()) if mail_dir.exists() else []
            return next((t for f in files if "Serve sends this" in (t := f.read_text())), "")

        while time.monotonic() < deadline and not reminder_sent():
            time.sleep(0.5)
        reminder = reminder_sent()
        assert reminder, "the reminder sender did not deliver the due reminder"
        # SITE_URL was not set: the links in the email point at the address served.
        assert f"http://127.0.0.1:{port}/" in reminder
        assert "127.0.0.1:8000" not in reminder
        # Ctrl-C in a terminal sends SIGINT to the foreground process group.
        os.killpg(proc.pid, signal.SIGINT)
        output, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 0, output
    assert "Press Ctrl-C to stop them all" in output
    assert f"Preceptor is running on http://127.0.0.1:{port}/" in output
    # --demo created the demo account and says where to log in: this address, not :8000.
    assert "Created the demo account." in output
    assert f"Log in at http://127.0.0.1:{port}/account/login/" in output
    assert "reminder sender" in output
    # Nothing is left listening, and the worker removed its heartbeat on the way out.
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
    out = manage(
        tmp_path,
        "shell",
        "-v",
        "0",
        "-c",
        "from preceptor.core.models import WorkerHeartbeat; print(WorkerHeartbeat.objects.count())",
    )
    assert out.strip() == "0"


DEMO_NAME = (
    "from preceptor.accounts.models import Profile; "
    "print(Profile.objects.get(user__email='demo@preceptor.test').full_name)"
)
RENAME_DEMO = (
    "from preceptor.accounts.models import Profile; "
    "Profile.objects.filter(user__email='demo@preceptor.test').update(full_name='Entered By Me')"
)


def test_seed_demo_prints_credentials_that_work_and_a_rerun_resets_the_account(
    tmp_path: Path,
) -> None:
    manage(tmp_path, "migrate", "--noinput")
    out = manage(tmp_path, "seed_demo")
    assert "Created the demo account." in out
    assert "Log in at http://127.0.0.1:8000/account/login/" in out
    assert "Email:    demo@preceptor.test" in out
    assert "Password: demo-preceptor-2026" in out
    manage(tmp_path, "shell", "-v", "0", "-c", RENAME_DEMO)
    out = manage(tmp_path, "seed_demo")  # what `make demo` runs
    assert "Reset the demo account: everything in it was replaced by the demo data." in out
    assert manage(tmp_path, "shell", "-v", "0", "-c", DEMO_NAME).strip() == "Jordan Rivera"
    check = manage(
        tmp_path,
        "shell",
        "-v",
        "0",
        "-c",
        "from django.contrib.auth import authenticate; from django.test import RequestFactory; "
        "u = authenticate(RequestFactory().get('/'), username='demo@preceptor.test', "
        "password='demo-preceptor-2026'); print(u.profile.completeness()[0])",
    )
    assert check.strip() == "100"


def test_seed_demo_if_missing_keeps_what_was_entered_in_the_demo_account(
    tmp_path: Path,
) -> None:
    manage(tmp_path, "migrate", "--noinput")
    assert "Created the demo account." in manage(tmp_path, "seed_demo", "--if-missing")
    manage(tmp_path, "shell", "-v", "0", "-c", RENAME_DEMO)
    # What `make run` does on every start (through `serve --demo`).
    out = manage(tmp_path, "seed_demo", "--if-missing", SITE_URL="http://127.0.0.1:8765")
    assert "Kept the existing demo account and everything in it" in out
    assert "Log in at http://127.0.0.1:8765/account/login/" in out
    assert manage(tmp_path, "shell", "-v", "0", "-c", DEMO_NAME).strip() == "Entered By Me"


def test_production_settings_pass_check_deploy(tmp_path: Path) -> None:
    out = manage(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="x7" + "q4Lm9Zp2Wv8Rt5Kb3Nc6Hd1Jf0Gs" * 3,
        ALLOWED_HOSTS="preceptor.example.org",
        SITE_URL="https://preceptor.example.org",
        # The writers app's vault encrypts files with keys from the environment.
        PRECEPTOR_FILE_KEYS="nNOjyi9HsDXAfV8XjlpCfIS5DIkU876Fr1naeFQB_1o=",
    )
    assert "System check identified no issues" in out


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    result = subprocess.run(
        [*MANAGE, "check"],
        env=child_env(tmp_path, DEBUG="false", ALLOWED_HOSTS="preceptor.example.org"),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is false" in result.stderr


def test_development_generates_and_keeps_a_secret_key(tmp_path: Path) -> None:
    manage(tmp_path, "check")
    key_file = tmp_path / "var" / "secret_key"
    first = key_file.read_text()
    assert len(first) >= 50
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    manage(tmp_path, "check")
    assert key_file.read_text() == first
