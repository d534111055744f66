from __future__ import annotations

from django.test import Client
from django.urls import reverse

from preceptor.accounts import services as accounts
from preceptor.accounts.models import Profile, User

VALID = {
    "full_name": "Alice Owner",
    "stage": "medical_student",
    "school": "State University",
    "graduation_year": "2028",
    "target_cycle": "2027",
    "specialty_of_interest": "Internal Medicine",
    "time_zone": "America/Chicago",
}


def test_it_saves_the_profile(alice: User, alice_client: Client) -> None:
    response = alice_client.post(reverse("accounts:profile"), VALID)
    assert response.status_code == 302
    profile = Profile.objects.get(user=alice)
    assert profile.school == "State University"
    assert profile.time_zone == "America/Chicago"
    assert profile.completeness() == (100, [])


def test_it_rejects_unknown_time_zone_and_keeps_the_rest(alice: User, alice_client: Client) -> None:
    response = alice_client.post(
        reverse("accounts:profile"), {**VALID, "time_zone": "Mars/Olympus_Mons"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice" in body
    assert 'value="State University"' in body
    assert Profile.objects.get(user=alice).school == ""


def test_it_rejects_out_of_range_years(alice: User, alice_client: Client) -> None:
    response = alice_client.post(
        reverse("accounts:profile"), {**VALID, "graduation_year": "1800", "target_cycle": "1999"}
    )
    body = response.content.decode()
    assert "greater than or equal to 1950" in body
    assert "That cycle is over" in body
    assert Profile.objects.get(user=alice).graduation_year is None


def test_a_rejected_form_leaves_the_signed_in_profile_as_stored(
    alice: User, alice_client: Client
) -> None:
    response = alice_client.post(
        reverse("accounts:profile"),
        {**VALID, "graduation_year": "1800", "time_zone": "Asia/Tokyo", "full_name": "Mallory"},
    )
    assert response.status_code == 200
    # The form shows what was posted, to correct it ...
    assert 'value="Mallory"' in response.content.decode()
    # ... while the page's user, its completeness and its time zone stay what is stored.
    profile = response.wsgi_request.user.profile  # type: ignore[union-attr]
    assert (profile.full_name, profile.time_zone) == ("Alice Owner", "America/New_York")
    assert response.context["percent"] == Profile.objects.get(user=alice).completeness()[0]
    assert accounts.time_zone_name(response.wsgi_request.user) == "America/New_York"  # type: ignore[arg-type]


def test_profile_time_zone_is_used_for_display(alice: User, alice_client: Client) -> None:
    alice_client.post(reverse("accounts:profile"), {**VALID, "time_zone": "Asia/Tokyo"})
    response = alice_client.get(reverse("accounts:account"))
    assert "Asia/Tokyo" in response.content.decode()


def test_completeness_counts_missing_fields(db: None) -> None:
    user = User.objects.create_user(email="x@example.org", password="x")
    profile = Profile.objects.create(user=user)
    percent, missing = profile.completeness()
    assert percent == 0
    assert "full name" in missing
    assert "time zone" in missing


def test_api_reads_and_updates_the_profile(alice: User, alice_client: Client) -> None:
    response = alice_client.get("/api/v1/account/me")
    assert response.status_code == 200
    assert response.json()["email"] == "alice@example.org"
    response = alice_client.patch(
        "/api/v1/account/me", {"school": "Med School"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["school"] == "Med School"


def test_api_rejects_bad_profile_values_and_changes_nothing(
    alice: User, alice_client: Client
) -> None:
    response = alice_client.patch(
        "/api/v1/account/me",
        {"school": "Changed", "time_zone": "Nowhere/Void"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "time_zone" in response.json()["detail"]
    assert Profile.objects.get(user=alice).school == ""

    response = alice_client.patch(
        "/api/v1/account/me", {"graduation_year": "soon"}, content_type="application/json"
    )
    assert response.status_code == 422
