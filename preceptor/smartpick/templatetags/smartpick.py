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


@register.simple_tag
def pct_range(low: float | None, high: float | None, label: str = "range") -> str:
    """The plausible range in words: "range 62% to 81%", or, when both ends round to the
    same figure, ">99% even at the low end of the plausible range"."""
    lo, hi = pct(low), pct(high)
    if lo == hi:
        return f"{lo} even at the low end of the plausible range"
    return f"{label} {lo} to {hi}"
