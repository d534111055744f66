"""The JSON API: the applicant's own metadata, never a letter's bytes or a token's hash."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.urls import reverse

from preceptor.accounts.models import User
from preceptor.writers import services
from preceptor.writers.models import Delivery, WriterLink
from tests.conftest import client_for
from tests.writers.factories import LETTER_MARKER, letter_pdf, make_request, upload

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_request_shows_metadata_only(alice: User) -> None:
    r = make_request(alice, status="agreed")
    upload(r, letter_pdf(pages=3))
    services.deliver(r, name="Committee", email="c@example.edu", require_nonce=False)
    response = client_for(alice).get(
        reverse("api:writers_request", kwargs={"public_id": r.public_id})
    )
    assert response.status_code == 200
    body = response.json()
    (letter,) = body["letters"]
    assert (letter["version"], letter["page_count"], letter["delivered"]) == (1, 3, True)
    assert set(letter) == {
        "id",
        "version",
        "received_on",
        "replaced_on",
        "page_count",
        "size",
        "delivered",
        "waived",
    }
    assert body["deliveries"][0]["recipient_email"] == "c@example.edu"
    assert {e["kind"] for e in body["events"]} >= {"uploaded", "delivered"}
    text = response.content.decode()
    assert LETTER_MARKER not in text
    for d in Delivery.objects.all():
        assert d.token_hash not in text
    for link in WriterLink.objects.all():
        assert link.token_hash not in text


def test_create_revoke_and_deliver_through_the_api(alice: User) -> None:
    r = make_request(alice, status="agreed")
    client = client_for(alice)
    created = client.post(
        reverse("api:writers_link_create", kwargs={"public_id": r.public_id}),
        data=json.dumps({"send_email": True}),
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created.json()["emailed_to"] == "dana@example.edu"
    assert created.json()["url"] in mail.outbox[0].body
    link = WriterLink.objects.get()
    revoked = client.post(reverse("api:writers_link_revoke", kwargs={"public_id": link.public_id}))
    assert revoked.json()["status"] == "revoked"

    url = reverse("api:writers_deliver", kwargs={"public_id": r.public_id})
    payload = json.dumps({"name": "Committee", "email": "c@example.edu"})
    early = client.post(url, data=payload, content_type="application/json")
    assert early.status_code == 422 and "No letter has arrived" in early.json()["detail"]
    upload(r)
    headers = {"HTTP_IDEMPOTENCY_KEY": "key-1"}
    first = client.post(url, data=payload, content_type="application/json", **headers)
    again = client.post(url, data=payload, content_type="application/json", **headers)
    assert first.status_code == 201 and again.status_code == 422
    assert Delivery.objects.count() == 1


def test_bad_delivery_input_is_a_422_and_changes_nothing(alice: User) -> None:
    r = make_request(alice, status="agreed")
    upload(r)
    url = reverse("api:writers_deliver", kwargs={"public_id": r.public_id})
    for payload in (
        {"name": "X", "email": "nope"},
        {"name": "", "email": "a@example.edu"},
        {"name": "X", "email": "a@example.edu", "max_downloads": 99},
        {"name": "X", "email": "alice@example.org"},
        {"email": "a@example.edu"},
    ):
        response = client_for(alice).post(
            url, data=json.dumps(payload), content_type="application/json"
        )
        assert response.status_code == 422, payload
    assert not Delivery.objects.exists()


def test_another_users_objects_are_404(alice: User, bob: User) -> None:
    r = make_request(alice, status="agreed")
    response = client_for(bob).get(
        reverse("api:writers_request", kwargs={"public_id": r.public_id})
    )
    assert response.status_code == 404
    assert client_for(bob).get(reverse("api:writers_requests")).json() == []
