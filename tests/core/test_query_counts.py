"""The main pages ask the database a bounded number of questions, whatever the account holds.

Each page is fetched for the demo account, then again after the account has grown (more
mentors with interactions, another application with requests): the number of queries must
stay under the page's bound both times and not grow with the data. A page that starts
asking once per mentor or per request fails here before it is slow in production
(``bench/pages_bench.py`` measures the time).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from preceptor.accounts.models import User
from preceptor.core import demo
from preceptor.core.pages import main_pages
from preceptor.letters import services as letters
from preceptor.letters.models import Application
from preceptor.mentors import services as mentors

pytestmark = pytest.mark.django_db

# Upper bounds per page: what the demo account asks (December 2026) plus two, so that a
# small addition passes and a query per mentor or request does not.
BOUNDS = {
    "dashboard": 17,
    "mentors": 13,
    "a mentor": 11,
    "letters": 8,
    "an application": 14,  # with the document library: the documents in use and the library
    "a request": 19,
    "calendar": 20,
    "programs": 7,
}


@pytest.fixture(autouse=True)
def _storage(settings: Any, tmp_path: Path) -> None:
    # The demo uploads documents and letters: keep them in the test's own directory.
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.WRITERS_VAULT_DIR = str(tmp_path / "vault")
    settings.WRITERS_FILE_KEYS = [Fernet.generate_key().decode()]


WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def _counts(client: Client, pages: dict[str, str]) -> dict[str, int]:
    """Each page's queries on a second visit, which must write nothing: a write on a
    visit takes SQLite's write lock, and concurrent visits would queue behind it."""
    counts = {}
    for name, url in pages.items():
        # The first visit may sync the calendar or load the catalogue; count the next one,
        # as every visit after it is.
        assert client.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        writes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith(WRITES)]
        assert not writes, (name, writes)
        counts[name] = len(queries)
    return counts


def _grow(user: User) -> None:
    """More of everything the pages list: mentors with interactions, requests of them."""
    today = letters.today_for(user)
    first_app = Application.objects.filter(user=user).order_by("id").first()
    assert first_app is not None
    app = letters.create_application(
        user,
        service="eras",
        specialty="Surgery",
        cycle=first_app.cycle,
        official_deadline=today + dt.timedelta(days=60),
        personal_deadline_days=14,
    )
    for i in range(6):
        m = mentors.create_mentor(
            user, today=today, full_name=f"Grown Mentor {i}", degree="MD", specialty="Surgery"
        )
        for k in range(3):
            mentors.log_interaction(m, occurred_on=today - dt.timedelta(days=10 * k + i))
        mentors.add_action_item(m, text="send the CV")
        for target in (app, first_app):
            letters.plan_request(target, m, category="in_specialty")


def test_the_main_pages_ask_a_bounded_number_of_queries_that_does_not_grow_with_the_data() -> None:
    user, _ = demo.seed(email="counts@example.org", password="x" * 16)
    client = Client()
    client.force_login(user)
    pages = main_pages(user)
    before = _counts(client, pages)
    _grow(user)
    after = _counts(client, pages)
    for name in pages:
        assert before[name] <= BOUNDS[name], (name, before[name])
        assert after[name] <= BOUNDS[name], (name, after[name])
        assert after[name] <= before[name], f"{name}: {before[name]} queries, then {after[name]}"
