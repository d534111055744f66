"""The program rows of the list page (``{% program_rows rows %}`` in smartpick/home.html).

As a template loop the rows were about 2,000 node renders a page (some 40 programs, each
with a dozen variables, a select of four options with an ``{% if %}`` each) and three
quarters of the page's time; here they are joined strings, the same bytes: the markup is
the loop's, every value is escaped as ``{{ }}`` escapes it (:func:`e`: the names, cities
and reasons come from imported files), the percentages go through :func:`pct`, the
templates' own ``pct`` filter, and the token is ``{% csrf_token %}``'s own.
tests/smartpick/test_listing.py renders every page both ways and compares them.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from django.template.context import Context
from django.template.defaulttags import CsrfTokenNode
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from .recommend import WISHES, Row


def pct(value: float | None) -> str:
    """0.873 → "87%". An estimate is never shown as certain: above 99% it reads ">99%",
    below 1% "<1%". (The ``pct`` filter of the templates.)"""
    if value is None:
        return "—"
    p = 100 * float(value)
    if p < 1:
        return "<1%"
    if p > 99:
        return ">99%"
    return f"{p:.0f}%"


def e(value: Any) -> str:
    """``{{ value }}``: what :func:`django.utils.html.conditional_escape` gives (HTML
    already marked safe as it is, anything else through :func:`html.escape`), without its
    lazy-string wrapper, which cost more than the escaping itself (a thousand calls a page).
    """
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


BADGES = {"likely": "badge-ok", "reach": "badge-danger"}  # a target's is badge-warn
EMPTY = '\n    <li class="card">No program matches these filters.</li>\n    '


def _options() -> dict[str, tuple[str, str]]:
    """Each level's option, unselected and selected: the same for every row."""
    out = {}
    for key, (label, _value) in WISHES.items():
        start = f'<option value="{e(key)}"'
        out[key] = (f"{start}>{e(label)}</option>", f"{start} selected>{e(label)}</option>")
    return out


def program_rows(rows: Sequence[Row], csrf_token: Any) -> SafeString:
    """The ``<li>`` of each row, or the one that says no program matches the filters.

    ``csrf_token`` is the page's (the template context's ``csrf_token``, masked once a
    response), so that every form on it carries the same token as the others.
    """
    if not rows:
        return mark_safe(EMPTY)  # noqa: S308 - a constant
    # The input exactly as {% csrf_token %} writes it, from the tag's own node.
    csrf_input = CsrfTokenNode().render(Context({"csrf_token": csrf_token}))
    about_url = e(reverse("smartpick:about"))
    wish_url = e(reverse("smartpick:wish"))
    options = _options()
    out = []
    for r in rows:
        code = e(r.code)
        tier = e(r.tier)
        signal = (
            f'<span class="badge sp-signal-{e(r.signal)}">{e(r.signal)} signal</span>'
            if r.signal
            else ""
        )
        wish = (
            f'<span class="badge sp-wish-{e(r.wish)}">{e(r.wish_label.lower())}</span>'
            if r.wish != "fine"
            else ""
        )
        little = (
            '<span class="badge badge-warn">adds almost nothing</span>' if r.adds_little else ""
        )
        city = f"{e(r.city)}, " if r.city else ""
        synthetic = " · synthetic" if r.synthetic else ""
        p = r.provenance
        provenance = (
            f'<div class="muted sp-provenance" title="Positions: {e(p.positions_source)}. '
            f'Location: {e(p.location_source)}.">{e(p.positions_note)} · '
            f"{e(p.location_note)} · {e(p.history_note)} "
            f'(<a href="{about_url}">sources</a>)</div>'
            if p
            else ""
        )
        select = "".join(both[key == r.wish] for key, both in options.items())
        out.append(
            f'\n    <li class="card sp-row sp-tier-{tier}" id="program-{code}">\n'
            '      <div class="sp-row-head">\n'
            f'        <span class="sp-order">{e(r.order)}.</span>\n'
            f"        <strong>{e(r.institution)}</strong>\n"
            f'        <span class="badge {BADGES.get(r.tier, "badge-warn")}">{tier}</span>\n'
            f"        {signal}\n"
            f"        {wish}\n"
            f"        {little}\n"
            "      </div>\n"
            f'      <div class="muted">{e(r.name)} · {city}{e(r.state)} · {code}{synthetic}</div>\n'
            f"      {provenance}\n"
            f"      <p>Interview chance: about <strong>{e(pct(r.p_interview))}</strong> (range "
            f"{e(pct(r.p_interview_low))}\N{EN DASH}{e(pct(r.p_interview_high))}); on its own, "
            f"this program gives you about a {e(pct(r.p_match_here))} chance of matching (an "
            "interview that turns into a match; these chances overlap, so they do not add "
            "up).</p>\n"
            f'      <p class="sp-reasons">Why: {"; ".join(e(x) for x in r.reasons)}.</p>\n'
            f'      <form method="post" action="{wish_url}" class="sp-wish">\n'
            f'        {csrf_input}<input type="hidden" name="code" value="{code}">\n'
            f'        <label for="wish-{code}">How much you want it</label>\n'
            f'        <select id="wish-{code}" name="level">{select}</select>\n'
            '        <button type="submit" class="button button-secondary">Save</button>\n'
            "      </form>\n"
            "    </li>\n    "
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
