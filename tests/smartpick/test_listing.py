"""The list's rows, built in Python (:mod:`preceptor.smartpick.listing`), are the bytes the
template loop they replace wrote.

Every page below is fetched twice, with the rows built in Python and with the old loop
(kept here, as it was in smartpick/home.html) rendered by the template engine, and the two
must be the same but for the CSRF token, masked afresh on each response: the demo
applicant's list, its htmx fragment, filtered and empty lists, and a list whose programs
carry hostile names, cities, codes and reasons (imported data), which must come out escaped.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.template import engines
from django.test import Client

from preceptor.accounts.models import User
from preceptor.smartpick import listing, panels, services
from preceptor.smartpick.catalogue import Provenance
from preceptor.smartpick.recommend import WISHES, Recommendation, Row

# The loop as it stood in smartpick/home.html (with the two URLs it reversed before it).
OLD_ROWS = """{% load smartpick %}{% url 'smartpick:about' as about_url %}{% url 'smartpick:wish' as wish_url %}{% for r in rows %}
    <li class="card sp-row sp-tier-{{ r.tier }}" id="program-{{ r.code }}">
      <div class="sp-row-head">
        <span class="sp-order">{{ r.order }}.</span>
        <strong>{{ r.institution }}</strong>
        <span class="badge {% if r.tier == 'likely' %}badge-ok{% elif r.tier == 'reach' %}badge-danger{% else %}badge-warn{% endif %}">{{ r.tier }}</span>
        {% if r.signal %}<span class="badge sp-signal-{{ r.signal }}">{{ r.signal }} signal</span>{% endif %}
        {% if r.wish != "fine" %}<span class="badge sp-wish-{{ r.wish }}">{{ r.wish_label|lower }}</span>{% endif %}
        {% if r.adds_little %}<span class="badge badge-warn">adds almost nothing</span>{% endif %}
      </div>
      <div class="muted">{{ r.name }} · {% if r.city %}{{ r.city }}, {% endif %}{{ r.state }} · {{ r.code }}{% if r.synthetic %} · synthetic{% endif %}</div>
      {% if r.provenance %}<div class="muted sp-provenance" title="Positions: {{ r.provenance.positions_source }}. Location: {{ r.provenance.location_source }}.">{{ r.provenance.positions_note }} · {{ r.provenance.location_note }} · {{ r.provenance.history_note }} (<a href="{{ about_url }}">sources</a>)</div>{% endif %}
      <p>Interview chance: about <strong>{{ r.p_interview|pct }}</strong> (range {{ r.p_interview_low|pct }}–{{ r.p_interview_high|pct }}); on its own, this program gives you about a {{ r.p_match_here|pct }} chance of matching (an interview that turns into a match; these chances overlap, so they do not add up).</p>
      <p class="sp-reasons">Why: {{ r.reasons|join:"; " }}.</p>
      <form method="post" action="{{ wish_url }}" class="sp-wish">
        {% csrf_token %}<input type="hidden" name="code" value="{{ r.code }}">
        <label for="wish-{{ r.code }}">How much you want it</label>
        <select id="wish-{{ r.code }}" name="level">{% for key, label in wishes %}<option value="{{ key }}"{% if key == r.wish %} selected{% endif %}>{{ label }}</option>{% endfor %}</select>
        <button type="submit" class="button button-secondary">Save</button>
      </form>
    </li>
    {% empty %}
    <li class="card">No program matches these filters.</li>
    {% endfor %}"""  # noqa: E501, RUF001 - the template's lines as they were

CSRF = re.compile(r"\b[A-Za-z0-9]{64}\b")
HX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "sp-results"}


def _template_loop(rows: list[Row], csrf_token: Any) -> str:
    wishes = [(k, v[0]) for k, v in WISHES.items()]
    context = {"rows": rows, "wishes": wishes, "csrf_token": csrf_token}
    return str(engines["django"].from_string(OLD_ROWS).render(context))


def _pages(client: Client) -> dict[str, str]:
    """Each variant of the list page, its CSRF tokens replaced by one word."""
    out = {}
    # A budget first, so that both rounds start from the same list (40, as the demo's).
    hx_budget = client.post("/programs/budget/", {"applications": "40"}, **HX)
    variants = {
        "budget (htmx)": hx_budget,
        "list": client.get("/programs/"),
        "list (htmx)": client.get("/programs/", **HX),
        "tier": client.get("/programs/?tier=target"),
        "search": client.get("/programs/?q=new+york", **HX),
        "empty": client.get("/programs/?q=no-such-program"),
        "empty (htmx)": client.get("/programs/?q=no-such-program", **HX),
    }
    for name, response in variants.items():
        assert response.status_code == 200, name
        page = response.content.decode()
        # One masked token for every form on the page, the rows' as the others'.
        assert len(set(CSRF.findall(page))) == 1, name
        out[name] = CSRF.sub("csrf", page)
    return out


def _both_ways(client: Client, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    fast = _pages(client)
    monkeypatch.setattr(listing, "program_rows", _template_loop)
    slow = _pages(client)
    monkeypatch.undo()
    for name in fast:
        assert fast[name] == slow[name], name
    return fast


def test_the_demo_list_renders_as_the_template_loop_did(
    alice: User, alice_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    panels.seed_demo(alice)
    # A few wishes, so that some rows carry a badge and another option is selected.
    profile = services.get_profile(alice)
    assert profile is not None
    codes = [r.code for r in services.recommendation_for(profile).rows[:3]]
    for code, level in zip(codes, [k for k in WISHES if k != "fine"], strict=False):
        services.set_wish(alice, code, level)
    pages = _both_ways(alice_client, monkeypatch)
    assert pages["list"].count('class="card sp-row ') == 40
    assert pages["list (htmx)"].count('class="card sp-row ') == 40
    assert pages["list (htmx)"].startswith('\n<div id="sp-results">')
    assert " selected>" in pages["list"] and "sp-wish-" in pages["list"]
    assert 0 < pages["tier"].count('class="card sp-row ') < 40
    assert 'class="card sp-row ' in pages["search"]
    for name in ("empty", "empty (htmx)"):
        assert '<li class="card">No program matches these filters.</li>' in pages[name]


HOSTILE = "<script>alert('x')</script> & \"Sons\""


def _hostile(rec: Recommendation) -> Recommendation:
    """Every value a row prints, made hostile or odd on every other row."""
    levels = list(WISHES)
    for i, r in enumerate(rec.rows[::2]):
        r.name = HOSTILE
        r.institution = "A&B <b>Hospital</b> 'quoted'"
        r.city = "" if i % 2 else 'Bad"City<'
        r.state = "<ST>"
        r.code = f'X"{i}<'
        r.tier = "<tier>" if i % 3 == 0 else r.tier
        r.signal = '"gold"' if i % 2 else ""
        r.wish = levels[i % len(levels)]
        r.reasons = ["<i>x</i>", "a & b", '"q"']
        r.provenance = None if i % 2 else Provenance(3, None, "weird<", "odd&", (2020, 2020))
        r.p_interview, r.p_interview_high, r.p_match_here = 0.001, 0.999, None
        r.synthetic = r.adds_little = True
    return rec


def test_hostile_program_data_is_escaped_as_the_template_escaped_it(
    alice: User, alice_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    panels.seed_demo(alice)
    recommendation_for = services.recommendation_for
    monkeypatch.setattr(services, "recommendation_for", lambda p: _hostile(recommendation_for(p)))
    fast = _pages(alice_client)
    monkeypatch.setattr(listing, "program_rows", _template_loop)
    slow = _pages(alice_client)
    for name in fast:
        assert fast[name] == slow[name], name
    page = fast["list"]
    assert "<script>alert" not in page and "<b>Hospital" not in page and "<ST>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;Sons&quot;" in page
    assert 'id="program-X&quot;0&lt;"' in page and "sp-tier-&lt;tier&gt;" in page
    assert "Why: &lt;i&gt;x&lt;/i&gt;; a &amp; b; &quot;q&quot;." in page
    assert "<strong>&lt;1%</strong>" in page and "&gt;99%" in page and "a — chance" in page
