"""A hostile upload against a real server on SQLite: refused within its budget, while
another user logs in at the same time (the check holds no database lock)."""

from __future__ import annotations

import re
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.lib.pdfs import shared_stream_bomb
from tests.processes import MANAGE, child_env, manage
from tests.smtp import free_port

pytestmark = pytest.mark.slow

SEED = """
import datetime as dt
from preceptor.accounts import services as accounts
from preceptor.letters import services
for email, name in [("alice@example.org", "Alice Owner"), ("bob@example.org", "Bob Second")]:
    accounts.sign_up(email=email, password="correct horse battery staple", full_name=name)
alice = accounts.User.objects.get(email="alice@example.org")
today = services.today_for(alice)
from preceptor.letters.timeline import match_cycle
deadline = today + dt.timedelta(days=60)
app = services.create_application(alice, service="eras", specialty="Internal Medicine",
    cycle=match_cycle(deadline), official_deadline=deadline)
print(app.public_id)
"""


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    env = {"PDF_CHECK_SECONDS": "4", "EMAIL_BACKEND": "locmem"}
    manage(tmp_path, "migrate", "--noinput", **env)
    app_id = manage(tmp_path, "shell", "-v", "0", "-c", SEED, **env).strip().splitlines()[-1]
    port = free_port()
    proc = subprocess.Popen(
        [*MANAGE, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=child_env(tmp_path, **env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                requests.get(base + "/account/login/", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        yield base, app_id
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _csrf(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=10).text
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert match, page[:500]
    return match.group(1)


def _log_in(base: str, email: str) -> tuple[requests.Session, requests.Response]:
    s = requests.Session()
    token = _csrf(s, base + "/account/login/")
    response = s.post(
        base + "/account/login/",
        data={"username": email, "password": "correct horse battery staple"},
        headers={"X-CSRFToken": token, "Referer": base + "/account/login/"},
        allow_redirects=False,
        timeout=30,
    )
    return s, response


def test_a_crafted_pdf_is_refused_within_budget_while_another_user_logs_in(
    server: tuple[str, str],
) -> None:
    base, app_id = server
    alice, response = _log_in(base, "alice@example.org")
    assert response.status_code == 302
    page = f"{base}/letters/applications/{app_id}/"
    token = _csrf(alice, page)
    result: dict[str, object] = {}
    # 900 pages sharing one stream that inflates to 3 MB of text operators (a few KB on
    # the wire): under the content cap, so reading it starts and runs until the budget
    # stops it. (The old check read it once per page: about an hour.)
    bomb = shared_stream_bomb(pages=900, content_mb=3, text=True)

    def upload() -> None:
        result["response"] = alice.post(
            page + "documents/",
            data={"kind": "cv", "csrfmiddlewaretoken": token},
            files={"file": ("cv.pdf", bomb)},
            headers={"Referer": page},
            timeout=120,
        )
        result["done"] = time.monotonic()

    started = time.monotonic()
    uploader = threading.Thread(target=upload)
    uploader.start()
    time.sleep(1)  # the upload is being checked now
    _, bob_login = _log_in(base, "bob@example.org")
    bob_done = time.monotonic()
    uploader.join(timeout=120)

    assert bob_login.status_code == 302, bob_login.text[:500]
    # Bob was in while Alice's file was still being checked.
    assert "done" in result and bob_done < float(result["done"])  # type: ignore[arg-type]
    refused = result["response"]
    assert isinstance(refused, requests.Response)
    assert refused.status_code == 400
    assert "Your CV is too complex to check" in refused.text
    # Refused within the budget (4 s of CPU, 6 s of wall clock), not after a minute.
    assert float(result["done"]) - started < 4 + 2 + 5  # type: ignore[arg-type]
    assert bob_done - started < 4 + 2 + 5
    # Nothing half-written: the application still has no CV.
    assert "cv.pdf (" not in alice.get(page, timeout=10).text
