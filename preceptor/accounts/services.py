"""Every change to accounts and profiles goes through these functions."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.db import transaction
from django.utils import timezone

from preceptor.accounts.backends import PROFILE_LOADED
from preceptor.accounts.models import Profile, User


@transaction.atomic
def sign_up(*, email: str, password: str, full_name: str = "") -> User:
    user = User.objects.create_user(email=email, password=password)
    Profile.objects.create(user=user, full_name=full_name.strip())
    return user


def get_profile(user: User) -> Profile:
    """The user's profile, created on first use (users made in the admin have none yet).

    It is the instance cached on ``user``: what ``today_for`` and the templates read.
    """
    try:
        return user.profile
    except Profile.DoesNotExist:
        profile, _ = Profile.objects.get_or_create(user=user)
        user.profile = profile
        return profile


def time_zone_name(user: User) -> str:
    """The name of the user's zone, "UTC" without a profile or a zone.

    The profile that :class:`~preceptor.accounts.backends.ProfileBackend` read with the
    request's user is current for that request (:func:`update_profile` puts the saved
    profile back on the user), so it answers without a query. Any other user object may
    hold a profile read before a change (a task's, a test's), so then it is read afresh.
    """
    if getattr(user, PROFILE_LOADED, False):
        try:
            return user.profile.time_zone or "UTC"
        except Profile.DoesNotExist:
            return "UTC"
    tz = Profile.objects.filter(user_id=user.pk).values_list("time_zone", flat=True).first()
    return tz or "UTC"


def zone_for(user: User | None) -> dt.tzinfo:
    """The user's time zone; UTC for nobody, for a user without a profile, or for a zone
    name this machine's time-zone database does not know."""
    name = ""
    if user is not None:
        try:
            name = user.profile.time_zone
        except Profile.DoesNotExist:
            name = ""
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def today_for(user: User | None = None) -> dt.date:
    """Today's date where the user lives. Deadlines, contact dates and "overdue" are days
    in the user's life, so every "today" in the product comes from here, never from the
    server's clock (UTC), which is a day ahead of the Americas every evening."""
    return timezone.now().astimezone(zone_for(user)).date()


def local_date_for(user: User | None, moment: dt.datetime) -> dt.date:
    """The date of ``moment`` (an aware datetime) where the user lives."""
    return moment.astimezone(zone_for(user)).date()


@transaction.atomic
def update_profile(user: User, **fields: Any) -> Profile:
    """Save the changed fields. The stored row is what a value is compared against (a bound
    ModelForm may already have written its values onto the instance it was given); the
    saved profile then becomes ``user.profile``, so the rest of the request sees the new
    time zone."""
    profile, _ = Profile.objects.get_or_create(user=user)
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
    user.profile = profile
    return profile


@transaction.atomic
def delete_account(user: User) -> None:
    """Delete the user and, through cascading foreign keys, everything they own."""
    user.delete()
