"""Pages: forms work without JavaScript, htmx swaps fragments, bad input changes nothing."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from preceptor.accounts.models import User
from preceptor.mentors import demo, services
from preceptor.mentors.models import ActionItem, Interaction, Mentor


@pytest.fixture
def ortiz(alice: User) -> Mentor:
    m = services.create_mentor(
        alice,
        full_name="Ana Ortiz",
        degree="MD",
        specialty="Internal Medicine",
        email="ana@example.edu",
    )
    services.log_interaction(m, occurred_on=services.today_for(alice) - dt.timedelta(days=80))
    return m


def test_adding_a_mentor(alice: User, alice_client: Client) -> None:
    r = alice_client.post(
        reverse("mentors:add"),
        {
            "full_name": "Ana Ortiz",
            "degree": "MD",
            "role": "attending",
            "status": "active",
            "tags": "clinical, im",
            "specialty": "Internal Medicine",
        },
    )
    m = Mentor.objects.get(user=alice)
    assert r.status_code == 302 and r["Location"] == reverse(
        "mentors:detail", kwargs={"pk": m.public_id}
    )
    assert sorted(t.name for t in m.tags.all()) == ["clinical", "im"]


def test_adding_a_duplicate_shows_the_error_next_to_the_name(
    alice_client: Client, ortiz: Mentor
) -> None:
    r = alice_client.post(
        reverse("mentors:add"), {"full_name": "ana ortiz", "role": "attending", "status": "active"}
    )
    assert r.status_code == 400
    assert "You already have Dr. Ana Ortiz in your network." in r.content.decode()
    assert Mentor.objects.count() == 1


def test_a_future_start_date_is_refused(alice_client: Client) -> None:
    r = alice_client.post(
        reverse("mentors:add"),
        {"full_name": "X", "role": "attending", "status": "active", "met_on": "2999-01-01"},
    )
    assert r.status_code == 400 and "cannot be in the future" in r.content.decode()
    assert not Mentor.objects.exists()


@pytest.mark.usefixtures("utc_rollover")
def test_logging_without_javascript_redirects_back(
    alice: User, alice_client: Client, ortiz: Mentor
) -> None:
    today = services.today_for(alice)
    url = reverse("mentors:log", kwargs={"pk": ortiz.public_id})
    r = alice_client.post(
        url,
        {
            "log-occurred_on": today.isoformat(),
            "log-kind": "meeting",
            "log-initiated_by": "me",
            "log-summary": "Talked about sub-Is",
            "log-action_items": "Email the program\nRead the paper",
        },
    )
    assert r.status_code == 302
    assert services.cadence_of(ortiz, today).last_contact == today  # type: ignore[union-attr]
    assert ortiz.action_items.count() == 2
    page = alice_client.get(r["Location"]).content.decode()
    assert "The cadence clock starts again" in page and "Talked about sub-Is" in page


@pytest.mark.usefixtures("utc_rollover")
def test_logging_with_htmx_returns_the_live_fragment(
    alice: User, alice_client: Client, ortiz: Mentor
) -> None:
    today = services.today_for(alice)
    url = reverse("mentors:log", kwargs={"pk": ortiz.public_id})
    detail = alice_client.get(
        reverse("mentors:detail", kwargs={"pk": ortiz.public_id})
    ).content.decode()
    assert "Overdue since" in detail
    r = alice_client.post(
        url,
        {
            "log-occurred_on": today.isoformat(),
            "log-kind": "call",
            "log-initiated_by": "me",
            "log-summary": "Quick call",
        },
        HTTP_HX_REQUEST="true",
    )
    body = r.content.decode()
    assert r.status_code == 200 and body.lstrip().startswith('<div id="live">')
    assert "<html" not in body and "Quick call" in body and "Overdue since" not in body


def test_a_future_interaction_is_refused_inline(alice_client: Client, ortiz: Mentor) -> None:
    url = reverse("mentors:log", kwargs={"pk": ortiz.public_id})
    r = alice_client.post(
        url,
        {"log-occurred_on": "2999-01-01", "log-kind": "call", "log-initiated_by": "me"},
        HTTP_HX_REQUEST="true",
    )
    assert "cannot be in the future" in r.content.decode()
    assert Interaction.objects.count() == 1
    r = alice_client.post(
        url, {"log-occurred_on": "2999-01-01", "log-kind": "call", "log-initiated_by": "me"}
    )
    assert r.status_code == 400 and "cannot be in the future" in r.content.decode()


def test_action_buttons(alice: User, alice_client: Client, ortiz: Mentor) -> None:
    item = services.add_action_item(ortiz, text="Submit the abstract")
    url = reverse("mentors:action_update", kwargs={"pk": item.public_id})
    r = alice_client.post(url, {"op": "decline", "reason": ""})
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.status == "open"
    alice_client.post(url, {"op": "done"})
    assert list(services.unreported_action_items(alice)) == [item]
    alice_client.post(url, {"op": "report"})
    item.refresh_from_db()
    assert item.reported_back
    alice_client.post(url, {"op": "delete"})
    assert not ActionItem.objects.filter(pk=item.pk).exists()


def test_snooze_and_unsnooze(alice: User, alice_client: Client, ortiz: Mentor) -> None:
    url = reverse("mentors:snooze", kwargs={"pk": ortiz.public_id})
    until = services.today_for(alice) + dt.timedelta(days=10)
    alice_client.post(url, {"until": until.isoformat()})
    ortiz.refresh_from_db()
    assert ortiz.snoozed_until == until
    alice_client.post(url, {"until": "2001-01-01"})  # in the past: refused
    ortiz.refresh_from_db()
    assert ortiz.snoozed_until == until
    alice_client.post(url, {"clear": "on"})
    ortiz.refresh_from_db()
    assert ortiz.snoozed_until is None


def test_list_sorts_and_filters(alice: User, alice_client: Client) -> None:
    demo.seed(alice)
    body = alice_client.get(reverse("mentors:list")).content.decode()
    # Most overdue first: the dormant chair (silent for 250 days) before the career advisor.
    assert body.index("Dr. Robert Hayes") < body.index("Dr. Ana Ortiz")
    body = alice_client.get(
        reverse("mentors:list") + "?sort=readiness&service=eras&specialty=Internal+Medicine"
    ).content.decode()
    assert body.index("Dr. Ana Ortiz") < body.index("Dr. Robert Hayes")
    body = alice_client.get(reverse("mentors:list") + "?status=prospect").content.decode()
    assert "Dr. Sofia Alvarez" in body and "Dr. Ana Ortiz" not in body
    htmx = alice_client.get(reverse("mentors:list") + "?q=chen", HTTP_HX_REQUEST="true")
    assert "<html" not in htmx.content.decode() and "Dr. Marcus Chen" in htmx.content.decode()


def test_demo_data_shows_overdue_unreported_and_readiness_spread(alice: User) -> None:
    demo.seed(alice)
    today = services.today_for(alice)
    states = {s.mentor.full_name: s.state for s in services.cadence_states(alice, today)}
    assert len(services.mentors_of(alice)) == 8
    assert {"overdue", "due_soon", "ok", "snoozed"} <= set(states.values())
    assert services.unreported_action_items(alice).count() >= 2
    ranked = services.readiness_for(alice, service="eras", specialty="Internal Medicine")
    assert ranked[0].mentor.full_name in ("Ana Ortiz", "Marcus Chen")
    assert ranked[0].score - ranked[-1].score >= 40


def test_dashboard_panel_and_checklist(alice: User, alice_client: Client) -> None:
    body = alice_client.get(reverse("core:dashboard")).content.decode()
    assert "Reach out this week" in body and 'href="/mentors/add/"' in body
    demo.seed(alice)
    body = alice_client.get(reverse("core:dashboard")).content.decode()
    assert "Dr. Marcus Chen" in body and "Report back" in body
    assert '✓</span> <span class="visually-hidden">Done:</span> Add your first mentor' in body


def test_network_view_names_gaps(alice: User, alice_client: Client) -> None:
    services.create_mentor(alice, full_name="Solo Surgeon", specialty="General Surgery")
    body = alice_client.get(
        reverse("mentors:network") + "?service=eras&specialty=Internal+Medicine"
    ).content.decode()
    assert "No writers ready in Internal Medicine" in body
    body = alice_client.get(reverse("mentors:network") + "?service=amcas").content.decode()
    assert "science faculty in your network" in body


def test_draft_page_has_copy_and_mailto(alice_client: Client, ortiz: Mentor) -> None:
    body = alice_client.get(
        reverse("mentors:draft", kwargs={"pk": ortiz.public_id, "kind": "update"})
    ).content.decode()
    assert "Dear Dr. Ortiz," in body and 'href="mailto:ana%40example.edu?subject=' in body
    r = alice_client.get(f"/mentors/{ortiz.public_id}/drafts/nope/")
    assert r.status_code == 404


@pytest.mark.usefixtures("utc_rollover")
def test_api_create_list_detail_and_log(alice: User, alice_client: Client) -> None:
    r = alice_client.post(
        "/api/v1/mentors/",
        json.dumps({"full_name": "Api Person", "degree": "DO", "tags": ["x"]}),
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    mid = r.json()["id"]
    assert r.json()["name"] == "Dr. Api Person"
    r = alice_client.post(
        "/api/v1/mentors/",
        json.dumps({"full_name": "api  person"}),
        content_type="application/json",
    )
    assert r.status_code == 422 and "already have" in r.json()["detail"]
    later = services.today_for(alice) + dt.timedelta(days=10)
    r = alice_client.post(
        f"/api/v1/mentors/{mid}/interactions",
        json.dumps({"occurred_on": later.isoformat()}),
        content_type="application/json",
    )
    assert r.status_code == 422 and "future" in r.json()["detail"]
    today = services.today_for(alice).isoformat()
    r = alice_client.post(
        f"/api/v1/mentors/{mid}/interactions",
        json.dumps({"occurred_on": today, "summary": "hello", "action_items": ["do x"]}),
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["last_contact"] == today
    assert r.json()["open_action_items"] == ["do x"]
    assert [m["id"] for m in alice_client.get("/api/v1/mentors/").json()] == [mid]
    assert alice_client.get("/api/v1/mentors/readiness?service=eras").json()[0]["mentor"] == mid
    assert alice_client.get("/api/v1/mentors/not-a-uuid").status_code == 422
    assert alice_client.get(f"/api/v1/mentors/{uuid.uuid4()}").status_code == 404


def test_htmx_action_buttons_swap_the_live_part(
    alice: User, alice_client: Client, ortiz: Mentor
) -> None:
    item = services.add_action_item(ortiz, text="Submit the abstract")
    url = reverse("mentors:action_update", kwargs={"pk": item.public_id})
    r = alice_client.post(url, {"op": "decline", "reason": ""}, HTTP_HX_REQUEST="true")
    body = r.content.decode()
    assert r.status_code == 200 and "<html" not in body and "Say why you decided not to" in body
    r = alice_client.post(url, {"op": "done"}, HTTP_HX_REQUEST="true")
    assert "Not reported back yet." in r.content.decode()
    r = alice_client.post(
        reverse("mentors:action_add", kwargs={"pk": ortiz.public_id}),
        {"action-text": ""},
        HTTP_HX_REQUEST="true",
    )
    assert "This field is required." in r.content.decode()
    assert ortiz.action_items.count() == 1


def test_editing_an_interaction_checks_the_date(
    alice: User, alice_client: Client, ortiz: Mentor
) -> None:
    i = ortiz.interactions.get()
    url = reverse("mentors:interaction_edit", kwargs={"pk": i.public_id})
    r = alice_client.post(url, {"occurred_on": "2999-01-01", "kind": "call", "initiated_by": "me"})
    assert r.status_code == 400
    i.refresh_from_db()
    assert i.occurred_on < services.today_for(alice)
    r = alice_client.post(
        url,
        {"occurred_on": "2026-01-02", "kind": "call", "initiated_by": "me", "summary": "Edited"},
    )
    assert r.status_code == 302
    i.refresh_from_db()
    assert (i.summary, i.kind) == ("Edited", "call")


def test_a_period_ending_before_it_starts_is_refused(alice_client: Client, ortiz: Mentor) -> None:
    r = alice_client.post(
        reverse("mentors:period_add", kwargs={"pk": ortiz.public_id}),
        {"kind": "clinical", "start": "2025-05-01", "end": "2025-04-01"},
    )
    assert r.status_code == 400 and "cannot be before the start date" in r.content.decode()
    assert not ortiz.periods.exists()


def test_a_garbage_due_date_keeps_what_was_typed(
    alice: User, alice_client: Client, ortiz: Mentor
) -> None:
    r = alice_client.post(
        reverse("mentors:action_add", kwargs={"pk": ortiz.public_id}),
        {"action-text": "Email Dr. Ortiz the abstract draft", "action-due_on": "next tuesday"},
    )
    body = r.content.decode()
    assert r.status_code == 400
    assert "Enter a valid date." in body
    assert 'value="Email Dr. Ortiz the abstract draft"' in body
    assert not ortiz.action_items.exists()


@pytest.mark.parametrize("when", ["0001-01-01", "1949-12-31"])
def test_a_contact_in_year_one_is_refused(
    alice: User, alice_client: Client, ortiz: Mentor, when: str
) -> None:
    before = ortiz.interactions.count()
    r = alice_client.post(
        reverse("mentors:log", kwargs={"pk": ortiz.public_id}),
        {"log-occurred_on": when, "log-kind": "call", "log-initiated_by": "me"},
    )
    assert r.status_code == 400
    assert "is out of range: use a date between 1950 and 2100" in r.content.decode()
    assert ortiz.interactions.count() == before


def test_the_timeline_lists_a_days_contacts_newest_first(
    alice: User, alice_client: Client, ortiz: Mentor
) -> None:
    # "Told them how it went" logged after the morning's ask must not sink below it.
    today = services.today_for(alice)
    for summary in ("First of the day", "Second of the day", "Third of the day"):
        services.log_interaction(ortiz, occurred_on=today, summary=summary, today=today)
    page = alice_client.get(reverse("mentors:detail", kwargs={"pk": ortiz.public_id}))
    body = page.content.decode()
    assert body.index("Third of the day") < body.index("Second of the day")
    assert body.index("Second of the day") < body.index("First of the day")


def test_the_interaction_edit_page_names_the_date_in_words(
    alice: User, alice_client: Client, ortiz: Mentor
) -> None:
    i = ortiz.interactions.get()
    body = alice_client.get(
        reverse("mentors:interaction_edit", kwargs={"pk": i.public_id})
    ).content.decode()
    assert f"on {i.occurred_on:%B %-d, %Y}</h1>" in body
    assert f"on {i.occurred_on:%Y-%m-%d}" not in body
