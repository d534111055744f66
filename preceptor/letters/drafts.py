"""Email drafts for every step of a letter request, filled from the data (pure).

Each draft is short and specific, in the product's own words; the applicant edits it,
copies it or opens it in their mail program through its ``mailto:`` link.

Examples
--------
>>> import datetime as dt
>>> ctx = DraftContext(applicant="Jordan Rivera", writer="Dr. Ana Patel",
...     writer_email="apatel@example.edu", service="ERAS residency",
...     specialty="Internal Medicine", personal_deadline=dt.date(2027, 9, 1),
...     official_deadline=dt.date(2027, 9, 15))
>>> d = draft("ask", ctx)
>>> d.subject
'Would you write me a strong letter for Internal Medicine residency?'
>>> d.mailto.startswith("mailto:apatel@example.edu?subject=Would%20you")
True
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import quote

__all__ = ["DRAFT_FOR_STATUS", "STEPS", "Draft", "DraftContext", "draft", "goal_of", "salutation"]

# The draft each status calls for next.
DRAFT_FOR_STATUS = {
    "candidate": "meeting_request",
    "planned": "ask",
    "asked": "check_in",
    "agreed": "follow_up",
    "hesitant": "clarify",
    "declined": "decline_thanks",
    "packet_sent": "form",
    "form_sent": "reminder_1",
    "reminded": "reminder_2",
    "submitted": "thank_you",
    "thanked": "outcome_update",
    "outcome_shared": "keep_in_touch",
}

STEPS = {
    "meeting_request": "Ask for a short meeting",
    "ask": "Ask for a strong letter",
    "check_in": "A friendly check-in",
    "follow_up": "Follow-up with your packet (within 48 hours)",
    "clarify": "Clarify timeline and expectations",
    "decline_thanks": "Thank them for the answer",
    "form": "Send the request form or letter ID",
    "reminder_1": "First reminder (about 3 weeks before)",
    "reminder_2": "Last reminder (about 1 week before)",
    "thank_you": "Thank-you note",
    "outcome_update": "Outcome update",
    "keep_in_touch": "Keep in touch",
}


@dataclass(frozen=True)
class DraftContext:
    applicant: str
    writer: str
    writer_email: str = ""
    service: str = ""
    specialty: str = ""
    personal_deadline: dt.date | None = None
    official_deadline: dt.date | None = None
    programs: list[str] = field(default_factory=list)
    instructions: str = ""
    portal_url: str = ""
    letter_id: str = ""
    strengths: list[str] = field(default_factory=list)
    # From the mentor's record: "the medicine clerkship (July to August 2026)", and one
    # concrete moment the applicant wrote down (offered in the ask, never pasted).
    worked_on: str = ""
    moment: str = ""
    # Whether they supervised your own work (clinical or research): only then does the ask
    # say "You saw my work closely".
    saw_closely: bool = True
    outcome: str = ""
    school: str = ""


@dataclass(frozen=True)
class Draft:
    key: str
    title: str
    to: str
    subject: str
    body: str

    @property
    def mailto(self) -> str:
        query = f"subject={quote(self.subject)}&body={quote(self.body)}"
        return f"mailto:{quote(self.to, safe='@')}?{query}"


def salutation(full_name: str, degree: str = "") -> str:
    """ "Dr. Patel" for a doctor (MD, DO, PhD ...), otherwise the full name.

    >>> salutation("Ana Patel", "MD, PhD")
    'Dr. Patel'
    >>> salutation("Sam Lee", "MS")
    'Sam Lee'
    """
    name = full_name.strip()
    if name.lower().startswith("dr"):
        return name
    degrees = {d.strip().upper().replace(".", "") for d in degree.replace("/", ",").split(",")}
    if degrees & {"MD", "DO", "PHD", "MBBS", "DMD", "DDS", "PHARMD", "DPT", "DNP", "MD PHD"}:
        return f"Dr. {name.split()[-1]}" if name else "Doctor"
    return name


def _d(day: dt.date | None) -> str:
    return f"{day:%A, %B} {day.day}" if day else "(your personal deadline)"


def goal_of(ctx: DraftContext) -> str:
    """What the letter is for, in words: "Internal Medicine residency", "medical school"."""
    if ctx.specialty and ctx.service.startswith("ERAS"):
        kind = "fellowship" if "fellowship" in ctx.service.lower() else "residency"
        return f"{ctx.specialty} {kind}"
    if ctx.service.startswith(("AMCAS", "AACOMAS", "TMDSAS")):
        return "medical school"
    return ctx.specialty or ctx.service or "my application"


def _bullets(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def _sign(ctx: DraftContext) -> str:
    return f"\n\nWith thanks,\n{ctx.applicant}"


def draft(key: str, ctx: DraftContext) -> Draft:
    """The draft ``key`` (one of :data:`STEPS`) filled from ``ctx``."""
    if key not in STEPS:
        raise ValueError(f"“{key}” is not a draft; use one of {sorted(STEPS)}.")
    goal = goal_of(ctx)
    hello = f"Dear {ctx.writer},\n\n"
    deadline = _d(ctx.personal_deadline)
    programs = ""
    if ctx.programs:
        shown = ctx.programs[:8]
        more = f"\n(and {len(ctx.programs) - 8} more)" if len(ctx.programs) > 8 else ""
        programs = f"\n\nWhere I am applying:\n{_bullets(shown)}{more}"
    subject: str
    body: str
    if key == "meeting_request":
        subject = "A short meeting about my next step?"
        body = (
            f"{hello}I am preparing my {goal} application and would value your advice. "
            "Would you have 15 to 20 minutes in the next two weeks to meet, in person or by "
            "video? I would like to hear your thoughts on my plans and ask about a letter."
            f"{_sign(ctx)}"
        )
    elif key == "ask":
        subject = f"Would you write me a strong letter for {goal}?"
        worked = ctx.worked_on.strip()
        together = f"working with you on {worked}" if worked else "working with you"
        # The moments themselves are the applicant's notes (often about the writer, in the
        # third person): the email offers them, the packet carries them.
        remembered = (
            " I have noted a few specific moments from that time that I can send you."
            if ctx.moment.strip()
            else ""
        )
        why = " You saw my work closely, so I" if ctx.saw_closely else " I"
        body = (
            f"{hello}I am applying for {goal} this cycle, and {together} has shaped that "
            f"choice.{remembered}{why} would be grateful to ask: do "
            "you feel you know my work well enough to write me a strong letter of "
            f"recommendation?\n\nLetters are due by {deadline}. If the timing or anything "
            f"else makes it difficult, I completely understand; please say so.{_sign(ctx)}"
        )
    elif key == "check_in":
        subject = "Following up on my letter request"
        body = (
            f"{hello}I wanted to follow up gently on my note about a letter for my {goal} "
            "application. I know how busy you are; if it is not a good time, that is "
            f"entirely fine.{_sign(ctx)}"
        )
    elif key == "follow_up":
        strengths = (
            f"\n\nIf it helps, these are the qualities I hope the letter can speak to:\n"
            f"{_bullets(ctx.strengths)}"
            if ctx.strengths
            else ""
        )
        how = f"\n\nHow to submit: {ctx.instructions.strip()}" if ctx.instructions.strip() else ""
        if ctx.portal_url:
            how += f"\nWhere: {ctx.portal_url}"
        letter_id = f"\nLetter ID: {ctx.letter_id}" if ctx.letter_id else ""
        body = (
            f"{hello}Thank you so much for agreeing to write for me. I have attached my packet: "
            "my CV, a draft of my personal statement, a summary of our work together and "
            f"the details below.\n\nPlease submit by {deadline}.{how}{letter_id}"
            f"{strengths}{programs}\n\nIf anything else would help, just tell me.{_sign(ctx)}"
        )
        subject = f"Thank you, and my materials for the {goal} letter"
    elif key == "clarify":
        subject = "Thank you, and a question about timing"
        body = (
            f"{hello}Thank you for considering a letter for me. So that this stays easy for "
            f"you: letters are due by {deadline}. Would that timing work, and is there "
            "anything I can send that would make writing it easier? If it turns out not to "
            f"fit, I will completely understand.{_sign(ctx)}"
        )
    elif key == "decline_thanks":
        subject = "Thank you"
        body = (
            f"{hello}Thank you for letting me know, and for being straightforward with me. "
            "I appreciate everything I have learned working with you, and I hope to keep you "
            f"posted on how things go.{_sign(ctx)}"
        )
    elif key == "form":
        letter_id = f"\nMy letter ID for you: {ctx.letter_id}" if ctx.letter_id else ""
        how = ctx.instructions.strip() or f"The {ctx.service} letter portal will contact you."
        if ctx.portal_url:
            how += f"\n\nWhere: {ctx.portal_url}"
        subject = f"How to submit the letter ({ctx.service})" if ctx.service else "How to submit"
        body = (
            f"{hello}Here is how the letter reaches {ctx.service or 'the programs'}:\n\n{how}"
            f"{letter_id}\n\nMy deadline for letters is {deadline}. Thank you again."
            f"{_sign(ctx)}"
        )
    elif key == "reminder_1":
        subject = f"A gentle reminder: letter due {deadline}"
        body = (
            f"{hello}I hope all is well. A quick note that my letters are due by {deadline}. "
            "Is there anything more I can send you, or a question I can answer?"
            f"{_sign(ctx)}"
        )
    elif key == "reminder_2":
        subject = f"Letter due {deadline}"
        body = (
            f"{hello}Just a brief note that my deadline of {deadline} is a week away. Thank "
            f"you again for writing on my behalf; I know how much time it takes.{_sign(ctx)}"
        )
    elif key == "thank_you":
        subject = "Thank you for my letter"
        body = (
            f"{hello}Your letter has been received. Thank you for the time and care you put "
            f"into it; it means a great deal to me. I will let you know how my {goal} "
            f"applications turn out.{_sign(ctx)}"
        )
    elif key == "outcome_update":
        # The outcome sentence comes from what the applicant recorded (letters.outcomes);
        # with nothing recorded yet the note is an honest "still under way".
        outcome = ctx.outcome.strip()
        news = (
            f"I wanted you to hear it from me: {outcome}"
            if outcome
            else f"My {'' if goal == 'my application' else goal + ' '}applications are under "
            "way, and I will write again when I hear."
        )
        worked = ctx.worked_on.strip()
        part = (
            f" Your letter about our work on {worked} was a real part of that."
            if outcome and worked
            else " Your letter was a real part of that."
            if outcome
            else ""
        )
        subject = "An update on my applications" if not outcome else "How it went, and thank you"
        body = (
            f"{hello}{news}{part}\n\nThank you again for your letter and your support along "
            f"the way. I would be glad to stay in touch.{_sign(ctx)}"
        )
    else:  # keep_in_touch
        subject = "Catching up"
        body = (
            f"{hello}It has been a few months, and I wanted to share how things are going "
            "and hear how you are. Would you have time for a short conversation soon?"
            f"{_sign(ctx)}"
        )
    return Draft(key=key, title=STEPS[key], to=ctx.writer_email, subject=subject, body=body)
