"""Drafts: one for every step, filled from the data, usable as mailto: links (pure)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest

from preceptor.letters import lifecycle
from preceptor.letters.drafts import DRAFT_FOR_STATUS, STEPS, DraftContext, draft, salutation

CTX = DraftContext(
    applicant="Jordan Rivera",
    writer="Dr. Patel",
    writer_email="ana.patel@example.edu",
    service="ERAS residency",
    specialty="Internal Medicine",
    personal_deadline=dt.date(2027, 9, 1),
    official_deadline=dt.date(2027, 9, 15),
    programs=[f"Program {i}" for i in range(10)],
    instructions="Upload in the AAMC portal.",
    letter_id="ABC123",
    strengths=["Clinical reasoning", "Teaching"],
    outcome="I matched at State University!",
)


@pytest.mark.parametrize("key", list(STEPS))
def test_every_draft_is_filled_and_signed(key: str) -> None:
    d = draft(key, CTX)
    assert d.body.startswith("Dear Dr. Patel,")
    assert d.body.rstrip().endswith("Jordan Rivera")
    assert d.subject and "{" not in d.body + d.subject
    parts = urlsplit(d.mailto)
    assert parts.scheme == "mailto" and parts.path == "ana.patel@example.edu"
    query = parse_qs(parts.query)
    assert query["subject"] == [d.subject] and query["body"] == [d.body]


def test_every_status_has_a_draft() -> None:
    assert set(DRAFT_FOR_STATUS) == set(lifecycle.STATUSES)
    assert set(DRAFT_FOR_STATUS.values()) <= set(STEPS)


def test_the_ask_asks_for_a_strong_letter_and_gives_the_deadline() -> None:
    d = draft("ask", CTX)
    assert "strong letter" in d.body and "Wednesday, September 1" in d.body


def test_follow_up_carries_deadline_instructions_id_strengths_and_programs() -> None:
    body = draft("follow_up", CTX).body
    for piece in (
        "Wednesday, September 1",
        "Upload in the AAMC portal.",
        "ABC123",
        "- Clinical reasoning",
        "- Program 7",
        "(and 2 more)",
    ):
        assert piece in body, piece
    assert "Program 9" not in body


def test_reminders_restate_the_deadline() -> None:
    assert "September 1" in draft("reminder_1", CTX).subject
    assert "a week away" in draft("reminder_2", CTX).body


def test_outcome_update_uses_the_outcome_and_never_a_placeholder() -> None:
    assert "I matched at State University!" in draft("outcome_update", CTX).body
    blank = DraftContext(applicant="J", writer="Dr. P")
    # No placeholder: with nothing recorded the note honestly says it is under way.
    body = draft("outcome_update", blank).body
    assert "[" not in body and "My applications are under way" in body


def test_unknown_draft_is_an_error() -> None:
    with pytest.raises(ValueError, match="not a draft"):
        draft("bribe", CTX)


@pytest.mark.parametrize(
    ("name", "degree", "expected"),
    [
        ("Ana Patel", "MD", "Dr. Patel"),
        ("Ana Patel", "MD, PhD", "Dr. Patel"),
        ("Sam Lee", "", "Sam Lee"),
        ("Dr. Kim", "MD", "Dr. Kim"),
        ("Ola Obi", "other", "Ola Obi"),
        ("Jo Park", "DO", "Dr. Park"),
    ],
)
def test_salutation(name: str, degree: str, expected: str) -> None:
    assert salutation(name, degree) == expected


@pytest.mark.parametrize(
    ("worked_on", "moment", "expected"),
    [
        ("", "", "and working with you has shaped that choice. You saw"),
        (
            "the medicine clerkship (July to August 2026)",
            "",
            "working with you on the medicine clerkship (July to August 2026) has shaped",
        ),
        (
            "the medicine clerkship (July 2026)",
            "Caught a missed potassium on rounds.",
            "a few specific moments from that time that I can send you. You saw",
        ),
    ],
)
def test_the_ask_uses_the_work_and_a_moment_from_the_record(
    worked_on: str, moment: str, expected: str
) -> None:
    from dataclasses import replace

    body = draft("ask", replace(CTX, worked_on=worked_on, moment=moment)).body
    assert expected in body
    assert "potassium" not in body  # the applicant's own note is never pasted
    assert ".." not in body and "  " not in body


def test_ask_facts_come_from_the_latest_period_and_example(alice) -> None:  # type: ignore[no-untyped-def]
    from preceptor.letters import mentorlink
    from preceptor.mentors import services as mentors
    from tests.letters.factories import make_mentor

    today = mentors.today_for(alice)
    m = make_mentor(alice, "Dana Brooks")
    assert mentorlink.ask_facts(m) == ("", "")
    mentors.add_period(
        m,
        kind="clinical",
        title="medicine clerkship",
        start=dt.date(2026, 7, 6),
        end=dt.date(2026, 8, 28),
        today=today,
    )
    mentors.log_interaction(
        m,
        occurred_on=dt.date(2026, 8, 20),
        example="Presented the sepsis case at morning report",
        today=today,
    )
    mentors.log_interaction(m, occurred_on=dt.date(2026, 9, 1), summary="Coffee", today=today)
    worked, moment = mentorlink.ask_facts(m)
    assert worked == "the medicine clerkship (July 2026 to August 2026)"
    assert moment == "Presented the sepsis case at morning report"


@pytest.mark.parametrize(
    ("saw_closely", "expected"),
    [
        (True, "You saw my work closely, so I would be grateful to ask: do you feel"),
        (False, "has shaped that choice. I would be grateful to ask: do you feel"),
    ],
)
def test_the_ask_says_they_saw_your_work_only_when_they_supervised_it(
    saw_closely: bool, expected: str
) -> None:
    from dataclasses import replace

    body = draft("ask", replace(CTX, worked_on="career advising", saw_closely=saw_closely)).body
    assert expected in body
    assert ("saw my work" in body) is saw_closely


def test_saw_work_closely_comes_from_the_kind_of_supervision(alice) -> None:  # type: ignore[no-untyped-def]
    from preceptor.letters import mentorlink
    from preceptor.mentors import services as mentors
    from tests.letters.factories import make_mentor

    today = mentors.today_for(alice)
    m = make_mentor(alice, "Lena Fischer")
    assert not mentorlink.saw_work_closely(m)
    mentors.add_period(
        m,
        kind="advising",
        title="career advising",
        start=dt.date(2025, 1, 6),
        end=None,
        today=today,
    )
    assert not mentorlink.saw_work_closely(m)
    mentors.add_period(
        m,
        kind="research",
        title="the survey study",
        start=dt.date(2025, 3, 3),
        end=dt.date(2025, 6, 30),
        today=today,
    )
    assert mentorlink.saw_work_closely(m)
