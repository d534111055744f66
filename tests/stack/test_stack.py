"""The production stack of deploy/, started on this machine and used across it
(tests/stack/stack.py starts it: PostgreSQL, supervisord with two web processes, a task
worker for each queue and the reminder sender, nginx on HTTPS, a real SMTP server).

A writer journey through nginx: the applicant logs in, plans a letter request and has its
writer link emailed (by a worker, over SMTP); the writer opens it, says yes and uploads
the letter; the applicant sees that it arrived, never what it says. Last, one web process
is killed: the site keeps answering and supervisord starts it again.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.core.serving import wait_for
from tests.smtp import Collector, text_body
from tests.stack.stack import Stack, production_stack
from tests.writers.factories import LETTER_MARKER, letter_pdf

pytestmark = [pytest.mark.slow, pytest.mark.stack, pytest.mark.xdist_group("stack")]

EMAIL, PASSWORD = "applicant@example.org", "stack-journey-password-7"
WRITER = "dana@example.edu"


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


def test_the_production_stack_serves_a_writer_journey_and_survives_a_dead_web_process(
    tmp_path: Path,
) -> None:
    with production_stack(tmp_path) as stack:
        report = requests.get(f"{stack.site}/healthz", verify=stack.cert, timeout=5).json()
        assert report["database"] == "ok" and report["cache"] == "ok"
        assert report["worker"]["alive"] == 2 and report["sender"]["alive"] == 1
        _journey(stack.site, stack.cert, stack.mail)
        _kill_one_web_process(stack)
        logs = stack.log()
    # Every process logged JSON lines to supervisord's standard output.
    access = [
        line for line in logs.splitlines() if line.startswith("{") and '"gunicorn.access"' in line
    ]
    assert any(json.loads(line).get("path") == "/healthz" for line in access)


def _journey(site: str, cert: Path, mail: Collector) -> None:
    # The applicant signs up, then logs in from another browser.
    signup = _post_form(
        _browser(site, cert),
        f"{site}/account/signup/",
        {"full_name": "Ada Stack", "email": EMAIL, "password1": PASSWORD, "password2": PASSWORD},
    )
    assert signup.status_code == 200 and "/account/signup/" not in signup.url, signup.text
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


def _kill_one_web_process(stack: Stack) -> None:
    site, cert, web = stack.site, stack.cert, stack.web_port
    name = f"web:web-{web}"
    pid = int(stack.supervisorctl("pid", name))
    os.killpg(pid, signal.SIGKILL)  # the gunicorn and its worker, with no warning
    # Every request is answered by the other web process meanwhile.
    for _ in range(10):
        assert requests.get(f"{site}/healthz", verify=cert, timeout=10).status_code == 200
        assert requests.get(f"{site}/account/login/", verify=cert, timeout=10).status_code == 200
    # supervisord starts it again, and it answers on its own port (plain HTTP: a load
    # balancer's probe of /healthz is not redirected to HTTPS).
    restarted = wait_for(lambda: stack.supervisorctl("pid", name) not in ("0", str(pid)), 30)
    assert restarted, stack.supervisorctl("status")
    direct = wait_for(
        lambda: (
            requests.get(
                f"http://127.0.0.1:{web}/healthz", headers={"Host": "localhost"}, timeout=5
            ).status_code
            == 200
        ),
        timeout=30,
    )
    assert direct, stack.supervisorctl("status")
