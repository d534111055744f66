"""Letter rules by service, and the requirement checker (pure: plain values in, sentences out).

The rules themselves are data (``letters/fixtures/service_rules.json``, editable in the admin);
this module turns them into :class:`RuleSet` values, merges a service's rule with its
specialty-specific one, and says what an application's requests cover.

Examples
--------
>>> eras = RuleSet(service="eras", name="ERAS residency", min_letters=3, max_letters=4,
...     requirements=(Requirement("letters from your specialty", 2,
...                               categories=("in_specialty",)),))
>>> c = check(eras, [RequestFacts("agreed", category="in_specialty"),
...                  RequestFacts("asked", category="in_specialty"),
...                  RequestFacts("planned")])
>>> c.summary
'ERAS residency: 1 of 2 letters from your specialty agreed; 3 of at most 4 letters'
>>> c.complete
False
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from preceptor.letters.lifecycle import ACTIVE, AGREED, PRE_ASK
from preceptor.lib import text as words

__all__ = [
    "Coverage",
    "Line",
    "RequestFacts",
    "Requirement",
    "RuleSet",
    "check",
    "merge",
    "parse_requirements",
    "resolve",
]

KINDS = ("standard", "standardized", "chair", "committee", "program_director")
CATEGORIES = (
    "in_specialty",
    "other_field",
    "research",
    "science",
    "non_science",
    "do_physician",
)


@dataclass(frozen=True)
class Requirement:
    """``count`` letters matching ``kinds`` or ``categories`` (either; both empty: any letter).

    ``required`` False makes it a recommendation ("many programs want ..."); a request of one
    of ``unless_kinds`` (say, a committee letter) satisfies it on its own.
    """

    label: str
    count: int = 1
    kinds: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    required: bool = True
    unless_kinds: tuple[str, ...] = ()
    note: str = ""

    def matches(self, r: RequestFacts) -> bool:
        if not self.kinds and not self.categories:
            return True
        return r.kind in self.kinds or r.category in self.categories


@dataclass(frozen=True)
class RuleSet:
    service: str
    name: str
    specialty: str = ""
    min_letters: int = 0
    max_letters: int | None = None
    usual_mix: str = ""
    requirements: tuple[Requirement, ...] = ()
    max_file_mb: float | None = None
    file_notes: str = ""
    notes: str = ""
    source: str = ""
    portal_url: str = ""
    how_to_submit: str = ""


@dataclass(frozen=True)
class RequestFacts:
    status: str
    kind: str = "standard"
    category: str = ""


@dataclass(frozen=True)
class Line:
    state: str  # "met", "missing", "suggested", "over", "info"
    text: str


@dataclass(frozen=True)
class Coverage:
    rules: RuleSet
    summary: str
    lines: list[Line] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Every required item agreed and no limit exceeded."""
        return not any(line.state in ("missing", "over") for line in self.lines)

    @property
    def missing(self) -> list[str]:
        return [line.text for line in self.lines if line.state in ("missing", "over")]

    @property
    def suggestions(self) -> list[str]:
        return [line.text for line in self.lines if line.state == "suggested"]


def parse_requirements(data: Any) -> tuple[Requirement, ...]:
    """Requirements from their JSON form; raise ValueError naming what is wrong."""
    if not isinstance(data, list):
        raise ValueError("Requirements must be a list of objects.")
    out = []
    for i, item in enumerate(data, start=1):
        if not isinstance(item, dict) or not str(item.get("label", "")).strip():
            raise ValueError(f"Requirement {i} needs a label.")
        extra = set(item) - {
            "label",
            "count",
            "kinds",
            "categories",
            "required",
            "unless_kinds",
            "note",
        }
        if extra:
            raise ValueError(f"Requirement {i} has unknown keys: {sorted(extra)}.")
        count = item.get("count", 1)
        if not isinstance(count, int) or not 1 <= count <= 20:
            raise ValueError(f"Requirement {i}: count must be a whole number from 1 to 20.")
        kinds = tuple(item.get("kinds", ()))
        categories = tuple(item.get("categories", ()))
        unless = tuple(item.get("unless_kinds", ()))
        bad = [k for k in (*kinds, *unless) if k not in KINDS]
        bad += [c for c in categories if c not in CATEGORIES]
        if bad:
            raise ValueError(
                f"Requirement {i}: unknown kinds or categories {bad}; kinds are {KINDS}, "
                f"categories are {CATEGORIES}."
            )
        out.append(
            Requirement(
                label=str(item["label"]).strip(),
                count=count,
                kinds=kinds,
                categories=categories,
                required=bool(item.get("required", True)),
                unless_kinds=unless,
                note=str(item.get("note", "")),
            )
        )
    return tuple(out)


