"""Production settings: SITE_URL required, the shared cache, JSON logs, /healthz's cache."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import Client

from preceptor.core.apps import create_cache_table
from preceptor.core.checks import site_url_configured
from preceptor.lib import cache_url
from preceptor.lib.logformat import JsonFormatter
from tests.processes import MANAGE, child_env


def test_production_without_site_url_fails_the_deploy_check(settings: Any) -> None:
    settings.DEBUG = False
    settings.SITE_URL_CONFIGURED = False
    (error,) = site_url_configured()
    assert error.id == "core.E001"
    settings.SITE_URL_CONFIGURED = True
    settings.SITE_URL = "http://preceptor.example.org"
    assert [e.id for e in site_url_configured()] == ["core.E002"]
    settings.SITE_URL = "https://preceptor.example.org"
    assert site_url_configured() == []
    settings.DEBUG = True
    settings.SITE_URL_CONFIGURED = False
    assert site_url_configured() == []


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        ("db://", "django.core.cache.backends.db.DatabaseCache", "preceptor_cache"),
        ("db://shared_cache", "django.core.cache.backends.db.DatabaseCache", "shared_cache"),
        ("locmem://", "django.core.cache.backends.locmem.LocMemCache", None),
        ("dummy://", "django.core.cache.backends.dummy.DummyCache", None),
    ],
)
def test_cache_urls(url: str, backend: str, location: str | None) -> None:
    entry = cache_url.parse(url)
    assert entry["BACKEND"] == backend
    assert entry.get("LOCATION") == location


@pytest.mark.parametrize("url", ["db://", "locmem://"])
def test_the_counting_caches_keep_more_than_django_s_300_entries(url: str) -> None:
    """One "in step" marker per active user (notify/sync.py) must not cull the API
    throttle's counters once a few hundred users are active."""
    from django.core.cache.backends.base import BaseCache

    backend = cache_url.parse(url)
    cache = BaseCache({"OPTIONS": backend.get("OPTIONS", {})})
    assert cache._max_entries >= 10_000


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://x", "use db://"),
        ("db://bad;drop", "is not a table name"),
        ("memcached://", "needs the Python package 'pymemcache'|names no memcached server"),
    ],
)
def test_bad_cache_urls_say_what_is_wrong(url: str, message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        cache_url.parse(url)


def test_redis_without_its_package_is_refused_with_the_fix(monkeypatch: Any) -> None:
    monkeypatch.setattr(cache_url.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ImproperlyConfigured, match="needs the Python package 'redis'"):
        cache_url.parse("redis://127.0.0.1:6379/0")


def test_migrate_creates_the_database_cache_table(settings: Any, transactional_db: None) -> None:
    settings.CACHES = {"default": cache_url.parse("db://test_shared_cache")}
    assert "test_shared_cache" not in connection.introspection.table_names()
    create_cache_table(using="default")
    assert "test_shared_cache" in connection.introspection.table_names()
    cache = caches.create_connection("default")
    cache.set("k", "shared", 60)
    assert caches.create_connection("default").get("k") == "shared"
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE test_shared_cache")


def test_healthz_reports_a_cache_it_cannot_read(settings: Any, db: None) -> None:
    data = Client().get("/healthz").json()
    assert data["cache"] == "ok"
    # A database cache whose table was never created.
    settings.CACHES = {"default": cache_url.parse("db://no_such_cache_table")}
    response = Client().get("/healthz")
    data = response.json()
    assert response.status_code == 200
    assert data["cache"] == "unavailable"
    assert data["status"] == "degraded"


def _format(record: logging.LogRecord) -> dict[str, Any]:
    line = JsonFormatter().format(record)
    assert "\n" not in line
    return json.loads(line)  # type: ignore[no-any-return]


def test_json_log_lines() -> None:
    record = logging.makeLogRecord(
        {"name": "preceptor.x", "levelname": "WARNING", "msg": "Sent %d\nmails", "args": (3,)}
    )
    record.task_id = "abc"
    data = _format(record)
    assert data["message"] == "Sent 3\nmails"
    assert data["level"] == "WARNING" and data["logger"] == "preceptor.x"
    assert data["task_id"] == "abc"
    assert data["time"].endswith("+00:00")
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.makeLogRecord({"msg": "failed", "exc_info": sys.exc_info()})
    assert "ValueError: boom" in _format(record)["exception"]


def test_gunicorn_access_lines_become_fields() -> None:
    from gunicorn.glogging import SafeAtoms

    atoms = SafeAtoms(
        {"m": "GET", "U": "/healthz", "s": "200", "B": "512", "M": 3, "h": "127.0.0.1"}
    )
    record = logging.LogRecord("gunicorn.access", logging.INFO, "", 0, "%(m)s %(U)s", (), None)
    record.args = atoms
    data = _format(record)
    assert data["message"] == "GET /healthz"
    assert (data["method"], data["path"], data["status"], data["duration_ms"]) == (
        "GET",
        "/healthz",
        200,
        3,
    )
    assert "forwarded_for" not in data


@pytest.mark.slow
def test_release_stops_at_the_deploy_check_before_changing_anything(tmp_path: Path) -> None:
    """Without SITE_URL the release fails at its first step: no table is created."""
    result = subprocess.run(
        [*MANAGE, "release"],
        env=child_env(
            tmp_path,
            DEBUG="false",
            SECRET_KEY="x7" + "q4Lm9Zp2Wv8Rt5Kb3Nc6Hd1Jf0Gs" * 3,
            ALLOWED_HOSTS="preceptor.example.org",
            PRECEPTOR_FILE_KEYS="nNOjyi9HsDXAfV8XjlpCfIS5DIkU876Fr1naeFQB_1o=",
        ),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "core.E001" in result.stderr
    assert "release: migrate" not in result.stdout
    database = tmp_path / "child.sqlite3"
    assert not database.exists() or database.stat().st_size == 0
