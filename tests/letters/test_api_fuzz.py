"""Schemathesis fuzzes every letters API operation: bad input gets a 4xx, never a 500."""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from preceptor.api.base import api
from preceptor.letters.models import Application, LetterRequest
from tests.conftest import client_for
from tests.letters.factories import make_request

pytestmark = pytest.mark.django_db

import preceptor.api.urls  # noqa: E402,F401  (mounts every router)

SCHEMA = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1")).include(
    path_regex="^/api/v1/letters/"
)
OPERATIONS = {
    f"{op.method.upper()} {op.path}": op
    for op in (result.ok() for result in SCHEMA.get_all_operations())
}


def _own_objects(user: Any) -> LetterRequest:
    r = LetterRequest.objects.filter(application__user=user).first()
    return r or make_request(user, "asked")


def test_every_letters_operation_is_fuzzed() -> None:
    assert len(OPERATIONS) == 12, sorted(OPERATIONS)


@pytest.mark.parametrize("name", sorted(OPERATIONS))
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
@given(data=st.data())
def test_no_server_errors(name: str, data: Any, alice: Any) -> None:
    case = data.draw(OPERATIONS[name].as_strategy())
    r = _own_objects(alice)
    # Aim half the calls at real objects, so the operations' insides are exercised too.
    if "app_id" in case.path_parameters and hash(str(case.body)) % 2 == 0:
        case.path_parameters["app_id"] = str(r.application.public_id)
    if "req_id" in case.path_parameters and hash(str(case.body)) % 2 == 0:
        case.path_parameters["req_id"] = str(r.public_id)
    kwargs = case.as_transport_kwargs(base_url="http://testserver")
    client = client_for(alice)
    method = getattr(client, kwargs["method"].lower())
    url = kwargs["url"].replace("http://testserver", "")
    body = kwargs.get("json")
    if body is not None:
        response = method(
            url,
            data=json.dumps(body),
            content_type="application/json",
            QUERY_STRING=_query(kwargs.get("params")),
        )
    else:
        response = method(url, QUERY_STRING=_query(kwargs.get("params")))
    assert response.status_code < 500, (case.method, url, body, response.content[:300])
    if response.status_code >= 400:
        assert "detail" in response.json()
    assert Application.objects.filter(user=alice).count() >= 0


def _query(params: Any) -> str:
    from urllib.parse import urlencode

    return urlencode(params or {}, doseq=True)
