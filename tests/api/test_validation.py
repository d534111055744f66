"""Every API input is checked at the schema, as the forms check it: a clear 422, no change."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from preceptor.accounts.models import Profile, User
from preceptor.letters.models import Application
from preceptor.mentors.models import Mentor
from tests.letters.factories import make_application, make_mentor

pytestmark = pytest.mark.django_db


def _send(client: Client, method: str, url: str, body: Any) -> Any:
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("field", ["full_name", "stage", "school", "specialty_of_interest"])
def test_it_refuses_null_for_a_profile_field_that_has_no_null(
    alice: User, alice_client: Client, field: str
) -> None:
    before = Profile.objects.get(user=alice)
    response = _send(alice_client, "patch", "/api/v1/account/me", {field: None})
    assert response.status_code == 422
    assert f"{field}: Give a value, not null" in response.json()["detail"]
    assert response.json()["errors"][0]["field"] == field
    after = Profile.objects.get(user=alice)
    assert getattr(after, field) == getattr(before, field)


def test_it_still_clears_a_profile_year_with_null(alice_client: Client) -> None:
    _send(alice_client, "patch", "/api/v1/account/me", {"graduation_year": 2028})
    response = _send(alice_client, "patch", "/api/v1/account/me", {"graduation_year": None})
    assert response.status_code == 200 and response.json()["graduation_year"] is None


@pytest.mark.parametrize("cycle", [4398046511103, 1999, 2101, -1])
def test_it_refuses_an_application_cycle_out_of_range(
    alice: User, alice_client: Client, cycle: int
) -> None:
    body = {"service": "eras", "cycle": cycle, "official_deadline": "2099-01-01"}
    response = _send(alice_client, "post", "/api/v1/letters/applications", body)
    assert response.status_code == 422
    assert "cycle: Input should be" in response.json()["detail"]
    assert not Application.objects.filter(user=alice).exists()


@pytest.mark.parametrize("field", ["official_deadline", "results_on"])
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1899-12-31", "2101-01-01"])
def test_it_refuses_a_date_outside_1900_to_2100(
    alice: User, alice_client: Client, field: str, day: str
) -> None:
    body = {"service": "eras", "cycle": 2027, "official_deadline": "2099-01-01", field: day}
    response = _send(alice_client, "post", "/api/v1/letters/applications", body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
    assert not Application.objects.filter(user=alice).exists()


@pytest.mark.parametrize(
    "name", ["Dr. A\x00B", "Dr. A\x07B", "Dr. A\nB", "Dr. A\x1bB", "x" * 201, "   "]
)
def test_it_refuses_a_mentor_name_the_form_would_refuse(
    alice: User, alice_client: Client, name: str
) -> None:
    response = _send(alice_client, "post", "/api/v1/mentors/", {"full_name": name})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "full_name"
    assert not Mentor.objects.filter(user=alice).exists()


def test_a_nul_byte_names_the_field_and_says_why(alice_client: Client) -> None:
    response = _send(alice_client, "post", "/api/v1/mentors/", {"full_name": "A\x00B"})
    assert (
        "full_name: Keep this to one line, without control characters (such as NUL)"
        in (response.json()["detail"])
    )


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("patch", "/api/v1/account/me", {"school": "State\x00"}),
        ("patch", "/api/v1/letters/applications/{app}", {"instructions": "Portal\x00"}),
        (
            "post",
            "/api/v1/mentors/{mentor}/interactions",
            {"occurred_on": "2024-01-02", "summary": "hi\x00"},
        ),
        (
            "post",
            "/api/v1/letters/applications/{app}/requests",
            {"mentor_id": "{mentor}", "category": "\x00"},
        ),
    ],
)
def test_it_refuses_a_nul_byte_in_any_text(
    alice: User, alice_client: Client, method: str, url: str, body: dict[str, str]
) -> None:
    ids = {
        "app": str(make_application(alice).public_id),
        "mentor": str(make_mentor(alice).public_id),
    }
    body = {k: v.format(**ids) for k, v in body.items()}
    response = _send(alice_client, method, url.format(**ids), body)
    assert response.status_code == 422, response.content


def test_text_keeps_its_line_breaks_and_loses_its_edges(alice: User, alice_client: Client) -> None:
    app = make_application(alice)
    url = f"/api/v1/letters/applications/{app.public_id}"
    response = _send(alice_client, "patch", url, {"programs": "  One\nTwo\n"})
    assert response.status_code == 200 and response.json()["programs"] == ["One", "Two"]


@pytest.mark.parametrize(
    "body",
    [
        {"service": "eras", "cycle": "2027", "official_deadline": "2099-01-01"},
        {"service": "eras", "cycle": 2027.5, "official_deadline": "2099-01-01"},
        {"service": "eras", "cycle": 2027, "official_deadline": 4102444800},
        {"service": "eras", "cycle": 2027, "official_deadline": "2099-01-01", "uses_vault": 0},
    ],
)
def test_it_takes_json_types_as_they_are(alice: User, alice_client: Client, body: Any) -> None:
    response = _send(alice_client, "post", "/api/v1/letters/applications", body)
    assert response.status_code == 422
    assert not Application.objects.filter(user=alice).exists()


@pytest.mark.parametrize("body", [[None, None], [], "x", 3])
def test_it_refuses_a_body_that_is_not_an_object(
    alice: User, alice_client: Client, body: Any
) -> None:
    response = _send(alice_client, "patch", "/api/v1/account/me", body)
    assert response.status_code == 422
    assert "Send a JSON object" in response.json()["detail"]


def test_a_bad_id_in_the_path_is_a_422_and_a_strangers_is_a_404(
    alice: User, alice_client: Client, charlie_client: Client
) -> None:
    mentor = make_mentor(alice)
    assert alice_client.get("/api/v1/writers/requests/%00").status_code == 422
    assert alice_client.get("/api/v1/mentors/not-an-id").status_code == 422
    response = charlie_client.get(f"/api/v1/mentors/{mentor.public_id}")
    assert response.status_code == 404 and response.json() == {"detail": "Not Found"}


def test_a_query_choice_is_checked_at_the_schema(alice_client: Client) -> None:
    response = alice_client.get("/api/v1/letters/requests?status=lost")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "status"
    assert alice_client.get("/api/v1/mentors/readiness?specialty=a%00b").status_code == 422
