"""Django's model backend, with the profile loaded alongside the user on every request."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from preceptor.accounts.models import User

# Set on a user that :meth:`ProfileBackend.get_user` loaded: its ``profile`` was read with
# it at the start of this request (see :func:`preceptor.accounts.services.time_zone_name`).
PROFILE_LOADED = "_preceptor_profile_loaded"


class ProfileBackend(ModelBackend):
    """Every page shows the user's name and time zone from their profile: reading it with
    the user in one query (a join) saves a query on every request.

    Listed before Django's own backend in ``AUTHENTICATION_BACKENDS``, so sign-ins record
    this one. Django's stays listed: a session signed in before this backend existed names
    Django's, and stays signed in (with the profile read on its own, as before)."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            # Django would ask the next backend, its own model backend (listed for old
            # sessions only), which would check the same password a second time: twice the
            # hashing for every failed sign-in. PermissionDenied ends the round; Django
            # then sends user_login_failed once, as before, and axes counts it once.
            raise PermissionDenied
        return user

    def get_user(self, user_id: Any) -> User | None:
        try:
            user = User._default_manager.select_related("profile").get(pk=user_id)
        except User.DoesNotExist:
            return None
        if not self.user_can_authenticate(user):
            return None
        setattr(user, PROFILE_LOADED, True)
        return user
