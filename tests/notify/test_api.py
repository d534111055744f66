"""The JSON API: notifications and preferences, with clear 4xx for bad input."""

from __future__ import annotations

import json

from django.test import Client

from preceptor.accounts.models import User
from preceptor.notify import services
from preceptor.notify.sync import get_preferences

BASE = "/api/v1/notify"


def _patch(client: Client, data: dict) -> object:  # type: ignore[type-arg]
    return client.patch(
        f"{BASE}/preferences", data=json.dumps(data), content_type="application/json"
    )


def test_it_lists_and_marks_notifications(alice: User, alice_client: Client) -> None:
    note = services.notify(alice.pk, "x", "Hello")
    data = alice_client.get(f"{BASE}/notifications").json()
    assert data["unread"] == 1 and data["items"][0]["title"] == "Hello"
    response = alice_client.post(f"{BASE}/notifications/{note.public_id}/read")
    assert response.json()["read"] is True
    assert alice_client.get(f"{BASE}/notifications?unread=true").json()["items"] == []


def test_it_updates_preferences(alice: User, alice_client: Client) -> None:
    response = _patch(alice_client, {"digest_hour": 7, "time_zone": "Asia/Tokyo", "paused": True})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["digest_hour"], body["time_zone"], body["paused"]) == (7, "Asia/Tokyo", True)


def test_it_refuses_bad_preferences_and_changes_nothing(alice: User, alice_client: Client) -> None:
    for data in ({"digest_hour": 24}, {"time_zone": "Nowhere/Land"}, {"delivery": "hourly"}):
        response = _patch(alice_client, data)
        assert response.status_code == 422, (data, response.content)
        assert response.json()["detail"]
    # A bad hour alongside a good zone: neither is saved.
    assert _patch(alice_client, {"digest_hour": 99, "time_zone": "Asia/Tokyo"}).status_code == 422
    alice.profile.refresh_from_db()
    assert alice.profile.time_zone == "America/New_York"
    assert get_preferences(alice).digest_hour == 8


def test_a_strangers_notification_is_a_404(alice: User, charlie: User) -> None:
    from tests.conftest import client_for

    note = services.notify(alice.pk, "x", "Private")
    response = client_for(charlie).post(f"{BASE}/notifications/{note.public_id}/read")
    assert response.status_code == 404
