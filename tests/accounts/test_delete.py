from __future__ import annotations

from django.test import Client
from django.urls import reverse

from preceptor.accounts.models import Profile, User
from tests.conftest import PASSWORD


def test_it_needs_password_and_confirmation(alice: User, alice_client: Client) -> None:
    response = alice_client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert "This field is required." in response.content.decode()
    response = alice_client.post(reverse("accounts:delete"), {"password": "wrong", "confirm": "on"})
    assert "That is not your current password." in response.content.decode()
    assert User.objects.filter(pk=alice.pk).exists()


def test_it_deletes_the_account_and_all_data(alice: User, bob: User, alice_client: Client) -> None:
    response = alice_client.post(
        reverse("accounts:delete"), {"password": PASSWORD, "confirm": "on"}
    )
    assert response.status_code == 302
    assert not User.objects.filter(pk=alice.pk).exists()
    assert not Profile.objects.filter(user_id=alice.pk).exists()
    assert User.objects.filter(pk=bob.pk).exists()
    assert alice_client.get(reverse("core:dashboard")).status_code == 302
