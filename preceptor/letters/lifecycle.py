"""The life cycle of a letter request, as plain data (no Django import).

A request moves from an idea (``candidate``) through the ask, the writer's answer, the
follow-up and packet, the service's request form, reminders, submission, the thank-you and
the outcome update. :data:`TRANSITIONS` lists every allowed move; anything else is refused.

Who may make a move: the applicant may make any allowed move. A writer (through the
writers app's signed link) may only answer an ask and confirm a submission; a portal (an
import of a service's status page) may only confirm a submission; the system (the notify
app) may only record a reminder it sent.

Examples
--------
>>> can_transition("asked", "agreed")
True
>>> can_transition("candidate", "submitted")
False
>>> print(explain_refusal("thanked", "asked", actor="applicant"))  # doctest: +NORMALIZE_WHITESPACE
This request is “thanked”; it cannot go back to “asked”.
From “thanked” it can only go to: outcome update sent.
>>> print(explain_refusal("packet_sent", "planned"))  # doctest: +NORMALIZE_WHITESPACE
This request is “follow-up and packet sent”; it cannot go back to “planned”.
From “follow-up and packet sent” it can only go to: declined, request form / letter ID sent,
reminded, submitted.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "ACTIVE",
    "ACTORS",
    "AGREED",
    "CONFIRMERS",
    "LABELS",
    "NEXT_ACTION",
    "PRE_ASK",
    "STATUSES",
    "SUBMITTED",
    "TRANSITIONS",
    "USUAL_NEXT",
    "WRITER_LABELS",
    "allowed_for",
    "can_transition",
    "explain_refusal",
    "menu",
]

# In the order a request normally travels; "declined" is the side exit.
STATUSES: Final[tuple[str, ...]] = (
    "candidate",
    "planned",
    "asked",
    "agreed",
    "hesitant",
    "declined",
    "packet_sent",
    "form_sent",
    "reminded",
    "submitted",
    "thanked",
    "outcome_shared",
)

LABELS: Final[dict[str, str]] = {
    "candidate": "candidate",
    "planned": "planned",
    "asked": "asked",
    "agreed": "agreed (yes)",
    "hesitant": "hesitant yes",
    "declined": "declined",
    "packet_sent": "follow-up and packet sent",
    "form_sent": "request form / letter ID sent",
    "reminded": "reminded",
    "submitted": "submitted",
    "thanked": "thanked",
    "outcome_shared": "outcome update sent",
}

# The same states as the writer sees them through their link: about their part, in their words.
WRITER_LABELS: Final[dict[str, str]] = {
    "candidate": "not asked yet",
    "planned": "not asked yet",
    "asked": "waiting for your answer",
    "agreed": "you said yes; the letter is not in yet",
    "hesitant": "you said yes; the letter is not in yet",
    "declined": "you declined",
    "packet_sent": "you said yes; the letter is not in yet",
    "form_sent": "you said yes; the letter is not in yet",
    "reminded": "you said yes; the letter is not in yet",
    "submitted": "letter submitted",
    "thanked": "letter submitted",
    "outcome_shared": "letter submitted",
}

# What the applicant should do next in each state (shown on the request page).
NEXT_ACTION: Final[dict[str, str]] = {
    "candidate": "Decide whether this person should write for this application, then plan the ask.",
    "planned": "Ask for a strong letter: request a short meeting, then ask in person or by video.",
    "asked": "Wait for the answer; if a week passes, a short, friendly check-in is fine.",
    "agreed": "Within 48 hours: thank them and send the follow-up with your packet.",
    "hesitant": "Clarify the timeline and what they can write; line up one or two backups.",
    "declined": "Thank them sincerely and ask someone else. Never press.",
    "packet_sent": "Send the service's request form or letter ID so they know how to submit.",
    "form_sent": "Wait; send a polite reminder about three weeks before your personal deadline.",
    "reminded": "If the letter is still not in about a week before your deadline, one last note.",
    "submitted": "Send a thank-you note now.",
    "thanked": "When results arrive (interviews, acceptances, Match Day), tell them.",
    "outcome_shared": "Keep in touch every few months; ask their advice at later decisions.",
}

TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    "candidate": frozenset({"planned", "asked"}),
    "planned": frozenset({"candidate", "asked"}),
    "asked": frozenset({"agreed", "hesitant", "declined"}),
    "hesitant": frozenset({"agreed", "declined", "packet_sent", "form_sent", "submitted"}),
    "agreed": frozenset({"packet_sent", "form_sent", "reminded", "submitted", "declined"}),
    "packet_sent": frozenset({"form_sent", "reminded", "submitted", "declined"}),
    "form_sent": frozenset({"reminded", "submitted", "declined"}),
    "reminded": frozenset({"reminded", "submitted", "declined"}),
    "submitted": frozenset({"thanked"}),
    "thanked": frozenset({"outcome_shared"}),
    "outcome_shared": frozenset(),
    "declined": frozenset(),
}

# The usual next move from each state (pre-selected in forms; the others stay available).
USUAL_NEXT: Final[dict[str, str]] = {
    "candidate": "planned",
    "planned": "asked",
    "asked": "agreed",
    "hesitant": "agreed",
    "agreed": "packet_sent",
    "packet_sent": "form_sent",
    "form_sent": "reminded",
    "reminded": "submitted",
    "submitted": "thanked",
    "thanked": "outcome_shared",
}

ACTORS: Final[tuple[str, ...]] = ("applicant", "writer", "portal", "system")
# Who made a move, as the applicant reads it in a request's history.
ACTOR_LABELS: Final[dict[str, str]] = {
    "applicant": "you",
    "writer": "the writer",
    "portal": "the service's portal",
    "system": "Preceptor",
}

# The moves each actor other than the applicant may make: (from or None for any, to).
_LIMITED: Final[dict[str, frozenset[tuple[str | None, str]]]] = {
    "writer": frozenset(
        {("asked", "agreed"), ("asked", "hesitant"), ("asked", "declined"), (None, "submitted")}
    ),
    "portal": frozenset({(None, "submitted")}),
    "system": frozenset({(None, "reminded")}),
}

# Who confirmed a submission, from the actor who recorded it.
CONFIRMERS: Final[dict[str, str]] = {
    "writer": "writer",
    "portal": "portal",
    "applicant": "applicant",
}

PRE_ASK: Final[frozenset[str]] = frozenset({"candidate", "planned"})
# The writer has said yes (or already submitted): the letter is expected.
AGREED: Final[frozenset[str]] = frozenset(
    {"agreed", "packet_sent", "form_sent", "reminded", "submitted", "thanked", "outcome_shared"}
)
SUBMITTED: Final[frozenset[str]] = frozenset({"submitted", "thanked", "outcome_shared"})
# Every state but the side exit: the request still counts toward the application.
ACTIVE: Final[frozenset[str]] = frozenset(STATUSES) - {"declined"}


def _check_status(status: str) -> None:
    if status not in TRANSITIONS:
        raise ValueError(f"“{status}” is not a letter request status; use one of {STATUSES}.")


def can_transition(from_status: str, to_status: str, *, actor: str = "applicant") -> bool:
    """Whether ``actor`` may move a request from ``from_status`` to ``to_status``."""
    _check_status(from_status)
    _check_status(to_status)
    if actor not in ACTORS:
        raise ValueError(f"“{actor}” is not an actor; use one of {ACTORS}.")
    if to_status not in TRANSITIONS[from_status]:
        return False
    if actor == "applicant":
        return True
    moves = _LIMITED[actor]
    return (from_status, to_status) in moves or (None, to_status) in moves


def allowed_for(from_status: str, *, actor: str = "applicant") -> list[str]:
    """The statuses ``actor`` may move to from ``from_status``, in life-cycle order."""
    return [s for s in STATUSES if can_transition(from_status, s, actor=actor)]


def menu(from_status: str) -> list[str]:
    """The applicant's moves for a form: the usual next one first, "declined" last."""
    moves = allowed_for(from_status)
    usual = USUAL_NEXT.get(from_status)
    return sorted(moves, key=lambda s: (s != usual, s == "declined", STATUSES.index(s)))


def explain_refusal(from_status: str, to_status: str, *, actor: str = "applicant") -> str:
    """A sentence saying why a move is refused (call only when it is)."""
    here, there = LABELS[from_status], LABELS[to_status]
    if to_status in TRANSITIONS[from_status]:
        return f"A {actor} cannot move a request from “{here}” to “{there}”."
    options = allowed_for(from_status)
    if not options:
        return f"This request is “{here}”; that is its last step, nothing follows it."
    order = STATUSES.index
    direction = "go back to" if order(to_status) < order(from_status) else "jump to"
    listed = ", ".join(LABELS[s] for s in options)
    return (
        f"This request is “{here}”; it cannot {direction} “{there}”. "
        f"From “{here}” it can only go to: {listed}."
    )
