from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def pct(value: float | None) -> str:
    """0.873 → "87%". An estimate is never shown as certain: above 99% it reads ">99%",
    below 1% "<1%"."""
    if value is None:
        return "—"
    p = 100 * float(value)
    if p < 1:
        return "<1%"
    if p > 99:
        return ">99%"
    return f"{p:.0f}%"
