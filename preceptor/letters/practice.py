"""Talking points for asking in person, built from the record (pure).

The guides advise asking a close writer face to face, near the end of the work together,
with a few sentences prepared. These points come from what the app knows (the work, a
moment, the strengths you hope they will speak to, your deadline) plus advice that fits
the case: nerves, a writer outside medicine, a premed, an international graduate.

>>> import datetime as dt
>>> f = PracticeFacts(writer="Dr. Brooks", goal="Internal Medicine residency",
...     worked_on="the medicine clerkship (July to August 2026)",
...     deadline=dt.date(2026, 9, 1))
>>> for section in talking_points(f):
...     print(section.title)
Open
Ask
Remind them of the work
Timing and materials
If they hesitate or say no
Nerves
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

__all__ = ["PracticeFacts", "Section", "talking_points"]


@dataclass(frozen=True)
class PracticeFacts:
    writer: str  # "Dr. Brooks"
    goal: str  # "Internal Medicine residency", "medical school"
    worked_on: str = ""
    moment: str = ""
    strengths: tuple[str, ...] = ()
    deadline: dt.date | None = None
    stage: str = ""  # premed / medical_student / resident / graduate
    outside_medicine: bool = False  # a writer who is not a physician (a PhD, a professor)
    img: bool = False  # an international medical graduate
    us_physician: bool = False


@dataclass(frozen=True)
class Section:
    title: str
    points: list[str] = field(default_factory=list)


def talking_points(f: PracticeFacts) -> list[Section]:
    """What to say, in order, and the advice that fits this writer and applicant."""
    # Said to the writer, so "you" is them: quote it rather than report it.
    work = f"Working with you on {f.worked_on}" if f.worked_on else "Working with you"
    out = [
        Section(
            "Open",
            [
                f"Thank {f.writer} for their time, and say why you came to them: “{work} "
                f"shaped my plans for {f.goal}.”",
            ],
        ),
        Section(
            "Ask",
            [
                f"Ask plainly: “Do you feel you know my work well enough to write me a strong "
                f"letter for {f.goal}?” The word strong gives them an easy way to decline.",
                "Then stop and listen; a pause is fine.",
            ],
        ),
    ]
    remind = []
    if f.moment:
        moment = f.moment.strip().rstrip(".")
        remind.append(f"Mention one moment they saw: {moment[:1].lower()}{moment[1:]}.")
    if f.strengths:
        listed = "; ".join(s.strip() for s in f.strengths if s.strip())
        remind.append(f"Name the qualities you hope the letter can speak to: {listed}.")
    if not remind:
        remind.append(
            "Recall one specific case, task or project they saw you handle; log it on their "
            "mentor page so the packet can carry it."
        )
    out.append(Section("Remind them of the work", remind))
    when = f"Your deadline for them is {f.deadline:%B} {f.deadline.day}. " if f.deadline else ""
    out.append(
        Section(
            "Timing and materials",
            [
                f"{when}Offer to send your CV, a personal statement draft and a summary of the "
                "work together within 48 hours, with how to submit.",
            ],
        )
    )
    out.append(
        Section(
            "If they hesitate or say no",
            [
                "Thank them sincerely and do not press: a lukewarm letter can hurt more than none.",
                "A hesitant yes deserves a question about timing and what they could write; "
                "keep a backup writer in mind.",
            ],
        )
    )
    if f.outside_medicine:
        out.append(
            Section(
                "A writer outside medicine",
                [
                    f"Explain the big picture in two sentences: what {f.goal} is and what the "
                    "readers look for (specific examples of your work, and how you compare "
                    "with other students they have taught).",
                    "Offer a short note on the format the service expects (length, letterhead, "
                    "signature), since they may not have written one before.",
                ],
            )
        )
    if f.stage == "premed":
        out.append(
            Section(
                "Applying to medical school",
                [
                    "Say which schools or how many, and whether a committee letter is also "
                    "coming, so they know what their letter adds.",
                ],
            )
        )
    if f.img:
        points = [
            "US programs weigh letters from physicians who supervised your clinical work in "
            "the US most; say where and when they saw you in a US setting.",
            "Ask whether they can compare your clinical skills with US graduates they have "
            "supervised: that comparison is what program directors read for.",
        ]
        if not f.us_physician:
            points.append(
                "If this writer is not a US physician, plan at least one letter from one who is."
            )
        out.append(Section("As an international graduate", points))
    out.append(
        Section(
            "Nerves",
            [
                "Write the three sentences above on a card and say them aloud once beforehand.",
                "Faculty are asked for letters often and expect it; asking well is part of "
                "being a good applicant, not an imposition.",
                "If the moment is short, a brief ask is enough: your follow-up email carries "
                "the details.",
            ],
        )
    )
    return out
