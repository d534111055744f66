"""The dashboard panel: writer links, letters and deliveries at a glance."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from preceptor.accounts.models import User


def panel_context(user: User) -> dict[str, Any]:
    from preceptor.letters import queries
    from preceptor.writers.models import Delivery, VaultLetter, WriterLink

    return {
        "requests": queries.has_requests(user),
        "active_links": WriterLink.objects.filter(
            request__application__user=user,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).count(),
        "letters": VaultLetter.objects.filter(request__application__user=user).count(),
        "deliveries": Delivery.objects.filter(letter__request__application__user=user).count(),
    }
