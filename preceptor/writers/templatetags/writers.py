"""``{% writer_panel letter_request %}``: the writer link and vault status of one request,
for other apps' pages (the letters request page) to include without knowing our models."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("writers/request_card.html")
def writer_panel(letter_request: Any) -> dict[str, Any]:
    from preceptor.writers.models import Delivery
    from preceptor.writers.services import letters_for

    links = list(letter_request.writer_links.all())
    opened = [link.last_used_at for link in links if link.last_used_at]
    letters = letters_for(letter_request) if letter_request.application.uses_vault else []
    return {
        "letter_request": letter_request,
        "active_links": sum(1 for link in links if link.is_usable),
        "last_opened": max(opened, default=None),
        "latest": letters[0] if letters else None,
        "deliveries": Delivery.objects.filter(letter__request=letter_request).count(),
        "uses_vault": letter_request.application.uses_vault,
    }
