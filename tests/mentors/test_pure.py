"""Drafts, network coverage and CSV escaping, without a database."""

from __future__ import annotations

import datetime as dt
from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from preceptor.mentors import csvio, drafts, network

TODAY = dt.date(2026, 3, 2)


def facts(**kw: object) -> drafts.DraftFacts:
    base: dict[str, object] = {
        "applicant": "Jordan Rivera",
        "salutation": "Dr. Ortiz",
        "stage": "medical_student",
        "school": "State University",
        "interest": "Internal Medicine",
        "today": TODAY,
    }
    base.update(kw)
    return drafts.DraftFacts(**base)  # type: ignore[arg-type]


def test_first_contact_is_short_specific_and_signed() -> None:
    d = drafts.first_contact(facts(how_we_met="She was my attending on the medicine clerkship"))
    assert d.body.startswith(
        "Dear Dr. Ortiz,\n\nMy name is Jordan Rivera, a medical student at State University. "
    )
    assert "Internal Medicine" in d.subject and d.body.endswith("Jordan Rivera")
    # The private note is a tip beside the draft, never pasted into the email.
    assert "attending" not in d.body
    assert any("She was my attending on the medicine clerkship" in tip for tip in d.tips)
    assert drafts.first_contact(facts(how_we_met="")).tips == ()


def test_the_update_lists_news_follow_through_and_questions() -> None:
    d = drafts.update(
        facts(
            last_contact=TODAY - dt.timedelta(days=30),
            achievements=(drafts.Item("Poster accepted at ACP", TODAY, "heart failure"),),
            done=(drafts.Item("Submit the abstract"),),
            declined=(drafts.Item("Join the journal club", None, "it clashes with clinic"),),
            open_items=(drafts.Item("Draft the personal statement"),),
        )
    )
    assert "Since we spoke 4 weeks ago, I wanted to share a short update." in d.body
    assert "- Poster accepted at ACP (heart failure)." in d.body
    assert "- Your suggestion “Submit the abstract”: done, thank you." in d.body
    assert "decided against it for now — it clashes with clinic." in d.body
    assert "still working on “Draft the personal statement”" in d.body
    assert d.subject == "Update: Poster accepted at ACP"


def test_an_update_with_nothing_on_record_leaves_placeholders() -> None:
    d = drafts.update(facts(interest=""))
    assert "(Two or three lines of news" in d.body and "(One or two questions" in d.body


def test_the_agenda_has_prompts_for_the_stage() -> None:
    assert "before medical school" in drafts.agenda(facts(stage="premed")).body
    assert "fellowship" in drafts.agenda(facts(stage="resident")).body


@given(st.text(max_size=200), st.text(max_size=400))
def test_mailto_round_trips_any_text(subject: str, body: str) -> None:
    link = drafts.mailto("a@b.org", subject, body)
    head, _, query = link.partition("?")
    assert head == "mailto:a%40b.org"
    params = dict(p.split("=", 1) for p in query.split("&"))
    assert unquote(params["subject"]) == subject
    assert unquote(params["body"]) == body.replace("\r\n", "\n").replace("\n", "\r\n")


@given(st.text(max_size=50))
def test_exported_cells_never_start_a_formula(value: str) -> None:
    cell = csvio.escape_cell(value)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert cell in (value, "'" + value)


def member(name: str, **kw: object) -> network.Member:
    base: dict[str, object] = {
        "name": name,
        "role": "attending",
        "network_role": "",
        "specialty": "",
        "faculty": "",
        "degree": "MD",
        "status": "active",
        "score": 70,
    }
    base.update(kw)
    return network.Member(**base)  # type: ignore[arg-type]


def test_premed_gaps_are_about_science_faculty() -> None:
    r = network.coverage(
        [member("A", faculty="science")], stage="premed", service="amcas", specialty=""
    )
    assert any("One science faculty member in your network" in g for g in r.gaps)
    assert any("non-science" in g for g in r.gaps)
    r = network.coverage(
        [member("A", faculty="science")], stage="premed", service="aacomas", specialty=""
    )
    assert any("DO physician" in g for g in r.gaps)


def test_residency_gaps_count_ready_writers_in_the_specialty() -> None:
    im = "Internal Medicine"
    team = [
        member("A", specialty=im, network_role="clinical"),
        member("B", specialty=im, network_role="research"),
        member("C", specialty="Surgery", network_role="career"),
        member("D", specialty=im, status="former"),
    ]
    r = network.coverage(team, stage="medical_student", service="eras", specialty=im)
    assert r.gaps == [] and "Two writers ready in Internal Medicine." in r.strengths
    r = network.coverage(team, stage="resident", service="eras_fellowship", specialty=im)
    assert any("program director" in g for g in r.gaps)


def test_the_update_says_when_you_last_spoke() -> None:
    for days, words in [
        (0, "earlier today"),
        (3, "a few days ago"),
        (10, "last week"),
        (30, "4 weeks ago"),
        (90, "in December"),
    ]:
        d = drafts.update(facts(last_contact=TODAY - dt.timedelta(days=days)))
        assert f"Since we spoke {words}, I wanted" in d.body


@pytest.mark.parametrize(
    "reason",
    ["it clashes with clinic", "Not enough time this semester.", "The deadline had passed", ""],
)
def test_a_declined_suggestion_reads_right_whatever_the_reason(reason: str) -> None:
    d = drafts.update(facts(declined=(drafts.Item("Join the journal club", None, reason),)))
    line = next(x for x in d.body.splitlines() if "Join the journal club" in x)
    assert "because" not in line and ".." not in line and line.endswith(".")
    if reason:
        assert line.endswith(f"for now — {reason[0].lower()}{reason[1:].rstrip('.')}.")


@pytest.mark.parametrize("n", [0, 1, 5])
def test_the_update_is_whole_sentences_with_none_one_or_many_items(n: int) -> None:
    items = tuple(drafts.Item(f"Thing {i}", TODAY, "") for i in range(n))
    d = drafts.update(facts(achievements=items, done=items, declined=items, open_items=items))
    bullets = [x for x in d.body.splitlines() if x.startswith("- ")]
    assert 1 <= len(bullets) <= 7
    assert all(b.endswith((".", "?", ")")) for b in bullets)
