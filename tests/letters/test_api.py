"""The JSON API: same services, clear 4xx messages."""

from __future__ import annotations

import datetime as dt

import pytest

from preceptor.letters import services
from preceptor.letters.models import Application
from tests.letters.factories import make_application, make_mentor, make_request

pytestmark = pytest.mark.django_db
BASE = "/api/v1/letters"


def test_create_list_and_read_applications(alice, alice_client) -> None:  # type: ignore[no-untyped-def]
    deadline = (services.today_for(alice) + dt.timedelta(days=45)).isoformat()
    response = alice_client.post(
        f"{BASE}/applications",
        {
            "service": "eras",
            "specialty": "Emergency Medicine",
            "cycle": 2027,
            "official_deadline": deadline,
            "personal_deadline_days": 7,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["coverage"]["summary"].startswith("ERAS emergency medicine: 0 of 2")
    assert (
        body["personal_deadline"]
        == (dt.date.fromisoformat(deadline) - dt.timedelta(days=7)).isoformat()
    )
    listed = alice_client.get(f"{BASE}/applications").json()
    assert [a["id"] for a in listed] == [body["id"]]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"service": "eras", "cycle": 2027, "official_deadline": "2020-01-01"}, "in the past"),
        (
            {
                "service": "eras",
                "cycle": 2027,
                "official_deadline": "2099-01-01",
                "personal_deadline_days": 30,
            },
            "personal_deadline_days: Input should be less than or equal to 14",
        ),
        ({"service": "owl", "cycle": 2027, "official_deadline": "2099-01-01"}, "service: Input"),
    ],
)
def test_bad_application_is_422_with_a_message(alice_client, payload, message) -> None:  # type: ignore[no-untyped-def]
    response = alice_client.post(f"{BASE}/applications", payload, content_type="application/json")
    assert response.status_code == 422
    assert message in response.json()["detail"]
    assert not Application.objects.exists()


def test_plan_and_move_a_request(alice, alice_client) -> None:  # type: ignore[no-untyped-def]
    app = make_application(alice)
    mentor = make_mentor(alice, "Ana Patel")
    response = alice_client.post(
        f"{BASE}/applications/{app.public_id}/requests",
        {"mentor_id": str(mentor.public_id)},
        content_type="application/json",
    )
    assert response.status_code == 201
    rid = response.json()["id"]
    assert response.json()["allowed"] == ["candidate", "asked"]
    moved = alice_client.post(
        f"{BASE}/requests/{rid}/transitions",
        {"to_status": "asked", "ask_method": "email"},
        content_type="application/json",
    )
    assert moved.status_code == 200 and moved.json()["status"] == "asked"
    refused = alice_client.post(
        f"{BASE}/requests/{rid}/transitions",
        {"to_status": "submitted"},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert "cannot jump to “submitted”" in refused.json()["detail"]
    keys = [s["key"] for s in alice_client.get(f"{BASE}/requests/{rid}").json()["steps"]]
    assert "ask_by_ideal" in keys and "personal_deadline" in keys


def test_filter_requests_by_status(alice, alice_client) -> None:  # type: ignore[no-untyped-def]
    app = make_application(alice)
    make_request(alice, "asked", app=app)
    make_request(alice, "planned", app=app)
    assert len(alice_client.get(f"{BASE}/requests?status=asked").json()) == 1
    assert alice_client.get(f"{BASE}/requests?status=lost").status_code == 422


def test_draft_endpoint(alice, alice_client) -> None:  # type: ignore[no-untyped-def]
    r = make_request(alice, "submitted")
    d = alice_client.get(f"{BASE}/requests/{r.public_id}/drafts/thank_you").json()
    assert d["subject"] == "Thank you for my letter" and d["mailto"].startswith("mailto:")
    assert alice_client.get(f"{BASE}/requests/{r.public_id}/drafts/nope").status_code == 404


def test_explicit_nulls_are_a_clear_422(alice, alice_client) -> None:  # type: ignore[no-untyped-def]
    app = make_application(alice)
    response = alice_client.patch(
        f"{BASE}/applications/{app.public_id}",
        {"instructions": None, "cycle": None},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "instructions: Give a value" in response.json()["detail"]
    r = make_request(alice, "planned", app=app)
    response = alice_client.patch(
        f"{BASE}/requests/{r.public_id}", {"summary": None}, content_type="application/json"
    )
    assert response.status_code == 422
    # Clearing an optional date or limit is fine.
    response = alice_client.patch(
        f"{BASE}/applications/{app.public_id}",
        {"results_on": None, "max_letters_override": None},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["results_on"] is None
