"""Confidentiality: walk every route of every app as the applicant and as a stranger, with
a waived letter in the vault, and never receive the letter's bytes.

The route list comes from the resolver (``tests.isolation.all_route_names``) and the
registrations every app makes for the isolation walker, so a route added later is walked
too. The letter carries a marker phrase in its uncompressed text; a response leaks it if
it contains that phrase, the letter's bytes in base64, or a zip member that does.
"""

from __future__ import annotations

import base64
import io
import zipfile
from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from preceptor.accounts.models import User
from preceptor.writers import services
from tests.conftest import client_for, make_user
from tests.isolation import PUBLIC, Route, all_route_names, load_all
from tests.writers.factories import letter_pdf, make_request, token_of, upload

ROUTES = load_all()
SECRET = "Waived-Secret-9K3M"


def needles(data: bytes) -> list[bytes]:
    start = data.index(SECRET.encode()) // 3 * 3
    return [SECRET.encode(), base64.b64encode(data[start : start + 45])]


def body_of(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def assert_no_letter(response: Any, data: bytes, where: str) -> None:
    body = body_of(response)
    parts = [body]
    if body.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            parts += [z.read(name) for name in z.namelist()]
    for part in parts:
        for needle in needles(data):
            assert needle not in part, f"{where} returned the waived letter"


def call(client: Client, method: str, url: str, data: dict[str, Any], api: bool) -> Any:
    send = getattr(client, method.lower())
    if api and method != "GET":
        return send(url, data=data, content_type="application/json")
    return send(url, data=data)


def waived_letter(alice: User) -> tuple[Any, bytes, str]:
    r = make_request(alice, status="agreed", waived=True)
    data = letter_pdf(pages=2, marker=SECRET)
    upload(r, data)
    services.deliver(r, name="Committee", email="committee@example.edu", require_nonce=False)
    return r, data, token_of(services.issue_link(r))


@pytest.mark.parametrize("r", list(ROUTES.values()), ids=lambda r: f"{r.method} {r.name}")
def test_no_route_gives_a_waived_letter_to_the_applicant_or_a_stranger(r: Route, db: None) -> None:
    alice = make_user("alice@example.org", "Alice Owner")
    charlie = make_user("charlie@example.org", "Charlie Stranger")
    _, data, _ = waived_letter(alice)
    kwargs, _ = r.setup(alice)
    url = reverse(r.name, kwargs=kwargs)
    for user in (charlie, alice):
        client = client_for(User.objects.get(pk=user.pk))
        response = call(client, r.method, url, r.data, r.api)
        assert_no_letter(response, data, f"{r.method} {url} as {user.email}")
        # GET as well, for routes registered with another method.
        assert_no_letter(client.get(url), data, f"GET {url} as {user.email}")


def test_public_routes_give_nothing_either(db: None) -> None:
    alice = make_user("alice@example.org", "Alice Owner")
    _r, data, writer_token = waived_letter(alice)
    walked, skipped = [], []
    for name in sorted(PUBLIC & all_route_names()):
        kwargs = {"token": writer_token} if name.startswith("writers:writer") else {}
        try:
            url = reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            skipped.append(name)  # needs a token of another kind (password reset, feeds)
            continue
        for client in (client_for(alice), Client()):
            assert_no_letter(client.get(url), data, f"GET {url}")
            assert_no_letter(client.post(url, {"nonce": "x"}), data, f"POST {url}")
        walked.append(name)
    # The applicant holds the writer link (they sent it): it must not open the letter.
    assert {"writers:writer", "writers:writer_packet", "writers:writer_upload"} <= set(walked)
    assert "writers:recipient" in skipped  # only the recipient's emailed token opens that


def test_recipient_tokens_never_appear_in_the_applicant_pages(db: None) -> None:
    from django.core import mail

    alice = make_user("alice@example.org", "Alice Owner")
    r, _, _ = waived_letter(alice)
    client = client_for(alice)
    pages = [
        client.get(reverse("writers:overview")),
        client.get(reverse("writers:request", kwargs={"public_id": r.public_id})),
        client.get(reverse("api:writers_request", kwargs={"public_id": r.public_id})),
        client.get(reverse("api:writers_requests")),
    ]
    hashes = [d.token_hash for d in r.vault_letters.get().deliveries.all()]
    for response in pages:
        assert response.status_code == 200
        for h in hashes:
            assert h not in response.content.decode()
    for message in mail.outbox:
        assert "alice@example.org" not in message.to or "/d/" not in message.body
