from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def pct(value: float | None) -> str:
    """0.873 → "87%"; keeps "<1%" and ">99%" honest at the ends."""
    if value is None:
        return "—"
    p = 100 * float(value)
    if 0 < p < 1:
        return "<1%"
    if 99 < p < 100:
        return ">99%"
    return f"{p:.0f}%"
