from __future__ import annotations

from django.test import Client
from django.urls import reverse

from preceptor.accounts import services as accounts
from preceptor.accounts.models import User


def test_it_shows_completeness_and_checklist(alice: User, alice_client: Client) -> None:
    body = alice_client.get(reverse("core:dashboard")).content.decode()
    assert "Hello, Alice Owner" in body
    # alice has a name and a time zone: 2 of 7 fields.
    assert "29%" in body
    assert "Complete your profile" in body
    assert "Done:</span> Set your time zone" in body


def test_a_complete_profile_ticks_the_checklist(alice: User, alice_client: Client) -> None:
    accounts.update_profile(
        alice,
        stage="resident",
        school="Med U",
        graduation_year=2024,
        target_cycle=2027,
        specialty_of_interest="Cardiology",
    )
    body = alice_client.get(reverse("core:dashboard")).content.decode()
    assert "100%" in body
    assert "Done:</span> Complete your profile" in body


def test_navigation_marks_the_current_page(alice_client: Client) -> None:
    body = alice_client.get(reverse("core:dashboard")).content.decode()
    assert '<a href="/dashboard/" aria-current="page">Dashboard</a>' in body
    assert '<a href="/account/">Account</a>' in body


def test_home_sends_signed_in_users_to_the_dashboard(alice_client: Client) -> None:
    assert alice_client.get("/")["Location"] == reverse("core:dashboard")


def test_home_welcomes_visitors(db: None) -> None:
    body = Client().get("/").content.decode()
    assert "Create your account" in body
