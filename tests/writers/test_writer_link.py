"""The writer's link: what it opens, what it lets them do, and what it refuses."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from preceptor.accounts.models import User
from preceptor.letters.models import RequestTransition
from preceptor.writers import services, tokens
from preceptor.writers.models import AuditEvent, WriterLink
from tests.writers.factories import make_mentor, make_request, token_of

INVALID = "This link does not work"

# Real commits: emails and signals are sent after commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


def nonce_from(response: Any) -> str:
    found = re.search(r'name="nonce" value="([^"]+)"', response.content.decode())
    assert found, "the form carries a one-time value"
    return found.group(1)


def answer(client: Client, token: str, value: str, note: str = "") -> Any:
    page = client.get(reverse("writers:writer", kwargs={"token": token}))
    data = {"answer": value, "note": note, "nonce": nonce_from(page)}
    return client.post(reverse("writers:writer_answer", kwargs={"token": token}), data), data


def test_issue_link_stores_only_a_hash_and_returns_an_absolute_url(alice: User) -> None:
    r = make_request(alice)
    url = services.issue_link(r)
    token = token_of(url)
    assert url == f"http://testserver/writer/{token}/"
    link = WriterLink.objects.get()
    assert link.token_hash == tokens.hash_token(token)
    stored = " ".join(str(getattr(link, f.attname)) for f in WriterLink._meta.concrete_fields)
    assert token not in stored


def test_the_link_expires_30_days_after_the_personal_deadline(alice: User) -> None:
    r = make_request(alice, days=60)
    services.issue_link(r)
    link = WriterLink.objects.get()
    local = link.expires_at.astimezone(zoneinfo.ZoneInfo("America/New_York"))
    assert local.date() == r.personal_deadline + dt.timedelta(days=30)
    assert (local.hour, local.minute) == (23, 59)


def test_the_writer_sees_the_request_without_an_account(alice: User) -> None:
    r = make_request(alice)
    token = token_of(services.issue_link(r))
    response = Client().get(reverse("writers:writer", kwargs={"token": token}))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Alice Owner" in body and "Research fellowship" in body
    assert r.personal_deadline.strftime("%B") in body
    assert "Upload the letter through your link" in body
    assert "Clinical reasoning" in body
    # The last day the link works, as the applicant sees it (their time zone, not UTC).
    last_day = r.personal_deadline + dt.timedelta(days=30)
    assert f"It works until {last_day:%B} {last_day.day}, {last_day.year}." in body
    assert response["Cache-Control"] == "no-store, private"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_writer_agrees_and_the_applicant_is_told(alice: User) -> None:
    r = make_request(alice, status="asked")
    token = token_of(services.issue_link(r))
    client = Client()
    response, _ = answer(client, token, "agreed", "Happy to help.")
    assert response.status_code == 302
    r.refresh_from_db()
    assert r.status == "agreed" and r.answer_note == "Happy to help."
    last = RequestTransition.objects.filter(request=r).last()
    assert last is not None and (last.to_status, last.actor) == ("agreed", "writer")
    assert [m.to for m in mail.outbox] == [["alice@example.org"]]
    assert "said yes" in mail.outbox[0].subject
    assert AuditEvent.objects.filter(request=r, kind="answered").count() == 1


def test_a_link_sent_before_the_ask_was_recorded_counts_as_the_ask(alice: User) -> None:
    r = make_request(alice, status="planned")
    token = token_of(services.issue_link(r))
    answer(Client(), token, "declined")
    r.refresh_from_db()
    assert r.status == "declined"
    assert list(r.transitions.values_list("to_status", "actor"))[-2:] == [
        ("asked", "applicant"),
        ("declined", "writer"),
    ]


def test_a_replayed_answer_changes_nothing(alice: User) -> None:
    r = make_request(alice, status="asked")
    token = token_of(services.issue_link(r))
    client = Client()
    _, data = answer(client, token, "agreed")
    transitions = r.transitions.count()
    response = client.post(reverse("writers:writer_answer", kwargs={"token": token}), data)
    assert response.status_code == 400
    assert "already recorded" in response.content.decode()
    assert r.transitions.count() == transitions
    assert len(mail.outbox) == 1


def test_a_form_sent_twice_before_the_first_finished_is_refused(alice: User) -> None:
    r = make_request(alice, status="asked")
    services.issue_link(r)
    link = WriterLink.objects.get()
    services.claim_nonce("same-nonce-value")
    with pytest.raises(services.WriterError, match="already sent"):
        services.writer_answer(link, "agreed", nonce="same-nonce-value")
    r.refresh_from_db()
    assert r.status == "asked"


def test_a_bad_answer_gets_a_message_and_changes_nothing(alice: User) -> None:
    r = make_request(alice, status="asked")
    token = token_of(services.issue_link(r))
    response, _ = answer(Client(), token, "maybe")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    r.refresh_from_db()
    assert r.status == "asked"


def test_marking_submitted_outside_the_vault(alice: User) -> None:
    r = make_request(alice, vault=False, status="agreed")
    token = token_of(services.issue_link(r))
    client = Client()
    page = client.get(reverse("writers:writer", kwargs={"token": token}))
    assert "I have submitted the letter" in page.content.decode()
    url = reverse("writers:writer_submitted", kwargs={"token": token})
    response = client.post(url, {"nonce": nonce_from(page)})
    assert response.status_code == 302
    r.refresh_from_db()
    assert (r.status, r.submitted_confirmed_by) == ("submitted", "writer")
    assert "has submitted your letter" in mail.outbox[-1].subject


def test_an_illegal_move_shows_the_life_cycle_message_and_changes_nothing(alice: User) -> None:
    r = make_request(alice, vault=False, status="declined")
    token = token_of(services.issue_link(r))
    url = reverse("writers:writer_submitted", kwargs={"token": token})
    response = Client().post(url, {"nonce": "n-1"})
    assert response.status_code == 400
    assert "declined" in response.content.decode()
    r.refresh_from_db()
    assert r.status == "declined"
    assert not mail.outbox


def test_the_vault_asks_for_an_upload_instead_of_a_click(alice: User) -> None:
    r = make_request(alice, vault=True, status="agreed")
    services.issue_link(r)
    link = WriterLink.objects.get()
    with pytest.raises(services.WriterError, match="upload the letter"):
        services.writer_mark_submitted(link, nonce="n-2")


@pytest.mark.parametrize("token", ["x" * 43, "short", "a" * 200, "%2e%2e", "-" * 43])
def test_unknown_tokens_get_the_same_friendly_page(db: None, token: str) -> None:
    response = Client().get(f"/writer/{token}/")
    assert response.status_code == 404
    assert INVALID in response.content.decode()


def test_an_expired_link_reveals_nothing(alice: User) -> None:
    r = make_request(alice)
    token = token_of(services.issue_link(r))
    link = WriterLink.objects.get()
    with time_machine.travel(link.expires_at + dt.timedelta(seconds=1)):
        response = Client().get(reverse("writers:writer", kwargs={"token": token}))
        posted = Client().post(
            reverse("writers:writer_answer", kwargs={"token": token}),
            {"answer": "agreed", "nonce": "n"},
        )
    assert response.status_code == 404 and posted.status_code == 404
    body = response.content.decode()
    assert INVALID in body and "Alice" not in body and "expired" not in body.split("<main")[0]
    r.refresh_from_db()
    assert r.status == "asked"


def test_a_revoked_link_stops_working_at_once(alice: User) -> None:
    r = make_request(alice)
    token = token_of(services.issue_link(r))
    client = Client()
    assert client.get(reverse("writers:writer", kwargs={"token": token})).status_code == 200
    assert services.revoke_link(WriterLink.objects.get())
    assert not services.revoke_link(WriterLink.objects.get())  # twice: nothing more
    response = client.get(reverse("writers:writer", kwargs={"token": token}))
    assert response.status_code == 404 and "Alice" not in response.content.decode()


def test_a_link_acts_only_on_its_own_request(alice: User, bob: User) -> None:
    mine = make_request(alice)
    other = make_request(alice, mentor=make_mentor(alice, "Dr. Other Person", "o@example.edu"))
    bobs = make_request(bob)
    token = token_of(services.issue_link(mine))
    page = Client().get(reverse("writers:writer", kwargs={"token": token})).content.decode()
    # "Bob Second", not "Bob": a random token in the page once held "Bob".
    assert "Dr. Other Person" not in page and "Bob Second" not in page
    answer(Client(), token, "agreed")
    for r, status in ((mine, "agreed"), (other, "asked"), (bobs, "asked")):
        r.refresh_from_db()
        assert r.status == status


def test_bad_tokens_from_one_address_are_rate_limited(alice: User, settings: Any) -> None:
    settings.RATE_LIMITS = {"ip_bad": (3, 3600)}
    token = token_of(services.issue_link(make_request(alice)))
    client = Client()
    for _ in range(3):
        assert client.get("/writer/" + "z" * 43 + "/").status_code == 404
    # Now even a good token from that address waits: guessing is over for an hour.
    response = client.get(reverse("writers:writer", kwargs={"token": token}))
    assert response.status_code == 429
    assert "Please wait" in response.content.decode() and "Alice" not in response.content.decode()
    other = Client(REMOTE_ADDR="10.1.2.3")
    assert other.get(reverse("writers:writer", kwargs={"token": token})).status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1, minutes=1)):
        assert client.get(reverse("writers:writer", kwargs={"token": token})).status_code == 200


def test_one_token_is_rate_limited_from_any_address(alice: User, settings: Any) -> None:
    settings.RATE_LIMITS = {"token": (2, 3600)}
    token = token_of(services.issue_link(make_request(alice)))
    url = reverse("writers:writer", kwargs={"token": token})
    assert Client(REMOTE_ADDR="10.0.0.1").get(url).status_code == 200
    assert Client(REMOTE_ADDR="10.0.0.2").get(url).status_code == 200
    assert Client(REMOTE_ADDR="10.0.0.3").get(url).status_code == 429


def test_the_packet_downloads_through_the_link(alice: User) -> None:
    token = token_of(services.issue_link(make_request(alice)))
    response = Client().get(reverse("writers:writer_packet", kwargs={"token": token}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_issue_link_can_email_the_writer(alice: User) -> None:
    r = make_request(alice)
    url = services.issue_link(r, send_email=True)
    assert len(mail.outbox) == 1
    msg = mail.outbox[0]
    assert msg.to == ["dana@example.edu"]
    assert url in msg.body and "Alice Owner" in msg.subject
    link = WriterLink.objects.get()
    assert link.sent_to == "dana@example.edu" and link.sent_at is not None


def test_issue_link_by_email_needs_an_address(alice: User) -> None:
    r = make_request(alice, mentor=make_mentor(alice, "Dr. No Mail", ""))
    with pytest.raises(services.WriterError, match="no valid email"):
        services.issue_link(r, send_email=True)
    assert not WriterLink.objects.exists() and not mail.outbox
