"""The OpenAPI document: each schema under one name of its own, every error status documented."""

from __future__ import annotations

import json
from typing import Any

import pytest
from ninja.openapi.schema import OpenAPISchema

import preceptor.api.urls  # noqa: F401  (mounts every router)
from preceptor.api.base import ERRORS, api

METHODS = {"get", "post", "put", "patch", "delete"}


def _document() -> dict[str, Any]:
    # As served: JSON, where status codes are strings.
    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1")))


def _operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, op)
        for path, ops in doc["paths"].items()
        for method, op in ops.items()
        if method in METHODS
    ]


def _ref(response: dict[str, Any]) -> str:
    schema = response["content"]["application/json"]["schema"]
    return str((schema.get("items") or schema)["$ref"]).rsplit("/", 1)[1]


def test_no_two_different_schemas_share_a_name(monkeypatch: pytest.MonkeyPatch) -> None:
    # ninja merges each model's definitions into one dict by name; a second, different
    # schema of the same name would silently replace the first.
    seen: dict[str, str] = {}
    clashes: list[str] = []
    merge = OpenAPISchema.add_schema_definitions

    def add(self: OpenAPISchema, definitions: dict[str, Any]) -> None:
        for name, definition in definitions.items():
            text = json.dumps(definition, sort_keys=True)
            if seen.setdefault(name, text) != text:
                clashes.append(name)
        merge(self, definitions)

    monkeypatch.setattr(OpenAPISchema, "add_schema_definitions", add)
    _document()
    assert seen and not clashes, sorted(set(clashes))


@pytest.mark.parametrize(
    ("path", "name", "field"),
    [
        ("/api/v1/letters/requests", "LetterRequestOut", "mentor_id"),
        ("/api/v1/letters/applications/{app_id}/requests", "LetterRequestOut", "mentor_id"),
        ("/api/v1/letters/requests/{req_id}", "LetterRequestDetailOut", "steps"),
        ("/api/v1/writers/requests", "VaultRequestOut", "links"),
        ("/api/v1/writers/requests/{public_id}", "VaultRequestOut", "links"),
        ("/api/v1/notify/events", "FeedEventOut", "uid"),
    ],
)
def test_each_list_documents_its_own_shape(path: str, name: str, field: str) -> None:
    doc = _document()
    assert _ref(doc["paths"][path]["get"]["responses"]["200"]) == name
    assert field in doc["components"]["schemas"][name]["properties"]


def test_every_operation_documents_its_errors_with_one_error_schema() -> None:
    doc = _document()
    operations = _operations(doc)
    assert len(operations) == 40
    for method, path, op in operations:
        codes = {int(code) for code in op["responses"]}
        errors = {code for code in codes if code >= 400}
        where = f"{method.upper()} {path}"
        assert 401 in errors, where
        if method != "get":
            assert {400, 403} <= errors, where
        if "{" in path:
            assert {404, 422} <= errors, where
        if op.get("requestBody") or op.get("parameters"):
            assert 422 in errors, where
        for code in errors:
            assert _ref(op["responses"][str(code)]) == "ErrorOut", (where, code)
            assert op["responses"][str(code)]["description"] == ERRORS[code]


def test_input_rules_are_in_the_document() -> None:
    schemas = _document()["components"]["schemas"]
    cycle = schemas["ApplicationIn"]["properties"]["cycle"]
    assert (cycle["minimum"], cycle["maximum"]) == (2000, 2100)
    assert schemas["MentorIn"]["properties"]["full_name"]["maxLength"] == 200
    stage = schemas["ProfilePatch"]["properties"]["stage"]
    assert "null" not in json.dumps(stage) and "medical_student" in stage["enum"]
