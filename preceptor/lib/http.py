"""Typing helpers for views."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from preceptor.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """A request behind ``@login_required``: ``request.user`` is a real User."""

    user: User
