from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from preceptor.core import services
from preceptor.core.services import Beats, Health, PartState
from preceptor.lib import queues
from preceptor.lib.emails import send_email
from preceptor.smartpick.services import run_simulation


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


@pytest.fixture
def database_queue(db: None, settings: pytest.FixtureRequest) -> None:
    # The real database queue and no worker running: tasks stay waiting.
    settings.TASKS = {
        "default": {**settings.TASKS["default"], "BACKEND": "django_tasks_db.DatabaseBackend"}
    }


def _queue_some(simulations: int, emails: int) -> None:
    for i in range(simulations):
        run_simulation.enqueue(run_id=f"run-{i}")
    for i in range(emails):
        send_email.enqueue(subject="s", text="t", html=None, to=f"u{i}@example.org")


def test_it_reports_each_queues_depth_and_oldest_wait(database_queue: None) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _queue_some(simulations=4, emails=1)
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        _queue_some(simulations=0, emails=1)
    with time_machine.travel(start + timedelta(seconds=45), tick=False):
        services.beat("w1", timezone.now(), queues=queues.URGENT)
        data = Client().get("/healthz").json()
    assert data["queues"] == {
        "default": {"waiting": 2, "running": 0, "oldest_wait_seconds": 45.0, "workers": 1},
        "simulations": {"waiting": 4, "running": 0, "oldest_wait_seconds": 45.0, "workers": 0},
    }
    # Simulations wait and nobody serves their queue.
    assert data["status"] == "degraded"


def test_it_is_ok_when_every_waiting_queue_has_a_live_worker(database_queue: None) -> None:
    _queue_some(simulations=2, emails=0)
    services.beat("urgent", timezone.now(), queues=queues.URGENT)
    services.beat("sims", timezone.now(), queues=queues.SIMULATIONS)
    data = Client().get("/healthz").json()
    assert data["status"] == "ok"
    assert data["queues"]["simulations"]["workers"] == 1
    assert data["queues"]["default"] == {
        "waiting": 0,
        "running": 0,
        "oldest_wait_seconds": None,
        "workers": 1,
    }


def test_a_worker_of_every_queue_counts_for_each(database_queue: None) -> None:
    _queue_some(simulations=1, emails=1)
    services.beat("all", timezone.now(), queues="*")
    data = Client().get("/healthz").json()
    assert {q["workers"] for q in data["queues"].values()} == {1}
    assert data["status"] == "ok"


def test_it_reports_the_reminder_sender_apart_from_the_workers(db: None) -> None:
    services.beat("w1", timezone.now())
    services.beat("sender:h:1", timezone.now(), role="sender", queues="")
    data = Client().get("/healthz").json()
    assert data["worker"]["alive"] == 1
    assert data["sender"]["status"] == "ok" and data["sender"]["alive"] == 1
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        services.beat("w1", timezone.now())
        data = Client().get("/healthz").json()
    assert data["sender"]["status"] == "stale"
    assert data["status"] == "degraded"


def test_it_reports_the_restarts_serve_recorded(
    db: None, settings: pytest.FixtureRequest, tmp_path: Path
) -> None:
    state = {"restarts": 2, "last_restart": {"process": "worker", "exit_code": -9}}
    (tmp_path / "serve.json").write_text(json.dumps(state))
    settings.SERVE_STATE_FILE = str(tmp_path / "serve.json")
    assert Client().get("/healthz").json()["serve"] == state
    # Not under serve: no such section.
    settings.SERVE_STATE_FILE = ""
    assert "serve" not in Client().get("/healthz").json()


@pytest.mark.parametrize(
    ("vault", "status"),
    [
        (PartState("ok"), "ok"),
        (PartState("unreachable"), "degraded"),  # the shared object store: every machine's
        (PartState("not writable", local=True), "error"),  # this machine's own directory
    ],
)
def test_a_part_fails_the_machine_only_when_the_fault_is_its_own(
    vault: PartState, status: str
) -> None:
    alive = Beats(status="ok", alive=1, last_seen=timezone.now())
    health = Health(database="ok", worker=alive, sender=alive, parts={"vault": vault})
    assert health.status == status
    assert health.as_dict()["vault"] == vault.state
