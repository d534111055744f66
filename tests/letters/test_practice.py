"""Practise the ask: talking points from the record, with the advice that fits the case."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from preceptor.accounts import services as accounts
from preceptor.letters.practice import PracticeFacts, talking_points
from tests.letters.factories import make_mentor, make_request

BASE = PracticeFacts(writer="Dr. Brooks", goal="Internal Medicine residency")


def _titles(f: PracticeFacts) -> list[str]:
    return [s.title for s in talking_points(f)]


@pytest.mark.parametrize(
    ("changes", "present", "absent"),
    [
        ({}, ["Ask", "Nerves"], ["A writer outside medicine", "As an international graduate"]),
        ({"outside_medicine": True}, ["A writer outside medicine"], []),
        ({"stage": "premed"}, ["Applying to medical school"], []),
        ({"img": True, "us_physician": True}, ["As an international graduate"], []),
    ],
)
def test_the_advice_fits_the_case(changes: dict, present: list, absent: list) -> None:
    from dataclasses import replace

    titles = _titles(replace(BASE, **changes))
    assert all(t in titles for t in present) and not any(t in titles for t in absent)


@pytest.mark.parametrize("n", [0, 1, 6])
def test_points_are_whole_sentences_with_none_one_or_many_strengths(n: int) -> None:
    from dataclasses import replace

    f = replace(
        BASE,
        strengths=tuple(f"Strength {i}" for i in range(n)),
        moment="Caught a missed potassium on rounds.",
        deadline=dt.date(2026, 9, 1),
        img=True,
    )
    for section in talking_points(f):
        for point in section.points:
            assert point.endswith((".", "?", "”")) and ".." not in point and "  " not in point


def test_an_img_asking_a_non_us_physician_is_told_to_find_one(alice) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    (img,) = [s for s in talking_points(replace(BASE, img=True)) if "international" in s.title]
    assert any("plan at least one letter from one who is" in p for p in img.points)


def test_the_practice_page_uses_the_record(alice, alice_client: Client) -> None:  # type: ignore[no-untyped-def]
    accounts.update_profile(alice, stage="graduate")
    r = make_request(alice, "planned", mentor=make_mentor(alice, "Sam Lee", degree="PhD"))
    r.strengths = ["Clinical reasoning", "Teamwork"]
    r.save()
    page = alice_client.get(reverse("letters:request_practice", args=[r.public_id])).content
    text = page.decode()
    assert "Clinical reasoning; Teamwork" in text
    assert "A writer outside medicine" in text and "As an international graduate" in text
    detail = alice_client.get(reverse("letters:request", args=[r.public_id])).content.decode()
    assert reverse("letters:request_practice", args=[r.public_id]) in detail


@pytest.mark.parametrize(
    ("worked_on", "said"),
    [
        ("", "“Working with you shaped my plans for Internal Medicine residency.”"),
        (
            "the wards month (April 2026 to May 2026)",
            "“Working with you on the wards month (April 2026 to May 2026) shaped my plans for "
            "Internal Medicine residency.”",
        ),
    ],
)
def test_the_opening_is_a_sentence_to_say_to_the_writer(worked_on: str, said: str) -> None:
    # "Say that working with you shaped your plans" mixed who "you" is; the opening is now
    # quoted as the applicant would say it.
    from dataclasses import replace

    [opening] = talking_points(replace(BASE, worked_on=worked_on))[0].points
    assert opening.startswith("Thank Dr. Brooks for their time")
    assert opening.endswith(said)
