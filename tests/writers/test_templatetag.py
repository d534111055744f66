"""The card other apps include on a request page: status only, never content."""

from __future__ import annotations

from django.template import Context, Template

from preceptor.accounts.models import User
from preceptor.writers import services
from tests.writers.factories import LETTER_MARKER, make_request, upload


def test_the_card_shows_link_and_letter_status(alice: User) -> None:
    r = make_request(alice, status="agreed")
    services.issue_link(r)
    upload(r)
    html = Template("{% load writers %}{% writer_panel r %}").render(Context({"r": r}))
    assert "2 active links" in html  # the one issued here and the one used to upload
    assert "received" in html and "version 1, 1 page" in html
    assert f"/vault/requests/{r.public_id}/" in html
    assert LETTER_MARKER not in html


def test_without_a_link_it_invites_to_send_one(alice: User) -> None:
    r = make_request(alice, vault=False)
    html = Template("{% load writers %}{% writer_panel r %}").render(Context({"r": r}))
    assert "No active link." in html and "Send the writer their link" in html
    assert "in the vault" not in html and "deliveries" not in html
