"""What the letters app reads from the mentors app, in one place.

The mentors app is built alongside this one; every read goes through here so that a
missing helper degrades to a plain fallback (and says so) instead of breaking a page.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from preceptor.letters.drafts import salutation
from preceptor.letters.timeline import WriterFacts
from preceptor.lib import memo

if TYPE_CHECKING:
    from preceptor.accounts.models import User

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Suggestion:
    mentor: Any
    score: int | None
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _first(obj: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        value = getattr(obj, name, None)
        if value not in (None, ""):
            return value
    return default


def mentor_model() -> Any:
    from preceptor.mentors.models import Mentor

    return Mentor


def mentors_for(user: User) -> Any:
    """The user's mentors, active ones first where the mentors app records a status."""
    qs = mentor_model().objects.filter(user=user)
    return qs.order_by("full_name")


def get_mentor_for_user(user: User, pk: Any) -> Any:
    from django.http import Http404

    try:
        return mentors_for(user).get(pk=pk)
    except (mentor_model().DoesNotExist, ValueError, TypeError) as e:
        raise Http404("No such mentor.") from e


def get_mentor_by_public_id(user: User, public_id: Any) -> Any:
    """The user's mentor by the id the mentors API shows, or 404."""
    from django.core.exceptions import ValidationError
    from django.http import Http404

    try:
        return mentors_for(user).get(public_id=public_id)
    except (mentor_model().DoesNotExist, ValueError, TypeError, ValidationError) as e:
        raise Http404("No such mentor.") from e


def salutation_for(mentor: Any) -> str:
    return salutation(
        _first(mentor, "full_name", default="") or "", _first(mentor, "degree", default="") or ""
    )


def email_for(mentor: Any) -> str:
    return _first(mentor, "email", default="") or ""


def describe(mentor: Any) -> str:
    """ "Dr. Ana Patel, MD — Internal Medicine, State University" for lists."""
    name = _first(mentor, "full_name", default=str(mentor))
    degree = _first(mentor, "degree", default="")
    bits = [b for b in (_first(mentor, "specialty"), _first(mentor, "institution")) if b]
    head = f"{name}, {degree}" if degree else str(name)
    return f"{head} — {', '.join(bits)}" if bits else head


def _periods(mentor: Any) -> list[Any]:
    """The mentor's supervision periods (read once per page: the work summary, the ask's
    facts and the writer's facts each want them)."""
    return list(memo.once(("mentor_periods", mentor.pk), lambda: _read_periods(mentor)))


def _read_periods(mentor: Any) -> list[Any]:
    try:
        from preceptor.mentors.models import SupervisionPeriod
    except ImportError:
        return []
    field_names = {f.name for f in SupervisionPeriod._meta.get_fields()}
    order = next(
        (n for n in ("start", "started_on", "start_date", "starts_on") if n in field_names), "pk"
    )
    return list(SupervisionPeriod.objects.filter(mentor=mentor).order_by(order))


def _interactions(mentor: Any) -> list[Any]:
    """The mentor's interactions (read once per page, as the periods)."""
    return list(memo.once(("mentor_interactions", mentor.pk), lambda: _read_interactions(mentor)))


def _read_interactions(mentor: Any) -> list[Any]:
    try:
        from preceptor.mentors.models import Interaction
    except ImportError:
        return []
    field_names = {f.name for f in Interaction._meta.get_fields()}
    order = next(
        (
            n
            for n in ("occurred_on", "date", "on", "happened_on", "when", "created")
            if n in field_names
        ),
        "pk",
    )
    return list(Interaction.objects.filter(mentor=mentor).order_by(order))


def _period_dates(p: Any) -> tuple[dt.date | None, dt.date | None]:
    start = _first(p, "start", "started_on", "start_date", "starts_on")
    end = _first(p, "end", "ended_on", "end_date", "ends_on")
    return start, end


def _fmt(d: dt.date | None) -> str:
    return f"{d:%B %Y}" if d else ""


def summary_of_work(mentor: Any) -> str:
    """A first draft of "our work together" from supervision periods and logged interactions.

    The applicant edits it before it goes into the packet; it only gathers the facts.
    """
    lines: list[str] = []
    for p in sorted(_periods(mentor), key=lambda p: _period_dates(p)[0] or dt.date.min):
        start, end = _period_dates(p)
        kind = p.get_kind_display() if hasattr(p, "get_kind_display") else ""
        what = _first(p, "title", default="") or kind or "Work together"
        what = what[:1].upper() + what[1:]
        if kind and what != kind:
            what = f"{what} ({kind.lower()})"
        when = f"{_fmt(start)} to {_fmt(end) or 'now'}" if start else ""
        detail = _first(p, "description", default="")
        line = f"- {what}" + (f", {when}" if when else "")
        lines.append(line + (f": {detail}" if detail else "."))
    # Concrete examples are what a writer can use; plain summaries only when there are none.
    # Contacts recorded from letter steps ("Asked for a strong letter ...") are not moments.
    interactions = [i for i in _interactions(mentor) if not getattr(i, "origin", "")]
    moments = [i for i in interactions if _first(i, "example")] or [
        i for i in interactions if _first(i, "summary")
    ]
    moments = moments[-5:]
    if moments:
        if lines:
            lines.append("")
        lines.append("Specific moments you may remember:")
        for i in moments:
            when = _first(i, "occurred_on")
            text = _first(i, "example", "summary")
            lines.append(f"- {_fmt(when) + ': ' if when else ''}{text}")
    return "\n".join(lines)


