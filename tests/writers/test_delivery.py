"""Delivery: each recipient gets their own expiring, download-limited link; all of it audited."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from preceptor.accounts.models import User
from preceptor.writers import services
from preceptor.writers.models import AuditEvent, Delivery
from tests.conftest import client_for
from tests.writers.factories import (
    LETTER_MARKER,
    letter_pdf,
    links_in,
    make_request,
    token_of,
    upload,
)

INVALID = "This link does not work"

# Real commits: emails and signals are sent after commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


def deliver_page(client: Client, r: Any, **data: Any) -> Any:
    page = client.get(reverse("writers:request", kwargs={"public_id": r.public_id}))
    nonce = re.findall(r'name="nonce" value="([^"]+)"', page.content.decode())[-1]
    form = {"max_downloads": 3, "valid_days": 30, "nonce": nonce, **data}
    url = reverse("writers:deliver", kwargs={"public_id": r.public_id})
    return client.post(url, form), form


def recipient_token(to: str) -> str:
    (message,) = [m for m in mail.outbox if m.to == [to]]
    (url,) = links_in(message, "d")
    return token_of(url)


def test_the_applicant_delivers_and_the_recipient_downloads(alice: User) -> None:
    r = make_request(alice, status="agreed")
    data = letter_pdf(pages=2)
    upload(r, data)
    mail.outbox.clear()
    response, _ = deliver_page(
        client_for(alice), r, name="Fellowship committee", email="Committee@Example.edu"
    )
    assert response.status_code == 302
    (message,) = [
        m for m in mail.outbox if m.to != ["dana@example.edu"]
    ]  # the writer's report aside
    assert message.to == ["committee@example.edu"]
    assert "Alice Owner" in message.subject and not message.attachments
    assert LETTER_MARKER not in message.body
    token = recipient_token("committee@example.edu")

    recipient = Client()
    landing = recipient.get(reverse("writers:recipient", kwargs={"token": token}))
    assert landing.status_code == 200
    assert "Dr. Dana Writer" in landing.content.decode()
    assert Delivery.objects.get().downloads == 0  # opening the page is not a download
    download = recipient.post(reverse("writers:recipient_download", kwargs={"token": token}))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert download.content == data

    kinds = list(AuditEvent.objects.filter(request=r).values_list("kind", flat=True))
    assert "delivered" in kinds and "downloaded" in kinds
    page = client_for(alice).get(reverse("writers:request", kwargs={"public_id": r.public_id}))
    body = page.content.decode()
    assert "Letter delivered to Fellowship committee" in body
    assert "Letter downloaded by Fellowship committee" in body
    assert "downloaded 1 of 3 times" in body
    assert LETTER_MARKER not in body and token not in body


def test_a_download_link_is_used_up_after_its_limit(alice: User) -> None:
    r = make_request(alice, status="agreed")
    upload(r)
    services.deliver(r, name="Program", email="p@example.edu", max_downloads=1, nonce="a")
    url = reverse("writers:recipient_download", kwargs={"token": recipient_token("p@example.edu")})
    assert Client().post(url).status_code == 200
    again = Client().post(url)
    assert again.status_code == 404 and INVALID in again.content.decode()
    assert LETTER_MARKER.encode() not in again.content
    assert Delivery.objects.get().downloads == 1


def test_a_get_never_counts_as_a_download(alice: User) -> None:
    r = make_request(alice, status="agreed")
    upload(r)
    services.deliver(r, name="Program", email="p@example.edu", nonce="a")
    token = recipient_token("p@example.edu")
    url = reverse("writers:recipient_download", kwargs={"token": token})
    assert Client().get(url).status_code == 405
    assert Delivery.objects.get().downloads == 0


def test_an_expired_delivery_link_reveals_nothing(alice: User) -> None:
    r = make_request(alice, status="agreed")
    upload(r)
    services.deliver(r, name="Program", email="p@example.edu", valid_days=2, nonce="a")
    token = recipient_token("p@example.edu")
    with time_machine.travel(timezone.now() + dt.timedelta(days=2, minutes=1)):
        page = Client().get(reverse("writers:recipient", kwargs={"token": token}))
        download = Client().post(reverse("writers:recipient_download", kwargs={"token": token}))
    assert page.status_code == 404 and download.status_code == 404
    assert "Alice" not in page.content.decode()
    assert Delivery.objects.get().downloads == 0


def test_a_revoked_delivery_link_stops_working(alice: User) -> None:
    r = make_request(alice, status="agreed")
    upload(r)
    delivery = services.deliver(r, name="Program", email="p@example.edu", nonce="a")
    token = recipient_token("p@example.edu")
    response = client_for(alice).post(
        reverse("writers:delivery_revoke", kwargs={"public_id": delivery.public_id})
    )
    assert response.status_code == 302
    download = Client().post(reverse("writers:recipient_download", kwargs={"token": token}))
    assert download.status_code == 404
    assert AuditEvent.objects.filter(kind="delivery_revoked").count() == 1


def test_the_applicant_cannot_deliver_to_themselves(alice: User) -> None:
    r = make_request(alice, status="agreed")
    upload(r)
    mail.outbox.clear()
    response, _ = deliver_page(client_for(alice), r, name="Me", email="ALICE@example.org")
    assert response.status_code == 400
    assert "your own address" in response.content.decode()
    assert not Delivery.objects.exists() and not mail.outbox


def test_a_replayed_delivery_form_delivers_once(alice: User) -> None:
    r = make_request(alice, status="agreed")
    upload(r)
    client = client_for(alice)
    first, form = deliver_page(client, r, name="Program", email="p@example.edu")
    again = client.post(reverse("writers:deliver", kwargs={"public_id": r.public_id}), form)
    assert first.status_code == 302 and again.status_code == 400
    assert "already sent" in again.content.decode()
    assert Delivery.objects.count() == 1


def test_nothing_to_deliver_before_a_letter_arrives(alice: User) -> None:
    r = make_request(alice, status="agreed")
    response, _ = deliver_page(client_for(alice), r, name="Program", email="p@example.edu")
    assert response.status_code == 400
    assert "No letter has arrived yet" in response.content.decode()
    assert not Delivery.objects.exists()


def test_bad_recipient_details_are_refused(alice: User) -> None:
    r = make_request(alice, status="agreed")
    upload(r)
    client = client_for(alice)
    for data in (
        {"name": "", "email": "p@example.edu"},
        {"name": "Program", "email": "not-an-email"},
        {"name": "Program", "email": "p@example.edu", "max_downloads": 0},
        {"name": "Program", "email": "p@example.edu", "valid_days": 365},
    ):
        response, _ = deliver_page(client, r, **data)
        assert response.status_code == 400, data
    assert not Delivery.objects.exists()


def test_two_recipients_get_two_different_links(alice: User) -> None:
    r = make_request(alice, status="agreed")
    upload(r)
    services.deliver(r, name="A", email="a@example.edu", nonce="1")
    services.deliver(r, name="B", email="b@example.edu", nonce="2")
    a, b = recipient_token("a@example.edu"), recipient_token("b@example.edu")
    assert a != b
    Client().post(reverse("writers:recipient_download", kwargs={"token": a}))
    counts = dict(Delivery.objects.values_list("recipient_email", "downloads"))
    assert counts == {"a@example.edu": 1, "b@example.edu": 0}
