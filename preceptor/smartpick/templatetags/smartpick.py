from __future__ import annotations

from collections.abc import Sequence

from django import template
from django.template.context import Context
from django.utils.safestring import SafeString

from .. import listing
from ..listing import pct
from ..recommend import Row

register = template.Library()


# "87%", as every page shows a chance (the list's rows too: see listing.py).
register.filter("pct", pct)


@register.simple_tag
def pct_range(low: float | None, high: float | None, label: str = "range") -> str:
    """The plausible range in words: "range 62% to 81%", or, when both ends round to the
    same figure, ">99% even at the low end of the plausible range"."""
    lo, hi = pct(low), pct(high)
    if lo == hi:
        return f"{lo} even at the low end of the plausible range"
    return f"{label} {lo} to {hi}"


@register.simple_tag(takes_context=True)
def program_rows(context: Context, rows: Sequence[Row]) -> SafeString:
    """The list's rows, built in Python (see :mod:`preceptor.smartpick.listing`), with
    the page's own ``{% csrf_token %}``."""
    return listing.program_rows(rows, context.get("csrf_token"))