def saw_work_closely(mentor: Any) -> bool:
    """Whether any supervision period is one where the mentor watched your own work
    (clinical or research supervision), not a course, advising or shadowing."""
    direct = {"clinical", "research"}
    return any(str(getattr(p, "kind", "")) in direct for p in _periods(mentor))


def ask_facts(mentor: Any) -> tuple[str, str]:
    """(what you worked on together, one moment you wrote down) for the ask email.

    The latest supervision period ("the medicine clerkship (July to August 2026)") and the
    latest example the applicant logged; contacts recorded from letter steps are not moments.
    """
    worked = ""
    periods = sorted(_periods(mentor), key=lambda p: _period_dates(p)[0] or dt.date.min)
    if periods:
        p = periods[-1]
        start, end = _period_dates(p)
        kind = p.get_kind_display().lower() if hasattr(p, "get_kind_display") else ""
        what = (_first(p, "title", default="") or kind or "our work").strip()
        if not what.lower().startswith(("the ", "a ", "an ", "my ", "our ", "your ")):
            what = f"the {what}" if what[:1].islower() else what
        when = f"{_fmt(start)} to {_fmt(end) or 'now'}" if start else ""
        if start and end and _fmt(start) == _fmt(end):
            when = _fmt(start)
        worked = f"{what} ({when})" if when else what
    examples = [
        i for i in _interactions(mentor) if not getattr(i, "origin", "") and _first(i, "example")
    ]
    moment = str(_first(examples[-1], "example")) if examples else ""
    return worked, moment


def writer_facts(mentor: Any, today: dt.date) -> WriterFacts:
    """How long and how closely this mentor has known the applicant, for the warnings."""
    periods = _periods(mentor)
    starts = [s for s, _ in map(_period_dates, periods) if s]
    first_met = _first(mentor, "met_on", "first_met", "known_since")
    if starts:
        first_met = min([*starts, first_met] if first_met else starts)
    months = (today - first_met).days / 30.44 if first_met else None
    supervised: bool | None
    if periods:
        supervised = any(
            _first(p, "direct_supervision", "supervised", default=True) for p in periods
        )
    else:
        supervised = None
    interactions = _interactions(mentor)
    return WriterFacts(
        name=salutation_for(mentor),
        months_known=months,
        supervised_directly=supervised,
        interactions=len(interactions) if (interactions or periods) else None,
    )


def achievements_for(user: User, ids: Sequence[int] | None = None) -> list[tuple[str, str]]:
    """The applicant's achievements for the brag sheet (the chosen ones, or the latest eight)."""
    try:
        from preceptor.mentors.models import Achievement
    except ImportError:
        return []
    qs = Achievement.objects.filter(user=user)
    if ids:
        qs = qs.filter(pk__in=list(ids))
    elif "share_in_updates" in {f.name for f in Achievement._meta.get_fields()}:
        # Unless chosen for this packet, leave out what the applicant keeps private.
        qs = qs.filter(share_in_updates=True)
    field_names = {f.name for f in Achievement._meta.get_fields()}
    order = next(
        (n for n in ("achieved_on", "date", "on", "occurred_on") if n in field_names), "pk"
    )
    out = []
    for a in qs.order_by(f"-{order}")[: 8 if not ids else 50]:
        title = str(_first(a, "title", "name", default=str(a)))
        when = _first(a, "achieved_on", "date", "on", "occurred_on")
        detail = _first(a, "description", "detail", "details", "notes", default="")
        if when:
            detail = f"{_fmt(when)}. {detail}".strip() if detail else _fmt(when)
        out.append((title, str(detail)))
    return out


def achievement_choices(user: User) -> list[tuple[int, str]]:
    try:
        from preceptor.mentors.models import Achievement
    except ImportError:
        return []
    return [
        (a.pk, str(_first(a, "title", "name", default=str(a))))
        for a in Achievement.objects.filter(user=user).order_by("-pk")[:50]
    ]


def suggest_next(
    user: User,
    *,
    service: str,
    specialty: str,
    exclude: Iterable[int] = (),
    today: dt.date | None = None,
    limit: int = 3,
) -> tuple[list[Suggestion], str]:
    """Who to ask after a decline, best first, and a note on what the ranking rests on."""
    excluded = set(exclude)
    readiness_for: Any = None
    try:
        from preceptor.mentors import services as mentor_services

        readiness_for = getattr(mentor_services, "readiness_for", None)
    except ImportError:
        pass
    if readiness_for is not None:
        try:
            ranked = readiness_for(user, service=service, specialty=specialty, today=today)
        except Exception:  # the other app's bug must not break this page
            log.exception("readiness_for failed; falling back to the mentor list")
        else:
            out = [
                Suggestion(
                    r.mentor,
                    int(r.score),
                    list(getattr(r, "reasons", []) or []),
                    list(getattr(r, "warnings", []) or []),
                )
                for r in ranked
                if r.mentor.pk not in excluded
            ]
            return out[:limit], "Ranked by readiness from your mentor records."
    mentors = [m for m in mentors_for(user) if m.pk not in excluded]
    same = [
        m
        for m in mentors
        if specialty and (_first(m, "specialty", default="") or "").lower() == specialty.lower()
    ]
    rest = [m for m in mentors if m not in same]
    return (
        [Suggestion(m, None) for m in [*same, *rest]][:limit],
        "Readiness scores are not available yet; mentors in your specialty come first.",
    )
