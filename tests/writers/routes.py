"""The writers app's routes for the isolation walker (tests/test_isolation.py).

The token routes are public: the writer and the recipient have no account. Their own
tests (test_writer_link, test_vault, test_delivery, test_confidentiality) cover them.
"""

from __future__ import annotations

import tempfile
from typing import Any

from cryptography.fernet import Fernet
from django.conf import settings

from preceptor.accounts.models import User
from tests.isolation import public, route

public(
    "writers:writer",
    "writers:writer_answer",
    "writers:writer_submitted",
    "writers:writer_upload",
    "writers:writer_packet",
    "writers:recipient",
    "writers:recipient_download",
)


def _test_vault() -> None:
    # The isolation walker has no writers fixtures: give this test process a throwaway
    # vault directory and key (test-only values; the writers tests set their own).
    if not getattr(settings, "WRITERS_FILE_KEYS", None):
        settings.WRITERS_FILE_KEYS = [Fernet.generate_key().decode()]
        settings.WRITERS_VAULT_DIR = tempfile.mkdtemp(prefix="writers-vault-")


def _request(user: User, **options: Any) -> Any:
    from tests.writers.factories import make_request

    _test_vault()
    return make_request(user, **options)


def _markers(r: Any) -> list[str]:
    from tests.writers.factories import LETTER_MARKER

    return [r.mentor.full_name, r.mentor.email, LETTER_MARKER]


def request_setup(user: User) -> tuple[dict[str, Any], list[str]]:
    r = _request(user, status="agreed")
    return {"public_id": r.public_id}, _markers(r)


def with_letter(user: User, *, waived: bool = True) -> Any:
    from tests.writers.factories import upload

    r = _request(user, status="agreed", waived=waived)
    return r, upload(r)


def request_with_letter(user: User) -> tuple[dict[str, Any], list[str]]:
    r, _ = with_letter(user)
    return {"public_id": r.public_id}, _markers(r)


def link_setup(user: User) -> tuple[dict[str, Any], list[str]]:
    from preceptor.writers import services

    r = _request(user)
    services.issue_link(r)
    return {"public_id": r.writer_links.get().public_id}, _markers(r)


def delivery_setup(user: User) -> tuple[dict[str, Any], list[str]]:
    from preceptor.writers import services

    r, _ = with_letter(user)
    d = services.deliver(
        r, name="Iso Committee", email="iso@example.edu", nonce=None, require_nonce=False
    )
    return {"public_id": d.public_id}, [*_markers(r), "iso@example.edu"]


def own_letter_setup(user: User) -> tuple[dict[str, Any], list[str]]:
    r, letter = with_letter(user, waived=False)
    return {"public_id": letter.public_id}, [r.mentor.full_name]


def list_setup(user: User) -> tuple[dict[str, Any], list[str]]:
    r, _ = with_letter(user)
    return {}, _markers(r)


DELIVERY = {
    "name": "Iso Program",
    "email": "program@example.edu",
    "max_downloads": 2,
    "valid_days": 10,
}

route("writers:overview", list_setup)
route("writers:request", request_with_letter)
route(
    "writers:link_create",
    request_setup,
    method="POST",
    data={"action": "copy", "nonce": "iso-link"},
    owner_status=302,
)
route(
    "writers:deliver",
    request_with_letter,
    method="POST",
    data={**DELIVERY, "nonce": "iso-deliver"},
    owner_status=302,
)
route("writers:link_revoke", link_setup, method="POST", owner_status=302)
route("writers:delivery_revoke", delivery_setup, method="POST", owner_status=302)
route("writers:letter_copy", own_letter_setup)

route("api:writers_requests", list_setup, api=True)
route("api:writers_request", request_with_letter, api=True)
route(
    "api:writers_link_create",
    request_setup,
    api=True,
    method="POST",
    data={"send_email": False},
    owner_status=201,
)
route("api:writers_link_revoke", link_setup, api=True, method="POST")
route(
    "api:writers_deliver",
    request_with_letter,
    api=True,
    method="POST",
    data=DELIVERY,
    owner_status=201,
)
route("api:writers_delivery_revoke", delivery_setup, api=True, method="POST")
