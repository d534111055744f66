"""The dashboard panel: writer links, letters and deliveries at a glance."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet, Subquery, Value
from django.utils import timezone

from preceptor.accounts.models import User


def _count(rows: QuerySet[Any]) -> Subquery:
    """``rows.count()`` as a subquery (the constant groups nothing: one row, the count)."""
    return Subquery(
        rows.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("*")).values("n")
    )


def panel_context(user: User) -> dict[str, Any]:
    from preceptor.letters import queries
    from preceptor.writers.models import Delivery, VaultLetter, WriterLink

    # The three counts in one query: the dashboard asks this on every visit.
    counts = User.objects.filter(pk=user.pk).values(
        active_links=_count(
            WriterLink.objects.filter(
                request__application__user=user,
                revoked_at__isnull=True,
                expires_at__gt=timezone.now(),
            )
        ),
        letters=_count(VaultLetter.objects.filter(request__application__user=user)),
        deliveries=_count(Delivery.objects.filter(letter__request__application__user=user)),
    )[0]
    return {"requests": queries.has_requests(user), **{k: v or 0 for k, v in counts.items()}}
