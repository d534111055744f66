"""Every change to accounts and profiles goes through these functions."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from preceptor.accounts.models import Profile, User


@transaction.atomic
def sign_up(*, email: str, password: str, full_name: str = "") -> User:
    user = User.objects.create_user(email=email, password=password)
    Profile.objects.create(user=user, full_name=full_name.strip())
    return user


def get_profile(user: User) -> Profile:
    """The user's profile, created on first use (users made in the admin have none yet)."""
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def update_profile(user: User, **fields: Any) -> Profile:
    profile = get_profile(user)
    changed = []
    for name, value in fields.items():
        if name not in Profile.COMPLETENESS_FIELDS:
            raise ValueError(f"{name} is not a profile field")
        if getattr(profile, name) != value:
            setattr(profile, name, value)
            changed.append(name)
    if "time_zone" in fields and not profile.time_zone_set:
        profile.time_zone_set = True
        changed.append("time_zone_set")
    if changed:
        profile.full_clean()
        profile.save(update_fields=[*changed, "updated"])
    return profile


@transaction.atomic
def delete_account(user: User) -> None:
    """Delete the user and, through cascading foreign keys, everything they own."""
    user.delete()
