"""The dashboard panel: writer links, letters and deliveries at a glance."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, QuerySet, Subquery, Value
from django.utils import timezone

from preceptor.accounts.models import User


def _count(rows: QuerySet[Any]) -> Subquery:
    """``rows.count()`` as a subquery (the constant groups nothing: one row, the count)."""
    return Subquery(
        rows.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("*")).values("n")
    )


def panel_context(user: User) -> dict[str, Any]:
    from preceptor.letters.models import LetterRequest
    from preceptor.writers.models import Delivery, VaultLetter, WriterLink

    # Whether there are requests, and the three counts, in one query: the dashboard asks
    # this on every visit.
    found = dict(
        User.objects.filter(pk=user.pk)
        .values(
            requests=Exists(LetterRequest.objects.filter(application__user=user)),
            active_links=_count(
                WriterLink.objects.filter(
                    request__application__user=user,
                    revoked_at__isnull=True,
                    expires_at__gt=timezone.now(),
                )
            ),
            letters=_count(VaultLetter.objects.filter(request__application__user=user)),
            deliveries=_count(Delivery.objects.filter(letter__request__application__user=user)),
        )
        .get()
    )
    return {"requests": bool(found.pop("requests")), **{k: v or 0 for k, v in found.items()}}
