"""Coverage of the mentor network for a target, and the gaps to fill, by applicant stage.

Pure: plain values in, sentences out. "Ready" means a readiness score of at least
:data:`READY`; the gaps follow DOMAIN.md §2 and §4 (a research mentor, a clinical mentor and
a career advisor; for medical school, science faculty; for residency, two or three writers
in the specialty).

>>> r = coverage([Member("Dr. A", "attending", "clinical", "Internal Medicine", "", "MD",
...                      "active", 72)], stage="medical_student", service="eras",
...              specialty="Internal Medicine")
>>> r.gaps[0]
'One writer ready in Internal Medicine; residency programs usually want two or three.'
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from preceptor.lib import text as words

__all__ = ["READY", "Coverage", "Member", "coverage"]

READY = 60

ROLE_LABELS = {
    "attending": "Attending physicians",
    "resident": "Residents or fellows",
    "pi": "Principal investigators",
    "course_director": "Course or clerkship directors",
    "advisor": "Academic or career advisors",
    "shadowed": "Physicians shadowed",
    "other": "Other",
}
NETWORK_LABELS = {
    "research": "Research mentor",
    "clinical": "Clinical mentor",
    "career": "Career advisor",
}


@dataclass(frozen=True)
class Member:
    name: str
    role: str
    network_role: str
    specialty: str
    faculty: str
    degree: str
    status: str
    score: int
    prominence: str = ""


@dataclass
class Coverage:
    by_role: list[tuple[str, int, list[str]]] = field(default_factory=list)
    by_network_role: list[tuple[str, list[str]]] = field(default_factory=list)
    relevant: list[str] = field(default_factory=list)
    relevant_label: str = ""
    ready: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    strengths: list[str] = field(default_factory=list)


def _counted(n: int, one: str, many: str | None = None) -> str:
    """ "No mentors", "One writer", "Two writers": the start of a sentence."""
    return words.count(n, one, many, words=True).capitalize()


def _same(a: str, b: str) -> bool:
    a, b = a.strip().lower(), b.strip().lower()
    return bool(a and b) and (a == b or a in b or b in a)


def coverage(members: list[Member], *, stage: str, service: str, specialty: str) -> Coverage:
    live = [m for m in members if m.status != "former"]
    out = Coverage()
    roles = Counter(m.role for m in live)
    for key, label in ROLE_LABELS.items():
        names = [m.name for m in live if m.role == key]
        if names:
            out.by_role.append((label, roles[key], names))
    for key, label in NETWORK_LABELS.items():
        out.by_network_role.append((label, [m.name for m in live if m.network_role == key]))
    out.ready = [m.name for m in live if m.score >= READY]

    med_school = service in ("amcas", "aacomas", "tmdsas") or (
        stage == "premed" and service == "other"
    )
    if med_school:
        science = [m for m in live if m.faculty == "science"]
        non_science = [m for m in live if m.faculty == "non_science"]
        out.relevant = [m.name for m in science]
        out.relevant_label = "Science faculty"
        if len(science) < 2:
            out.gaps.append(
                f"{_counted(len(science), 'science faculty member', 'science faculty')} in your "
                "network; most MD schools ask for two science letters."
            )
        else:
            out.strengths.append(
                f"{_counted(len(science), 'science faculty member', 'science faculty')}."
            )
        if not non_science:
            out.gaps.append(
                "No non-science faculty; many schools want one letter from outside the sciences."
            )
        if not any(m.degree in ("MD", "DO", "MD, PhD") for m in live):
            out.gaps.append(
                "No physician yet; a doctor you shadowed or worked with shows clinical exposure."
            )
        if service == "aacomas" and not any(m.degree == "DO" for m in live):
            out.gaps.append(
                "No DO physician; some osteopathic schools require or prefer a DO letter."
            )
    else:
        in_specialty = [m for m in live if _same(m.specialty, specialty)]
        ready_in = [m for m in in_specialty if m.score >= READY]
        out.relevant = [m.name for m in in_specialty]
        out.relevant_label = f"In {specialty}" if specialty else "In your target specialty"
        if not specialty:
            out.gaps.append(
                "Set your specialty of interest in your profile to see specialty coverage."
            )
        elif len(ready_in) < 2:
            head = f"{_counted(len(ready_in), 'writer')} ready in {specialty}"
            if service == "eras_fellowship":
                out.gaps.append(f"{head}; fellowships usually want three, one of them your PD.")
            else:
                out.gaps.append(f"{head}; residency programs usually want two or three.")
        else:
            out.strengths.append(f"{_counted(len(ready_in), 'writer')} ready in {specialty}.")
        fellowship = service == "eras_fellowship" or stage == "resident"
        if fellowship and not any(m.prominence == "program_director" for m in live):
            out.gaps.append("No program director recorded; fellowships often expect their letter.")
        if len(out.ready) < 3:
            out.gaps.append(
                f"{_counted(len(out.ready), 'mentor')} ready to write in all; plan for three or "
                "four, with a backup."
            )
    for label, names in out.by_network_role:
        if not names:
            out.gaps.append(
                f"No {label.lower()}: a network needs research, clinical and career mentors."
            )
    return out