def merge(base: RuleSet, special: RuleSet) -> RuleSet:
    """The service rule narrowed by a specialty rule (its requirements add to the service's)."""
    return replace(
        base,
        specialty=special.specialty,
        name=special.name or base.name,
        min_letters=max(base.min_letters, special.min_letters),
        max_letters=special.max_letters if special.max_letters is not None else base.max_letters,
        usual_mix=special.usual_mix or base.usual_mix,
        requirements=base.requirements + special.requirements,
        max_file_mb=special.max_file_mb if special.max_file_mb is not None else base.max_file_mb,
        file_notes=" ".join(x for x in (base.file_notes, special.file_notes) if x),
        notes=" ".join(x for x in (base.notes, special.notes) if x),
        portal_url=special.portal_url or base.portal_url,
        how_to_submit=special.how_to_submit or base.how_to_submit,
        source="\n".join(x for x in (base.source, special.source) if x),
    )


def resolve(rules: Iterable[RuleSet], service: str, specialty: str = "") -> RuleSet:
    """The rule for ``service`` merged with its ``specialty`` rule when there is one."""
    by_key = {(r.service, r.specialty.strip().lower()): r for r in rules}
    base = by_key.get((service, "")) or RuleSet(service=service, name=service.upper())
    special = by_key.get((service, specialty.strip().lower())) if specialty else None
    return merge(base, special) if special else base


def check(
    rules: RuleSet, requests: Sequence[RequestFacts], *, max_letters: int | None = None
) -> Coverage:
    """What ``requests`` cover of ``rules``, in plain words.

    ``max_letters`` is a stricter limit from the applicant's programs, if any. Declined
    requests count for nothing; a hesitant yes counts as still awaiting a firm answer.
    """
    active = [r for r in requests if r.status in ACTIVE]
    agreed = [r for r in active if r.status in AGREED]
    limit = rules.max_letters
    if max_letters is not None and (limit is None or max_letters < limit):
        limit = max_letters
    lines: list[Line] = []
    parts: list[str] = []
    waived_by = {r.kind for r in agreed}
    for req in rules.requirements:
        if req.unless_kinds and waived_by & set(req.unless_kinds):
            lines.append(Line("met", f"{req.label}: covered by your committee letter."))
            continue
        matching = [r for r in active if req.matches(r)]
        yes = sum(1 for r in matching if r.status in AGREED)
        waiting = sum(1 for r in matching if r.status not in AGREED and r.status not in PRE_ASK)
        planned = sum(1 for r in matching if r.status in PRE_ASK)
        # "3 of 2 agreed" reads like a mistake; past the count, the requirement is simply met.
        shown = min(yes, req.count)
        text = f"{shown} of {req.count} {req.label} agreed"
        extra = []
        if waiting:
            extra.append(f"{waiting} awaiting a firm answer")
        if planned:
            extra.append(f"{planned} planned, not asked yet")
        if extra:
            text += f" ({', '.join(extra)})"
        if req.note:
            text += f". {req.note}"
        if yes >= req.count:
            state = "met"
        else:
            state = "missing" if req.required else "suggested"
            if waiting + planned + yes < req.count:
                short = req.count - yes - waiting - planned
                text += f": find {words.count(short, 'more writer', 'more writers')}"
        lines.append(Line(state, text))
        parts.append(f"{shown} of {req.count} {req.label} agreed")
    total_text = (
        f"{len(active)} of at most {words.count(limit, 'letter')}"
        if limit is not None
        else f"{words.count(len(active), 'letter', 'letters')} (no limit)"
    )
    parts.append(total_text)
    if limit is not None and len(active) > limit:
        lines.append(
            Line(
                "over",
                f"{words.count(len(active), 'letter')} are on this application but at most "
                f"{limit} can be used; choose the {limit} strongest and take the others off.",
            )
        )
    if len(agreed) < rules.min_letters:
        need = rules.min_letters - len(agreed)
        lines.append(
            Line(
                "missing",
                f"{len(agreed)} of the {words.count(rules.min_letters, 'letter')} you need "
                f"have a yes: {words.count(need, 'more yes', 'more yeses')} needed.",
            )
        )
    elif rules.min_letters:
        lines.append(
            Line(
                "met",
                f"{words.count(len(agreed), 'letter')} agreed (at least {rules.min_letters}).",
            )
        )
    if not active:
        lines.append(Line("info", "No writers yet: add the mentors you plan to ask."))
    label = rules.name
    return Coverage(rules=rules, summary=f"{label}: {'; '.join(parts)}", lines=lines)
