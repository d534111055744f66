"""A user may have only a few simulations waiting or running: the page says so, the API
answers 429, and nothing is recorded or queued past the limit."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from preceptor.accounts.models import User
from preceptor.lib import queues
from preceptor.smartpick import services
from preceptor.smartpick.models import ApplicantProfile, SimulationRun
from tests.conftest import client_for
from tests.smartpick.conftest import make_profile

LIMIT_MESSAGE = "You already have 3 simulations waiting or running"


@pytest.fixture
def queued_for_real(settings: pytest.FixtureRequest) -> None:
    # The real database queue, with no worker: the runs stay waiting, as behind a long queue.
    settings.TASKS = {
        "default": {**settings.TASKS["default"], "BACKEND": "django_tasks_db.DatabaseBackend"}
    }


def _start_three(client: Client) -> None:
    for _ in range(3):
        assert client.post("/api/v1/programs/simulations").status_code == 201


def test_simulations_wait_in_their_own_queue(
    queued_for_real: None, alice_profile: ApplicantProfile, alice_client: Client
) -> None:
    _start_three(alice_client)
    assert set(DBTaskResult.objects.values_list("queue_name", flat=True)) == {queues.SIMULATIONS}


def test_the_api_refuses_a_fourth_waiting_simulation_with_429(
    queued_for_real: None, alice_profile: ApplicantProfile, alice_client: Client
) -> None:
    _start_three(alice_client)
    r = alice_client.post("/api/v1/programs/simulations")
    assert r.status_code == 429
    assert r.json()["detail"].startswith(LIMIT_MESSAGE)
    assert SimulationRun.objects.filter(user=alice_profile.user).count() == 3
    assert DBTaskResult.objects.count() == 3


def test_the_page_refuses_a_fourth_waiting_simulation_with_a_message(
    queued_for_real: None, alice_profile: ApplicantProfile, alice_client: Client
) -> None:
    _start_three(alice_client)
    r = alice_client.post("/programs/simulate/", follow=True)
    assert r.status_code == 200
    assert LIMIT_MESSAGE in r.content.decode()
    assert SimulationRun.objects.count() == 3
    # The htmx request gets the message in the simulation's slot.
    r = alice_client.post("/programs/simulate/", HTTP_HX_REQUEST="true")
    assert LIMIT_MESSAGE in r.content.decode() and 'role="alert"' in r.content.decode()
    assert SimulationRun.objects.count() == 3


def test_the_limit_is_per_user_and_frees_up_when_a_run_finishes(
    queued_for_real: None, alice_profile: ApplicantProfile, alice_client: Client, bob: User
) -> None:
    _start_three(alice_client)
    # Another user is not held back by alice's runs.
    make_profile(bob)
    assert client_for(bob).post("/api/v1/programs/simulations").status_code == 201
    # One of alice's runs finishes: she may start another.
    run = SimulationRun.objects.filter(user=alice_profile.user).first()
    assert run is not None
    SimulationRun.objects.filter(pk=run.pk).update(status=SimulationRun.Status.DONE)
    assert alice_client.post("/api/v1/programs/simulations").status_code == 201


def test_a_run_stuck_for_over_an_hour_no_longer_counts(
    queued_for_real: None, alice_profile: ApplicantProfile, alice_client: Client
) -> None:
    _start_three(alice_client)
    SimulationRun.objects.filter(user=alice_profile.user).update(
        created=timezone.now() - services.ACTIVE_RUN_WINDOW
    )
    assert alice_client.post("/api/v1/programs/simulations").status_code == 201
