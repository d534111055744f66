"""What happened with an application, in one sentence a writer is glad to read (pure).

Each program (or school, or position) on an application moves through stages; the
sentence counts interviews and names where the applicant matched, was admitted or
accepted an offer. Any number of programs, none to many, reads as whole sentences.

>>> facts = [ProgramFacts("State University IM", "matched", rank=1),
...          ProgramFacts("County Medical Center", "ranked"),
...          ProgramFacts("Lakeside Health", "interviewed")]
>>> summary(facts, match=True)
'I interviewed at 3 programs and matched at State University IM, my first choice.'
>>> summary([], match=True)
''
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from preceptor.lib import text as words

__all__ = ["INTERVIEWED", "STAGES", "ProgramFacts", "summary"]

# In the order a program moves; "declined", "rejected" and "withdrawn" are side exits.
STAGES: dict[str, str] = {
    "applied": "applied",
    "invited": "invited to interview",
    "interviewed": "interviewed",
    "ranked": "ranked",
    "waitlisted": "waitlisted",
    "offer": "offer or acceptance received",
    "accepted": "offer accepted",
    "matched": "matched here",
    "rejected": "not offered",
    "withdrawn": "withdrew",
}
# Stages that mean an interview took place.
INTERVIEWED = frozenset({"interviewed", "ranked", "waitlisted", "offer", "accepted", "matched"})


@dataclass(frozen=True)
class ProgramFacts:
    program: str
    stage: str
    rank: int | None = None


def summary(programs: Sequence[ProgramFacts], *, match: bool) -> str:
    """One or two sentences on how it went ("" when nothing is recorded yet).

    ``match`` is true for services that end in a Match (ERAS): there one "matched" is the
    result; elsewhere offers and the one accepted are.
    """
    if not programs:
        return ""
    noun = "program" if match else "place"
    interviews = sum(p.stage in INTERVIEWED for p in programs)
    invited = sum(p.stage == "invited" for p in programs)
    matched = next((p for p in programs if p.stage == "matched"), None)
    accepted = next((p for p in programs if p.stage == "accepted"), None)
    offers = [p for p in programs if p.stage in ("offer", "accepted")]
    head = f"I interviewed at {words.count(interviews, noun)}" if interviews else ""
    if matched is not None:
        first = ", my first choice" if matched.rank == 1 else ""
        result = f"matched at {matched.program}{first}"
    elif accepted is not None:
        others = len(offers) - 1
        extra = f" (one of {words.count(len(offers), 'offer')})" if others else ""
        result = f"accepted a place at {accepted.program}{extra}"
    elif offers:
        result = f"received {words.count(len(offers), 'offer')}, and I am deciding now"
    elif invited:
        more = "more interview" if interviews else "interview"
        result = f"have {words.count(invited, more)} ahead"
    else:
        result = "am waiting for the results"
    if head:
        return f"{head} and {result}."
    return f"I {result}."
