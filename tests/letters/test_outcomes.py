"""Closing the loop: record what happened, then tell every writer in a personal note."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from preceptor.letters import mentorlink, services
from preceptor.letters.outcomes import ProgramFacts, summary
from tests.letters.factories import make_application, make_request


@pytest.mark.parametrize(
    ("facts", "match", "expected"),
    [
        ([], True, ""),
        ([ProgramFacts("A", "applied")], True, "I am waiting for the results."),
        ([ProgramFacts("A", "invited")], True, "I have 1 interview ahead."),
        (
            [ProgramFacts("A", "interviewed"), ProgramFacts("B", "invited")],
            True,
            "I interviewed at 1 program and have 1 more interview ahead.",
        ),
        (
            [ProgramFacts("A", "matched", 2), ProgramFacts("B", "ranked", 1)],
            True,
            "I interviewed at 2 programs and matched at A.",
        ),
        (
            [ProgramFacts(f"P{i}", "ranked") for i in range(11)]
            + [ProgramFacts("Home", "matched", 1)],
            True,
            "I interviewed at 12 programs and matched at Home, my first choice.",
        ),
        ([ProgramFacts("S", "offer")], False, "I interviewed at 1 place and received 1 offer"),
        (
            [ProgramFacts("S", "accepted"), ProgramFacts("T", "offer")],
            False,
            "I interviewed at 2 places and accepted a place at S (one of 2 offers).",
        ),
    ],
)
def test_the_outcome_reads_as_a_sentence(facts: list, match: bool, expected: str) -> None:
    got = summary(facts, match=match)
    assert got.startswith(expected)
    assert ".." not in got and " 1 programs" not in got and " 1 interviews" not in got


def test_the_match_gives_one_result(alice) -> None:  # type: ignore[no-untyped-def]
    app = make_application(alice)
    services.set_outcome(app, program="State University IM", stage="matched", rank=1)
    with pytest.raises(ValidationError) as e:
        services.set_outcome(app, program="County IM", stage="matched")
    assert "You matched at State University IM already" in str(e.value)
    again = services.set_outcome(app, program="State University IM", stage="matched", rank=2)
    assert app.outcomes.count() == 1 and again.rank == 2


def test_bad_outcomes_change_nothing(alice, alice_client: Client) -> None:  # type: ignore[no-untyped-def]
    app = make_application(alice)
    url = reverse("letters:outcome_set", args=[app.public_id])
    r = alice_client.post(url, {"program": "X", "stage": "won", "rank": "0"})
    assert r.status_code == 400
    assert "Select a valid choice" in r.content.decode()
    r = alice_client.post(
        url, {"program": "X", "stage": "interviewed", "interview_on": "0001-01-01"}
    )
    assert r.status_code == 400 and "out of range" in r.content.decode()
    assert not app.outcomes.exists()


def test_tell_my_writers_drafts_a_personal_note_and_records_it(  # type: ignore[no-untyped-def]
    alice, alice_client: Client
) -> None:
    r = make_request(alice, "submitted")
    app = r.application
    services.set_outcome(app, program="State University IM", stage="matched", rank=1)
    services.set_outcome(app, program="County IM", stage="ranked")
    page = alice_client.get(reverse("letters:tell_writers", args=[app.public_id])).content.decode()
    assert "I wanted you to hear it from me: I interviewed at 2 programs and matched at " in page
    assert "State University IM, my first choice." in page
    assert "[what happened" not in page  # no placeholder
    assert f"Dear {mentorlink.salutation_for(r.mentor)}," in page
    response = alice_client.post(reverse("letters:request_told", args=[r.public_id]))
    assert response.status_code == 302
    r.refresh_from_db()
    assert r.status == "outcome_shared" and r.thanked_on is not None
    told = r.mentor.interactions.filter(summary__startswith="Told them how").count()
    assert told == 1  # on the mentor's history, and the cadence clock starts again


def test_a_stranger_cannot_see_or_tell(alice, charlie_client: Client) -> None:  # type: ignore[no-untyped-def]
    r = make_request(alice, "submitted")
    o = services.set_outcome(r.application, program="A", stage="interviewed")
    urls = [
        ("get", reverse("letters:tell_writers", args=[r.application.public_id])),
        ("post", reverse("letters:request_told", args=[r.public_id])),
        ("post", reverse("letters:outcome_delete", args=[o.public_id])),
        ("post", reverse("letters:outcome_set", args=[r.application.public_id])),
    ]
    for method, url in urls:
        assert getattr(charlie_client, method)(url).status_code == 404
    r.refresh_from_db()
    assert r.status == "submitted" and r.application.outcomes.count() == 1
