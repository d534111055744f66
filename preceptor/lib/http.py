"""Typing helpers for views."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest

if TYPE_CHECKING:
    from preceptor.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """A request behind ``@login_required``: ``request.user`` is a real User."""

    user: User


def owned_or_404(queryset: Any, what: str, **lookup: Any) -> Any:
    """One row of ``queryset`` (already narrowed to its owner by ``lookup``), or a 404 for
    anyone else's and for a malformed id: "No such <what>."."""
    try:
        return queryset.get(**lookup)
    except (ObjectDoesNotExist, ValidationError, ValueError) as e:
        raise Http404(f"No such {what}.") from e
