"""Schemathesis against the whole API, in-process, as a logged-in user with a CSRF token.

The served OpenAPI document is loaded from the WSGI app and every operation gets a fixed,
derandomized budget of 50 generated cases (valid and invalid), plus schemathesis's
coverage cases (boundaries, wrong types, other methods). Every response must not be a 5xx,
must have a documented status and content type, and must match its documented schema; a
request that breaks the schema must be refused. Half the cases aim at the user's real
objects, so the operations' insides run too, not only their 404s.
"""

from __future__ import annotations

import secrets
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from cryptography.fernet import Fernet
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from preceptor.accounts.models import User
from preceptor.wsgi import application
from tests.conftest import client_for

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
# The session cookie is sent by the test, so the generator leaves the auth scheme alone.
schema.config.generation.update(max_examples=50, deterministic=True, with_security_parameters=False)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@dataclass
class Session:
    cookies: dict[str, str]
    headers: dict[str, str]
    ids: dict[str, str]  # a path parameter (or a path part) -> one of the user's own ids


@pytest.fixture
def in_test_transaction() -> Iterator[None]:
    """Keep the database connection open across the WSGI app's requests, as Django's test
    client does: the handler closes it after each one, which on PostgreSQL ends the
    test's transaction (and loses its data)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def session(alice: User, settings: Any, tmp_path: Path, in_test_transaction: None) -> Session:
    """Alice logged in, with a mentor, an application, a request with a letter in the
    vault, a writer link, a delivery and a notification."""
    settings.WRITERS_VAULT_DIR = str(tmp_path / "vault")
    settings.WRITERS_FILE_KEYS = [Fernet.generate_key().decode()]
    from preceptor.notify import services as notify
    from preceptor.writers import services as writers
    from tests.writers.factories import link_for, make_request, upload

    r = make_request(alice, status="agreed")
    _, link = link_for(r)
    upload(r)
    delivery = writers.deliver(
        r, name="Admissions", email="admissions@example.edu", require_nonce=False
    )
    note = notify.notify(alice.pk, "info", "Hello")
    token = secrets.token_hex(16)  # any 32 characters do as a CSRF secret
    return Session(
        cookies={"sessionid": client_for(alice).cookies["sessionid"].value, "csrftoken": token},
        headers={"X-CSRFToken": token},
        ids={
            "mentor_id": str(r.mentor.public_id),
            "app_id": str(r.application.public_id),
            "req_id": str(r.public_id),
            "notification_id": str(note.public_id),
            "/writers/requests/": str(r.public_id),
            "/writers/links/": str(link.public_id),
            "/writers/deliveries/": str(delivery.public_id),
        },
    )


def _aim_at_real_objects(case: Any, ids: dict[str, str]) -> None:
    # A stable choice (crc32, not hash()) keeps the run the same from one process to the next.
    if zlib.crc32(repr((case.body, case.query)).encode()) % 2:
        return
    for name in list(case.path_parameters or {}):
        key = name if name in ids else next((k for k in ids if k in case.path), None)
        if key is not None:
            case.path_parameters[name] = ids[key]


@pytest.mark.django_db
@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_answers_every_request_as_documented(case: Any, session: Session) -> None:
    _aim_at_real_objects(case, session.ids)
    case.call_and_validate(cookies=session.cookies, headers=session.headers, checks=CHECKS)
