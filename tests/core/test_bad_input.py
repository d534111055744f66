"""No route answers bad input with a 500: unknown paths 404, wrong methods 405."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.parametrize(
    "path",
    [
        "/nope/",
        "/account/password/reset/%00/%ff/",
        "/account/password/reset/not-base64/x/",
        "/api/v1/nope",
        "/api/v1/",
        "/dashboard/../../etc/passwd",
    ],
)
def test_unknown_paths_are_404(alice_client: Client, path: str) -> None:
    response = alice_client.get(path, follow=True)
    assert response.status_code in (200, 404)
    assert response.status_code == 404 or "This link no longer works" in response.content.decode()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("put", "/dashboard/"),
        ("delete", "/account/profile/"),
        ("get", "/account/logout/"),
        ("post", "/healthz"),
        ("delete", "/api/v1/account/me"),
    ],
)
def test_wrong_methods_are_405(alice_client: Client, method: str, path: str) -> None:
    assert getattr(alice_client, method)(path).status_code == 405


def test_api_rejects_malformed_json(alice_client: Client) -> None:
    response = alice_client.patch(
        "/api/v1/account/me", "{not json", content_type="application/json"
    )
    assert response.status_code in (400, 422)


def test_api_answers_anonymous_with_401_json(db: None) -> None:
    response = Client().get("/api/v1/account/me")
    assert response.status_code == 401
    assert response.json() == {"detail": "Log in to use the API."}


def test_api_docs_are_served_locally(db: None) -> None:
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    assert b"cdn" not in response.content.lower()
    assert Client().get("/api/v1/openapi.json").json()["info"]["title"] == "Preceptor API"
