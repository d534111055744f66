"""A multipart request without a usable boundary is a clear 400 everywhere, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from preceptor.accounts.models import User
from preceptor.mentors.models import Mentor

pytestmark = pytest.mark.django_db

BROKEN = [
    "multipart/form-data",
    "multipart/form-data; boundary=",
    "multipart/form-data; boundary=\x7f",
]


def _client(user: User) -> tuple[Client, str]:
    """A client that checks CSRF like a browser's server would, with its token."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(user)
    client.get("/mentors/")
    return client, client.cookies["csrftoken"].value


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("content_type", BROKEN)
def test_the_api_answers_a_form_without_a_boundary_with_a_400(
    alice: User, settings: Any, debug: bool, content_type: str
) -> None:
    settings.DEBUG = debug  # ninja answers an unexpected error in DEBUG with a 500
    client, token = _client(alice)
    response = client.post(
        "/api/v1/mentors/", b"full_name=Ana", content_type=content_type, HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 400
    assert "The form data could not be read" in response.json()["detail"]
    assert not Mentor.objects.exists()


@pytest.mark.parametrize("url", ["/mentors/add/", "/no/such/page/", "/account/login/"])
def test_a_page_answers_a_form_without_a_boundary_with_a_400(alice: User, url: str) -> None:
    client, token = _client(alice)
    response = client.post(url, b"x", content_type="multipart/form-data", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 400
    assert "The form data could not be read" in response.content.decode()
    assert response["Content-Type"].startswith("text/plain")


def test_a_proper_multipart_form_still_works(alice: User) -> None:
    client, token = _client(alice)
    response = client.post(
        "/mentors/add/",
        {
            "full_name": "Ana Patel",
            "role": "attending",
            "status": "active",
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code in (200, 302)
    assert Mentor.objects.filter(full_name="Ana Patel").exists()
