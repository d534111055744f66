"""Who could write a strong letter for a target, with the reasons, as a transparent score.

Pure: plain dataclasses in, a score with sentences out; no ORM. The score is a sum of
parts, each never decreasing in what it measures (more months, more direct supervision,
more interactions, more examples ...), so that doing more with a mentor never lowers it;
the property tests hold us to that. Pitfalls (famous but distant, contact only around asks,
no follow-through, long silence) are warnings beside the score, not hidden penalties.

The weights (out of 100):

==================  ====  ============================================================
part                max   full marks at
==================  ====  ============================================================
months known         20   12 months
direct supervision   25   12 weeks of clinical or research supervision
interactions         15   8 interactions, the last within a month
specific examples    10   3 examples on record
relevance            15   same specialty (residency) / science faculty (AMCAS) ...
follow-through       10   every closed piece of advice reported back
reciprocity           5   2 things offered or done for them
==================  ====  ============================================================
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from preceptor.lib.text import count

__all__ = [
    "SERVICES",
    "ActionFacts",
    "Assessment",
    "InteractionFacts",
    "MentorFacts",
    "PeriodFacts",
    "assess",
    "normalize_service",
]

SERVICES = ("amcas", "aacomas", "tmdsas", "eras", "eras_fellowship", "direct", "carms", "other")
RESIDENCY = ("eras", "eras_fellowship", "carms")
MED_SCHOOL = ("amcas", "aacomas", "tmdsas")

DIRECT_KINDS = ("clinical", "research")
# Points per week for supervision that is not direct (capped below).
_INDIRECT_CAP = {"course": 8, "advising": 8, "shadowing": 4}


def _count(n: int, noun: str, plural: str | None = None) -> str:
    return count(n, noun, plural, words=True)


@dataclass(frozen=True)
class PeriodFacts:
    kind: str
    start: dt.date
    end: dt.date | None = None
    title: str = ""
    has_description: bool = False


@dataclass(frozen=True)
class InteractionFacts:
    occurred_on: dt.date
    initiated_by: str = "me"
    was_ask: bool = False
    has_example: bool = False
    gave_back: bool = False


@dataclass(frozen=True)
class ActionFacts:
    status: str  # open / done / declined
    reported_back: bool = False
    due_on: dt.date | None = None


@dataclass(frozen=True)
class MentorFacts:
    name: str
    status: str = "active"
    met_on: dt.date | None = None
    specialty: str = ""
    degree: str = ""
    faculty: str = ""
    prominence: str = ""
    periods: tuple[PeriodFacts, ...] = ()
    interactions: tuple[InteractionFacts, ...] = ()
    actions: tuple[ActionFacts, ...] = ()
    # Letters this mentor has already submitted for you (any application).
    letters_written: int = 0


@dataclass(frozen=True)
class Assessment:
    score: int
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    parts: dict[str, int] = field(default_factory=dict)


def normalize_service(service: str) -> str:
    """The letters app's service key; anything unknown counts as "other".

    >>> normalize_service("ERAS"), normalize_service("scholarship")
    ('eras', 'other')
    """
    key = (service or "").strip().lower()
    return key if key in SERVICES else "other"


def _same_specialty(a: str, b: str) -> bool:
    a, b = a.strip().lower(), b.strip().lower()
    return bool(a and b) and (a == b or a in b or b in a)


def _weeks(p: PeriodFacts, today: dt.date) -> float:
    end = min(p.end or today, today)
    return max(0, (end - p.start).days) / 7


def _months(days: int) -> int:
    return int(days / 30.44)


def _months_known(f: MentorFacts, today: dt.date) -> tuple[int, str | None]:
    starts = [d for d in (f.met_on, *(p.start for p in f.periods)) if d and d <= today]
    starts += [i.occurred_on for i in f.interactions if i.occurred_on <= today]
    if not starts:
        return 0, None
    months = _months((today - min(starts)).days)
    points = min(20, round(months * 20 / 12))
    if months < 1:
        return points, "You met less than a month ago."
    return points, f"Knows you {_count(months, 'month')}."


def _supervision(f: MentorFacts, today: dt.date) -> tuple[int, list[str]]:
    direct = [p for p in f.periods if p.kind in DIRECT_KINDS and p.start <= today]
    reasons = []
    points = 0.0
    if direct:
        weeks = sum(_weeks(p, today) for p in direct)
        points = min(25, 10 + weeks * 15 / 12)
        longest = max(direct, key=lambda p: _weeks(p, today))
        what = longest.title or ("research" if longest.kind == "research" else "clinical work")
        verb = "Supervised your research" if longest.kind == "research" else "Supervised you"
        on = f" on {what}" if longest.title else ""
        reasons.append(
            f"{verb} directly{on} ({_count(round(weeks), 'week')} of direct supervision in all)."
        )
    indirect = 0.0
    for kind, cap in _INDIRECT_CAP.items():
        weeks = sum(_weeks(p, today) for p in f.periods if p.kind == kind and p.start <= today)
        if weeks:
            indirect += min(cap, 2 + weeks / 2)
    if indirect and not direct:
        kinds = sorted({p.kind for p in f.periods if p.kind in _INDIRECT_CAP})
        reasons.append(f"Knows your work from {' and '.join(kinds)}, not direct supervision.")
    return round(min(25.0, points + indirect)), reasons


def _interactions(f: MentorFacts, today: dt.date) -> tuple[int, str | None, int | None]:
    past = [i for i in f.interactions if i.occurred_on <= today]
    if not past:
        return 0, "No interactions logged yet.", None
    last = max(i.occurred_on for i in past)
    days = (today - last).days
    recency = (
        7 if days <= 30 else 5 if days <= 90 else 3 if days <= 180 else 1 if days <= 365 else 0
    )
    points = min(8, len(past)) + recency
    # "This month" would be wrong for a contact on the 16th of last month: count days.
    when = (
        "today"
        if days == 0
        else "yesterday"
        if days == 1
        else f"{_count(days, 'day')} ago"
        if days <= 30
        else f"{_count(_months(days), 'month')} ago"
    )
    return points, f"{_count(len(past), 'interaction').capitalize()} logged, the last {when}.", days


def _examples(f: MentorFacts) -> tuple[int, str | None]:
    n = sum(p.has_description for p in f.periods) + sum(i.has_example for i in f.interactions)
    if not n:
        return 0, None
    return min(10, round(n * 10 / 3)), f"{_count(n, 'specific example').capitalize()} on record."


def _relevance(f: MentorFacts, service: str, specialty: str) -> tuple[int, str | None]:
    if service in MED_SCHOOL:
        if service == "aacomas" and f.degree == "DO":
            return 15, "A DO physician, which some osteopathic schools ask for."
        if f.faculty == "science":
            return 15, "Science faculty, which medical schools ask for."
        if f.faculty == "non_science":
            return 10, "Non-science faculty: counts toward the usual mix of letters."
        if f.degree in ("MD", "DO", "MD, PhD"):
            return 8, "A physician who can speak to your clinical motivation."
        return 5, None
    if _same_specialty(f.specialty, specialty):
        return 15, f"Works in your target specialty ({specialty})."
    if service in RESIDENCY:
        if f.specialty:
            return 5, f"Works in {f.specialty}, not {specialty or 'your target specialty'}."
        return 5, None
    return 8 if f.specialty else 5, None


def _follow_through(f: MentorFacts, today: dt.date) -> tuple[int, list[str], int]:
    closed = [a for a in f.actions if a.status in ("done", "declined")]
    unreported = sum(not a.reported_back for a in closed)
    reasons: list[str] = []
    if not closed:
        return 5, reasons, 0
    reported = len(closed) - unreported
    if reported:
        reasons.append(f"You reported back on {_count(reported, 'piece')} of their advice.")
    if unreported:
        noun = "piece of advice" if unreported == 1 else "pieces of advice"
        reasons.append(f"{_count(unreported, noun, noun).capitalize()} not reported back.")
    return round(10 * reported / len(closed)), reasons, unreported


def _reciprocity(f: MentorFacts) -> tuple[int, str | None]:
    n = sum(i.gave_back for i in f.interactions)
    if not n:
        return 0, None
    return (3 if n == 1 else 5), f"You have given back to them {_count(n, 'time')}."


def assess(f: MentorFacts, *, service: str, specialty: str, today: dt.date) -> Assessment:
    """Score one mentor for a target; reasons and warnings as plain sentences.

    >>> today = dt.date(2026, 9, 1)
    >>> a = assess(MentorFacts(name="Dr. Ana Ortiz", specialty="Internal Medicine",
    ...     met_on=dt.date(2025, 7, 1),
    ...     periods=(PeriodFacts("clinical", dt.date(2026, 1, 5), dt.date(2026, 2, 1),
    ...                          "the medicine clerkship"),)),
    ...     service="eras", specialty="Internal Medicine", today=today)
    >>> a.score
    55
    >>> for line in a.reasons[:3]:
    ...     print(line)
    Knows you 14 months.
    Supervised you directly on the medicine clerkship (four weeks of direct supervision in all).
    No interactions logged yet.
    """
    service = normalize_service(service)
    reasons: list[str] = []
    warnings: list[str] = []
    parts: dict[str, int] = {}

    parts["months"], why = _months_known(f, today)
    if why:
        reasons.append(why)
    parts["supervision"], why_list = _supervision(f, today)
    reasons += why_list
    parts["interactions"], why, days_since = _interactions(f, today)
    if why:
        reasons.append(why)
    parts["examples"], why = _examples(f)
    if why:
        reasons.append(why)
    parts["relevance"], why = _relevance(f, service, specialty)
    if why:
        reasons.append(why)
    parts["follow_through"], why_list, unreported = _follow_through(f, today)
    reasons += why_list
    parts["reciprocity"], why = _reciprocity(f)
    if why:
        reasons.append(why)
    if f.letters_written:
        parts["letters_written"] = 5
        reasons.append(
            f"Has already written you {_count(f.letters_written, 'letter')}: they know your "
            "work on paper, and another letter is a smaller ask."
        )

    # Warnings: the pitfalls DOMAIN.md §2-3 names.
    direct = any(p.kind in DIRECT_KINDS for p in f.periods)
    past = [i for i in f.interactions if i.occurred_on <= today]
    if f.prominence and not direct and len(past) < 3:
        warnings.append(
            "Well known, but has not seen your work closely: a letter from someone who "
            "knows you well usually carries more weight."
        )
    asks = sum(i.was_ask for i in past)
    if asks and asks * 2 >= len(past):
        warnings.append(
            "Most of your contact has been to ask for something; share news before the next ask."
        )
    overdue_open = sum(
        a.status == "open" and a.due_on is not None and a.due_on < today for a in f.actions
    )
    if unreported >= 2 or overdue_open:
        bits = []
        if unreported:
            bits.append(f"{_count(unreported, 'piece')} of advice you acted on but never mentioned")
        if overdue_open:
            bits.append(f"{_count(overdue_open, 'suggestion')} past due")
        warnings.append(f"Follow-through: {' and '.join(bits)}. Close the loop before you ask.")
    if days_since is None:
        warnings.append("No contact logged yet.")
    elif days_since > 180:
        warnings.append(
            f"Long silence: no contact in {_count(_months(days_since), 'month')}. "
            "Send an update before asking."
        )
    if parts["months"] < 5 and past:
        warnings.append("Known for less than three months; letters carry more after several.")
    if f.status in ("prospect", "former"):
        warnings.append(f"Marked as a {f.status} mentor.")

    score = max(0, min(100, sum(parts.values())))
    return Assessment(score=score, reasons=reasons, warnings=warnings, parts=parts)
