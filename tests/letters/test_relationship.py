"""Letters and mentors are one relationship: every letter step that is a contact shows on
the mentor, resets the cadence clock, and a letter written counts toward readiness."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from preceptor.letters import services
from preceptor.mentors import services as mentors
from tests.letters.factories import make_application, make_mentor, make_request


def test_asking_in_person_is_the_last_contact(alice) -> None:  # type: ignore[no-untyped-def]
    today = services.today_for(alice)
    brooks = make_mentor(alice, "Dana Brooks")
    mentors.log_interaction(brooks, occurred_on=today - dt.timedelta(days=6), kind="meeting")
    r = services.plan_request(make_application(alice), brooks)
    services.transition(r, "asked", ask_method="in_person")
    cadence = mentors.cadence_of(brooks, today)
    assert cadence is not None and cadence.last_contact == today
    ask = brooks.interactions.first()
    assert ask.occurred_on == today and ask.was_ask and ask.kind == "meeting"
    assert ask.summary.startswith("Asked for a strong letter for ERAS residency Internal Medicine")
    assert "(in person)" in ask.summary


@pytest.mark.parametrize(
    ("steps", "actor", "summary"),
    [
        (["asked", "agreed", "packet_sent"], "applicant", "Sent the follow-up and packet"),
        (["submitted", "thanked"], "applicant", "Thanked them for the letter"),
        (["submitted", "thanked", "outcome_shared"], "applicant", "Told them how"),
    ],
)
def test_each_touch_point_is_an_interaction(alice, steps, actor, summary) -> None:  # type: ignore[no-untyped-def]
    r = make_request(alice, "reminded" if steps[0] == "submitted" else "planned")
    for step in steps:
        extra = {"ask_method": "email"} if step == "asked" else {}
        services.transition(r, step, actor=actor, **extra)
    assert r.mentor.interactions.filter(summary__startswith=summary).count() == 1


def test_a_writers_answer_through_the_link_is_them_reaching_out(alice) -> None:  # type: ignore[no-untyped-def]
    r = make_request(alice, "asked")
    services.transition(r, "agreed", actor="writer")
    answer = r.mentor.interactions.get(summary__startswith="Agreed to write")
    assert answer.initiated_by == "mentor"


def test_reminders_preceptor_sends_are_not_a_personal_contact(alice) -> None:  # type: ignore[no-untyped-def]
    r = make_request(alice, "form_sent")
    before = r.mentor.interactions.count()
    services.transition(r, "reminded", actor="system")
    assert r.mentor.interactions.count() == before


def test_a_letter_written_counts_toward_readiness(alice) -> None:  # type: ignore[no-untyped-def]
    today = services.today_for(alice)
    r = make_request(alice, "reminded")
    before = mentors.readiness_of(r.mentor, service="eras", specialty="", today=today)
    services.transition(r, "submitted", actor="writer")
    after = mentors.readiness_of(r.mentor, service="eras", specialty="", today=today)
    assert after.score == before.score + 5
    assert any(line.startswith("Has already written you one letter") for line in after.reasons)
    ranked = mentors.readiness_for(alice, service="eras", specialty="", today=today)
    assert ranked[0].score == after.score  # the prefetched path agrees


def test_the_mentor_page_lists_their_letters(alice, alice_client: Client) -> None:  # type: ignore[no-untyped-def]
    r = make_request(alice, "agreed")
    body = alice_client.get(reverse("mentors:detail", kwargs={"pk": r.mentor.public_id})).content
    page = body.decode()
    assert "Letters" in page
    assert r.application.display_title in page
    assert reverse("letters:request", kwargs={"req_id": r.public_id}) in page
    assert "agreed (yes)" in page
