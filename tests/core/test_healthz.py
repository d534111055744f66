from __future__ import annotations

from datetime import timedelta

import time_machine
from django.test import Client
from django.utils import timezone

from preceptor.core import services


def test_it_reports_a_worker_never_seen(db: None) -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    data = response.json()
    assert data["database"] == "ok"
    assert data["worker"]["status"] == "never seen"
    assert data["status"] == "degraded"


def test_it_reports_a_live_worker(db: None) -> None:
    services.beat("w1", timezone.now())
    data = Client().get("/healthz").json()
    assert data["status"] == "ok"
    assert data["worker"] == {
        "status": "ok",
        "alive": 1,
        "last_seen": data["worker"]["last_seen"],
        "age_seconds": data["worker"]["age_seconds"],
    }
    assert data["worker"]["age_seconds"] < 5


def test_it_reports_a_stale_worker(db: None) -> None:
    services.beat("w1", timezone.now())
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        data = Client().get("/healthz").json()
    assert data["worker"]["status"] == "stale"
    assert data["worker"]["alive"] == 0
    assert data["status"] == "degraded"


def test_a_stopped_worker_is_forgotten(db: None) -> None:
    services.beat("w1", timezone.now())
    services.stop_beating("w1")
    assert Client().get("/healthz").json()["worker"]["status"] == "never seen"


def test_it_rejects_post(db: None) -> None:
    assert Client().post("/healthz").status_code == 405
