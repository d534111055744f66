"""Email drafts filled from the applicant's records: first contact, a first-meeting agenda,
the periodic update. Pure: plain values in, text out. The applicant edits before sending;
the wording aims to be short, specific and respectful (DOMAIN.md §2).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote

__all__ = ["KINDS", "Draft", "DraftFacts", "agenda", "first_contact", "mailto", "make", "update"]

KINDS = {
    "first_contact": "First-contact email",
    "agenda": "First-meeting agenda",
    "update": "Periodic update email",
}

_STAGES = {
    "premed": "a premedical student",
    "medical_student": "a medical student",
    "resident": "a resident",
    "graduate": "a medical graduate",
}


@dataclass(frozen=True)
class Item:
    text: str
    on: dt.date | None = None
    detail: str = ""


@dataclass(frozen=True)
class DraftFacts:
    applicant: str
    salutation: str  # "Dr. Ortiz"
    today: dt.date  # where the applicant lives (accounts.services.today_for); no clock here
    mentor_specialty: str = ""
    mentor_institution: str = ""
    stage: str = ""
    school: str = ""
    interest: str = ""  # the applicant's specialty of interest
    how_we_met: str = ""
    last_contact: dt.date | None = None
    achievements: tuple[Item, ...] = ()  # since the last contact
    done: tuple[Item, ...] = ()  # advice followed, not yet reported
    declined: tuple[Item, ...] = ()  # advice not followed (detail = why), not yet reported
    open_items: tuple[Item, ...] = ()


@dataclass(frozen=True)
class Draft:
    kind: str
    title: str
    subject: str
    body: str
    to: str = ""
    # Shown beside the draft, never in it: what the applicant may want to add in their words.
    tips: tuple[str, ...] = ()

    @property
    def mailto(self) -> str:
        return mailto(self.to, self.subject, self.body)


def mailto(to: str, subject: str, body: str) -> str:
    """A mailto: link; line breaks as CRLF, as RFC 6068 asks.

    >>> mailto("a@b.org", "Hi there", "Line 1\\nLine 2")
    'mailto:a%40b.org?subject=Hi%20there&body=Line%201%0D%0ALine%202'
    """
    body = body.replace("\r\n", "\n").replace("\n", "\r\n")
    return f"mailto:{quote(to)}?subject={quote(subject)}&body={quote(body)}"


def _intro(f: DraftFacts) -> str:
    who = _STAGES.get(f.stage, "a student")
    where = f" at {f.school}" if f.school else ""
    return f"My name is {f.applicant}, {who}{where}."


def _since(last: dt.date | None, today: dt.date) -> str:
    if last is None:
        return ""
    days = (today - last).days
    if days <= 0:
        return "earlier today"
    if days < 7:
        return "a few days ago"
    if days < 14:
        return "last week"
    if days < 60:
        return f"{days // 7} weeks ago"
    return f"in {last:%B}"


def first_contact(f: DraftFacts) -> Draft:
    topic = f.interest or f.mentor_specialty or "your field"
    # "How we met" is the applicant's private note ("She was my attending ..."), written
    # about the mentor, not to them: it is offered as a tip, never pasted into the email.
    tips = (
        (
            f"Your note on how you met: “{f.how_we_met.strip()}”. If they may remember "
            "you, say where in one sentence of your own.",
        )
        if f.how_we_met.strip()
        else ()
    )
    work = f" at {f.mentor_institution}" if f.mentor_institution else ""
    why = (
        f" I have been following your work in {f.mentor_specialty}{work}."
        if (f.mentor_specialty)
        else ""
    )
    body = (
        f"Dear {f.salutation},\n\n"
        f"{_intro(f)}{why} I am interested in {topic}, and I would be grateful for "
        "fifteen or twenty minutes of your time to hear how you found your path and what "
        "you would focus on at my stage.\n\n"
        "Would a short meeting in the next few weeks work for you, in person or by video? "
        "I am glad to fit around your schedule.\n\n"
        "Thank you for considering it.\n\n"
        f"Best regards,\n{f.applicant}"
    )
    return Draft(
        "first_contact",
        KINDS["first_contact"],
        f"A short conversation about {topic}?",
        body,
        tips=tips,
    )


def agenda(f: DraftFacts) -> Draft:
    topic = f.interest or f.mentor_specialty or "my interests"
    questions = {
        "premed": [
            "Which experiences made the biggest difference for you before medical school?",
            "How would you balance research and clinical exposure over the next year?",
            "What would you look for in a student you agreed to mentor?",
        ],
        "resident": [
            "What makes a fellowship application stand out to you?",
            "Which projects could I finish before applications open?",
            "Whom else should I talk to in the division?",
        ],
    }.get(
        f.stage,
        [
            f"What drew you to {f.mentor_specialty or 'your specialty'}, "
            "and what would you do differently?",
            "What experiences matter most at my stage, and which can wait?",
            f"How could I get more involved in {f.mentor_specialty or 'your'} "
            "clinical work or research?",
        ],
    )
    where = f" at {f.mentor_institution}" if f.mentor_institution else ""
    lines = [
        f"Meeting with {f.salutation}{where}",
        "",
        "Before the meeting",
        "- Read their two or three most recent papers or talks and note one question on each.",
        "- Bring a one-page CV and a pen; write their advice down as they give it.",
        "",
        "Agenda (about 20 minutes)",
        "1. Thanks, and a one-minute introduction: who I am and what I am working toward.",
        "2. Their path: how they chose their field and what they would tell their younger self.",
        "3. What matters at my stage, and what can wait.",
        f"4. My interests: {topic}, and where I could contribute.",
        "5. My questions (pick two):",
        *[f"   - {q}" for q in questions],
        "6. Next steps: what they suggest I do, and whether I may follow up in a few weeks.",
        "",
        "Afterwards",
        "- Send a thank-you note within a day.",
        "- Log the meeting and each suggestion as an action item, then report back.",
    ]
    return Draft(
        "agenda", KINDS["agenda"], f"Agenda: meeting with {f.salutation}", "\n".join(lines)
    )


def update(f: DraftFacts) -> Draft:
    bullets: list[str] = []
    for a in f.achievements[:3]:
        detail = f" ({a.detail.strip().rstrip('.')})" if a.detail.strip() else ""
        bullets.append(f"- {a.text.rstrip('.')}{detail}.")
    # Quoted, so the sentence reads right however the suggestion was written down.
    for d in f.done[:2]:
        bullets.append(f"- Your suggestion “{d.text.strip().rstrip('.')}”: done, thank you.")
    for d in f.declined[:2]:
        # The reason is the applicant's own note, in any form ("Not enough time this
        # semester", "the deadline passed"): after a dash it reads right either way.
        why = f" — {_lower(d.detail).rstrip('.')}" if d.detail.strip() else ""
        bullets.append(
            f"- Your suggestion “{d.text.strip().rstrip('.')}”: I thought it over and decided "
            f"against it for now{why}."
        )
    if not bullets:
        bullets.append("- (Two or three lines of news since we last spoke.)")
    questions = []
    if f.open_items:
        questions.append(
            f"- I am still working on “{f.open_items[0].text.strip().rstrip('.')}”; "
            "is there anything I should do differently?"
        )
    if f.interest:
        questions.append(f"- What should I focus on next as I prepare for {f.interest}?")
    if not questions:
        questions.append("- (One or two questions or decisions you would value their view on.)")
    since = _since(f.last_contact, f.today)
    opening = (
        f"I hope you are well. Since we spoke {since}, I wanted to share a short update."
        if since
        else "I hope you are well. I wanted to share a short update."
    )
    body = (
        f"Dear {f.salutation},\n\n{opening}\n\n"
        + "\n".join(bullets[:5])
        + "\n\nA question or two, if you have a moment:\n"
        + "\n".join(questions[:2])
        + "\n\nThank you again for your guidance; it has made a real difference. "
        "I will keep you posted.\n\n"
        f"Best regards,\n{f.applicant}"
    )
    subject = f"An update from {f.applicant}"
    if f.achievements:
        subject = f"Update: {f.achievements[0].text.rstrip('.')}"[:120]
    return Draft("update", KINDS["update"], subject, body)


def _lower(text: str) -> str:
    text = text.strip()
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def make(kind: str, f: DraftFacts, to: str = "") -> Draft:
    builder = {"first_contact": first_contact, "agenda": agenda, "update": update}[kind]
    d = builder(f)
    return Draft(d.kind, d.title, d.subject, d.body, to, d.tips)
