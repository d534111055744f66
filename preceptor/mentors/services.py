"""Every change to the mentor network goes through these functions.

Views, the API, the CSV importer and the demo seeder call them; nothing else writes the
models. Each raises ``ValidationError`` (keyed by field where it can) and changes nothing
when the input is wrong. Reads that other apps use live here too: ``cadence_states``,
``readiness_for`` and ``unreported_action_items``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch, Q, QuerySet
from django.http import Http404

from preceptor.accounts.models import User
from preceptor.accounts.services import local_date_for
from preceptor.accounts.services import today_for as today_for
from preceptor.lib import dates
from preceptor.mentors import cadence as cadence_rules
from preceptor.mentors import csvio, drafts, network
from preceptor.mentors import readiness as readiness_rules
from preceptor.mentors.models import (
    Achievement,
    ActionItem,
    Interaction,
    Mentor,
    SupervisionPeriod,
    Tag,
)

MENTOR_FIELDS = (
    "full_name",
    "title",
    "role",
    "degree",
    "specialty",
    "department",
    "institution",
    "email",
    "phone",
    "how_we_met",
    "met_on",
    "faculty",
    "prominence",
    "accessibility_notes",
    "network_role",
    "status",
    "cadence_ideal_days",
    "cadence_max_days",
    "notes",
)
PERIOD_FIELDS = ("kind", "title", "start", "end", "description")
INTERACTION_FIELDS = (
    "occurred_on",
    "kind",
    "initiated_by",
    "summary",
    "advice",
    "example",
    "gave_back",
    "was_ask",
)
ACHIEVEMENT_FIELDS = ("kind", "title", "achieved_on", "description", "share_in_updates")
MAX_TAGS = 20


# ---------------------------------------------------------------- access helpers


def _get(qs: QuerySet[Any], public_id: Any, what: str) -> Any:
    try:
        return qs.get(public_id=UUID(str(public_id)))
    except (ValueError, TypeError, AttributeError) as e:
        raise Http404(f"No such {what}.") from e
    except qs.model.DoesNotExist as e:
        raise Http404(f"No such {what}.") from e


def mentors_of(user: User) -> QuerySet[Mentor]:
    # Through the reverse manager, each mentor's ``user`` is this very object (and its
    # cached profile): the cadence reads the user's time zone without a query per mentor.
    return user.mentors.all()


def get_mentor_for_user(user: User, public_id: Any, *, related: bool = False) -> Mentor:
    """The user's mentor (404 for anyone else's); ``related``: with the rows the detail
    page reads (:func:`with_related`), in the same lookup."""
    qs = mentors_of(user)
    mentor: Mentor = _get(with_related(qs) if related else qs, public_id, "mentor")
    return mentor


def get_period_for_user(user: User, public_id: Any) -> SupervisionPeriod:
    period: SupervisionPeriod = _get(
        SupervisionPeriod.objects.filter(mentor__user=user).select_related("mentor"),
        public_id,
        "supervision period",
    )
    return period


def get_interaction_for_user(user: User, public_id: Any) -> Interaction:
    interaction: Interaction = _get(
        Interaction.objects.filter(mentor__user=user).select_related("mentor"),
        public_id,
        "interaction",
    )
    return interaction


def get_action_for_user(user: User, public_id: Any) -> ActionItem:
    item: ActionItem = _get(
        ActionItem.objects.filter(mentor__user=user).select_related("mentor"),
        public_id,
        "action item",
    )
    return item


def get_achievement_for_user(user: User, public_id: Any) -> Achievement:
    achievement: Achievement = _get(Achievement.objects.filter(user=user), public_id, "achievement")
    return achievement


# ---------------------------------------------------------------- validation helpers


def _not_future(
    errors: dict[str, str], name: str, value: dt.date | None, today: dt.date, what: str
) -> None:
    _in_range(errors, name, value, what)
    if value is not None and value > today:
        errors[name] = f"{what} cannot be in the future (today is {today:%B} {today.day})."


def _in_range(errors: dict[str, str], name: str, value: dt.date | None, what: str) -> None:
    if problem := dates.problem(value, what):
        errors[name] = problem


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError({k: [v] for k, v in errors.items()})


def _clean_model(obj: Any, exclude: Iterable[str] = ()) -> None:
    """Field validators and choices, as a form would check them (the API has no form)."""
    obj.full_clean(
        exclude=[*exclude, "user", "mentor", "tags", "interaction"], validate_unique=False
    )


def _check_cadence(ideal: int | None, maximum: int | None) -> None:
    errors: dict[str, str] = {}
    for name, value in (("cadence_ideal_days", ideal), ("cadence_max_days", maximum)):
        if value is not None and not 1 <= value <= 730:
            errors[name] = "Use a number of days between 1 and 730."
    if not errors and ideal and maximum and maximum < ideal:
        errors["cadence_max_days"] = "The maximum interval cannot be shorter than the ideal one."
    _raise(errors)


def normalize_tags(names: Iterable[str] | str) -> list[str]:
    """Tags from a list or a comma-separated string: trimmed, lower case, unique, in order."""
    if isinstance(names, str):
        names = names.split(",")
    out: list[str] = []
    for raw in names:
        name = " ".join(str(raw).split()).lower()
        if not name:
            continue
        if len(name) > 40:
            raise ValidationError(
                {"tags": [f"“{name[:40]}…” is too long for a tag (40 characters)."]}
            )
        if name not in out:
            out.append(name)
    if len(out) > MAX_TAGS:
        raise ValidationError({"tags": [f"At most {MAX_TAGS} tags per mentor."]})
    return out


def _set_tags(mentor: Mentor, names: list[str]) -> None:
    tags = []
    for name in names:
        tag, _ = Tag.objects.get_or_create(user=mentor.user, name=name)
        tags.append(tag)
    mentor.tags.set(tags)


def find_duplicate(
    user: User, full_name: str, email: str = "", exclude: Mentor | None = None
) -> Mentor | None:
    """A mentor of this user with the same name (ignoring case and spacing) or email."""
    key = " ".join(full_name.split()).lower()
    qs = mentors_of(user)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    if email:
        hit = qs.filter(email__iexact=email.strip()).first()
        if hit:
            return hit
    for m in qs.only("id", "full_name"):
        if " ".join(m.full_name.split()).lower() == key:
            return m
    return None


# ---------------------------------------------------------------- mentors


@transaction.atomic
def create_mentor(
    user: User,
    *,
    tags: Iterable[str] | str = (),
    today: dt.date | None = None,
    allow_duplicate: bool = False,
    **fields: Any,
) -> Mentor:
    today = today or today_for(user)
    unknown = set(fields) - set(MENTOR_FIELDS)
    if unknown:
        raise ValueError(f"Not mentor fields: {', '.join(sorted(unknown))}")
    fields["full_name"] = " ".join(str(fields.get("full_name") or "").split())
    mentor = Mentor(user=user, **fields)
    errors: dict[str, str] = {}
    if not mentor.full_name:
        errors["full_name"] = "Enter the mentor's name."
    _not_future(errors, "met_on", mentor.met_on, today, "The date you started working together")
    if not allow_duplicate and mentor.full_name:
        dup = find_duplicate(user, mentor.full_name, mentor.email)
        if dup is not None:
            errors["full_name"] = f"You already have {dup} in your network."
    _raise(errors)
    _check_cadence(mentor.cadence_ideal_days, mentor.cadence_max_days)
    _clean_model(mentor)
    tag_names = normalize_tags(tags)
    mentor.save()
    _set_tags(mentor, tag_names)
    return mentor


@transaction.atomic
def update_mentor(
    mentor: Mentor,
    *,
    tags: Iterable[str] | str | None = None,
    today: dt.date | None = None,
    **fields: Any,
) -> Mentor:
    today = today or today_for(mentor.user)
    unknown = set(fields) - set(MENTOR_FIELDS)
    if unknown:
        raise ValueError(f"Not mentor fields: {', '.join(sorted(unknown))}")
    if "full_name" in fields:
        fields["full_name"] = " ".join(str(fields["full_name"] or "").split())
    original = {name: getattr(mentor, name) for name in fields}
    changed = [name for name, value in fields.items() if getattr(mentor, name) != value]
    for name in changed:
        setattr(mentor, name, fields[name])
    try:
        errors: dict[str, str] = {}
        if not mentor.full_name:
            errors["full_name"] = "Enter the mentor's name."
        _not_future(errors, "met_on", mentor.met_on, today, "The date you started working together")
        if "full_name" in changed or "email" in changed:
            dup = find_duplicate(mentor.user, mentor.full_name, mentor.email, exclude=mentor)
            if dup is not None:
                errors["full_name"] = f"You already have {dup} in your network."
        _raise(errors)
        _check_cadence(mentor.cadence_ideal_days, mentor.cadence_max_days)
        _clean_model(mentor)
        tag_names = normalize_tags(tags) if tags is not None else None
    except ValidationError:
        for name, value in original.items():
            setattr(mentor, name, value)
        raise
    if changed:
        mentor.save(update_fields=[*changed, "updated"])
    if tag_names is not None:
        _set_tags(mentor, tag_names)
    return mentor


@transaction.atomic
def delete_mentor(mentor: Mentor) -> None:
    from django.db.models import RestrictedError

    try:
        mentor.delete()
    except RestrictedError as e:
        raise ValidationError(
            f"{mentor} has letter requests on record; remove those in Letters first."
        ) from e


@transaction.atomic
def set_cadence(mentor: Mentor, *, ideal_days: int | None, max_days: int | None) -> Mentor:
    _check_cadence(ideal_days, max_days)
    mentor.cadence_ideal_days = ideal_days
    mentor.cadence_max_days = max_days
    mentor.save(update_fields=["cadence_ideal_days", "cadence_max_days", "updated"])
    return mentor


@transaction.atomic
def snooze(mentor: Mentor, *, until: dt.date, today: dt.date | None = None) -> Mentor:
    """Quiet this mentor's reminders until a date (they are travelling, on leave ...)."""
    today = today or today_for(mentor.user)
    if until <= today:
        raise ValidationError({"until": ["Pick a date after today."]})
    if until > today + dt.timedelta(days=cadence_rules.MAX_SNOOZE_DAYS):
        raise ValidationError(
            {
                "until": [
                    f"Snooze for at most {cadence_rules.MAX_SNOOZE_DAYS} days; "
                    "mark them dormant if it is for longer."
                ]
            }
        )
    mentor.snoozed_until = until
    mentor.save(update_fields=["snoozed_until", "updated"])
    return mentor


@transaction.atomic
def unsnooze(mentor: Mentor) -> Mentor:
    mentor.snoozed_until = None
    mentor.save(update_fields=["snoozed_until", "updated"])
    return mentor


# ---------------------------------------------------------------- supervision periods


def _check_period(p: SupervisionPeriod, today: dt.date) -> None:
    errors: dict[str, str] = {}
    _not_future(errors, "start", p.start, today, "The start date")
    _in_range(errors, "end", p.end, "The end date")
    if p.start and p.end and p.end < p.start:
        errors["end"] = "The end date cannot be before the start date."
    _raise(errors)
    _clean_model(p)


@transaction.atomic
def add_period(mentor: Mentor, *, today: dt.date | None = None, **fields: Any) -> SupervisionPeriod:
    today = today or today_for(mentor.user)
    period = SupervisionPeriod(
        mentor=mentor,
        kind=fields.get("kind") or "",
        title=fields.get("title") or "",
        description=fields.get("description") or "",
        start=fields.get("start"),  # type: ignore[misc]
        end=fields.get("end"),
    )
    if period.start is None:
        raise ValidationError({"start": ["Enter the start date."]})
    _check_period(period, today)
    period.save()
    return period


@transaction.atomic
def update_period(
    period: SupervisionPeriod, *, today: dt.date | None = None, **fields: Any
) -> SupervisionPeriod:
    today = today or today_for(period.mentor.user)
    original = {k: getattr(period, k) for k in PERIOD_FIELDS}
    for k, v in fields.items():
        if k not in PERIOD_FIELDS:
            raise ValueError(f"{k} is not a period field")
        setattr(period, k, v)
    try:
        _check_period(period, today)
    except ValidationError:
        for k, v in original.items():
            setattr(period, k, v)
        raise
    period.save()
    return period


@transaction.atomic
def delete_period(period: SupervisionPeriod) -> None:
    period.delete()


# ---------------------------------------------------------------- interactions


@transaction.atomic
def log_interaction(
    mentor: Mentor,
    *,
    occurred_on: dt.date,
    kind: str = Interaction.Kind.MEETING,
    initiated_by: str = Interaction.Initiator.ME,
    summary: str = "",
    advice: str = "",
    example: str = "",
    gave_back: str = "",
    was_ask: bool = False,
    action_items: Iterable[str] = (),
    today: dt.date | None = None,
    origin: str = "",
) -> Interaction:
    """Record a contact. It resets the mentor's cadence clock (the last contact moves) and
    ends any snooze; a prospect you have now been in touch with becomes active."""
    today = today or today_for(mentor.user)
    errors: dict[str, str] = {}
    if occurred_on is None:
        errors["occurred_on"] = "Enter the date."
    _not_future(errors, "occurred_on", occurred_on, today, "The date")
    _raise(errors)
    interaction = Interaction(
        mentor=mentor,
        occurred_on=occurred_on,
        kind=kind,
        initiated_by=initiated_by,
        summary=summary.strip(),
        advice=advice.strip(),
        example=example.strip(),
        gave_back=gave_back.strip(),
        was_ask=was_ask,
        origin=origin,
    )
    _clean_model(interaction)
    items = [t.strip() for t in action_items if t and t.strip()]
    for t in items:
        if len(t) > 300:
            raise ValidationError({"action_items": ["Keep each action item under 300 characters."]})
    interaction.save()
    for text in items:
        ActionItem.objects.create(mentor=mentor, interaction=interaction, text=text)
    # A contact ends any snooze (always written: the instance may be stale).
    mentor.snoozed_until = None
    changed = ["snoozed_until"]
    if mentor.status in (Mentor.Status.PROSPECT, Mentor.Status.DORMANT):
        mentor.status = Mentor.Status.ACTIVE
        changed.append("status")
    # Saved even when nothing changed: the notify app listens to Mentor saves too.
    mentor.save(update_fields=[*changed, "updated"])
    return interaction


@transaction.atomic
def update_interaction(
    interaction: Interaction, *, today: dt.date | None = None, **fields: Any
) -> Interaction:
    today = today or today_for(interaction.mentor.user)
    original = {k: getattr(interaction, k) for k in INTERACTION_FIELDS}
    for k, v in fields.items():
        if k not in INTERACTION_FIELDS:
            raise ValueError(f"{k} is not an interaction field")
        setattr(interaction, k, v.strip() if isinstance(v, str) else v)
    try:
        errors: dict[str, str] = {}
        _not_future(errors, "occurred_on", interaction.occurred_on, today, "The date")
        _raise(errors)
        _clean_model(interaction)
    except ValidationError:
        for k, v in original.items():
            setattr(interaction, k, v)
        raise
    interaction.save()
    return interaction


@transaction.atomic
def delete_interaction(interaction: Interaction) -> None:
    interaction.delete()


# ---------------------------------------------------------------- action items


@transaction.atomic
def add_action_item(
    mentor: Mentor,
    *,
    text: str,
    due_on: dt.date | None = None,
    interaction: Interaction | None = None,
) -> ActionItem:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": ["Say what they suggested."]})
    if len(text) > 300:
        raise ValidationError({"text": ["Keep it under 300 characters."]})
    if problem := dates.problem(due_on, "The due date"):
        raise ValidationError({"due_on": [problem]})
    if interaction is not None and interaction.mentor_id != mentor.pk:
        raise ValidationError("That interaction is with another mentor.")
    return ActionItem.objects.create(
        mentor=mentor, text=text, due_on=due_on, interaction=interaction
    )


@transaction.atomic
def complete_action(item: ActionItem, *, on: dt.date | None = None) -> ActionItem:
    on = on or today_for(item.mentor.user)
    item.status = ActionItem.Status.DONE
    item.decline_reason = ""
    item.closed_on = on
    item.save(update_fields=["status", "decline_reason", "closed_on"])
    return item


@transaction.atomic
def decline_action(item: ActionItem, *, reason: str, on: dt.date | None = None) -> ActionItem:
    """Decided not to follow the suggestion: say why (to yourself now, to them later)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": ["Say why you decided not to; you will tell them when you report back."]}
        )
    item.status = ActionItem.Status.DECLINED
    item.decline_reason = reason
    item.closed_on = on or today_for(item.mentor.user)
    item.save(update_fields=["status", "decline_reason", "closed_on"])
    return item


@transaction.atomic
def reopen_action(item: ActionItem) -> ActionItem:
    item.status = ActionItem.Status.OPEN
    item.decline_reason = ""
    item.closed_on = None
    item.reported_back = False
    item.reported_on = None
    item.save(
        update_fields=["status", "decline_reason", "closed_on", "reported_back", "reported_on"]
    )
    return item


@transaction.atomic
def report_back(item: ActionItem, *, on: dt.date | None = None) -> ActionItem:
    if item.status == ActionItem.Status.OPEN:
        raise ValidationError("Mark it done or decided-not-to before reporting back.")
    item.reported_back = True
    item.reported_on = on or today_for(item.mentor.user)
    item.save(update_fields=["reported_back", "reported_on"])
    return item


@transaction.atomic
def delete_action(item: ActionItem) -> None:
    item.delete()


def unreported_action_items(user: User) -> QuerySet[ActionItem]:
    """Advice acted on (or deliberately not) that the mentor has not heard about yet."""
    return (
        ActionItem.objects.filter(mentor__user=user, reported_back=False)
        .exclude(status=ActionItem.Status.OPEN)
        .select_related("mentor")
        .order_by("closed_on", "created")
    )


# ---------------------------------------------------------------- achievements


def _check_achievement(a: Achievement, today: dt.date) -> None:
    errors: dict[str, str] = {}
    if not (a.title or "").strip():
        errors["title"] = "Give it a title."
    if a.achieved_on is None:
        errors["achieved_on"] = "Enter the date."
    _not_future(errors, "achieved_on", a.achieved_on, today, "The date")
    _raise(errors)
    _clean_model(a)


@transaction.atomic
def add_achievement(user: User, *, today: dt.date | None = None, **fields: Any) -> Achievement:
    today = today or today_for(user)
    unknown = set(fields) - set(ACHIEVEMENT_FIELDS)
    if unknown:
        raise ValueError(f"Not achievement fields: {', '.join(sorted(unknown))}")
    a = Achievement(user=user, **fields)
    a.title = (a.title or "").strip()
    _check_achievement(a, today)
    a.save()
    return a


@transaction.atomic
def update_achievement(
    a: Achievement, *, today: dt.date | None = None, **fields: Any
) -> Achievement:
    today = today or today_for(a.user)
    original = {k: getattr(a, k) for k in ACHIEVEMENT_FIELDS}
    for k, v in fields.items():
        if k not in ACHIEVEMENT_FIELDS:
            raise ValueError(f"{k} is not an achievement field")
        setattr(a, k, v)
    try:
        _check_achievement(a, today)
    except ValidationError:
        for k, v in original.items():
            setattr(a, k, v)
        raise
    a.save()
    return a


@transaction.atomic
def delete_achievement(a: Achievement) -> None:
    a.delete()


# ---------------------------------------------------------------- reads: cadence


@dataclass(frozen=True)
class CadenceState:
    mentor: Mentor
    last_contact: dt.date | None
    due_on: dt.date
    overdue_on: dt.date
    state: str  # ok / due_soon / overdue / snoozed
    ideal_days: int = 0
    max_days: int = 0
    snoozed_until: dt.date | None = None

    def days_overdue(self, today: dt.date) -> int:
        return max(0, (today - self.overdue_on).days)


def _letters_in() -> Prefetch:
    """The letters a mentor has submitted, as ``mentor.letters_in``. The letters app sits
    above this one, so its model is reached through the relation, never imported."""
    requests: Any = Mentor._meta.get_field("letter_requests").related_model
    written = requests._default_manager.filter(submitted_on__isnull=False).only("id", "mentor_id")
    return Prefetch("letter_requests", queryset=written, to_attr="letters_in")


def with_related(qs: QuerySet[Mentor]) -> QuerySet[Mentor]:
    """The rows the cadence and readiness rules read, in five queries for any number."""
    return qs.prefetch_related(
        Prefetch("periods", queryset=SupervisionPeriod.objects.order_by("start")),
        Prefetch("interactions", queryset=Interaction.objects.order_by("-occurred_on", "-created")),
        "action_items",
        "tags",
        _letters_in(),
    )


def cadence_facts(mentor: Mentor, today: dt.date) -> cadence_rules.CadenceFacts:
    periods = list(mentor.periods.all())
    # cadence_states annotates the last contact; other callers have the interactions.
    last: dt.date | None
    if hasattr(mentor, "last_contact_on"):
        last = mentor.last_contact_on
    else:
        dates = [i.occurred_on for i in mentor.interactions.all() if i.occurred_on <= today]
        last = max(dates) if dates else None
    return cadence_rules.CadenceFacts(
        status=mentor.status,
        last_contact=last,
        added_on=local_date_for(mentor.user, mentor.created) if mentor.created else today,
        working_together=any(p.is_ongoing(today) for p in periods),
        ideal_days=mentor.cadence_ideal_days,
        max_days=mentor.cadence_max_days,
        snoozed_until=mentor.snoozed_until,
    )


def cadence_of(mentor: Mentor, today: dt.date) -> CadenceState | None:
    c = cadence_rules.assess(cadence_facts(mentor, today), today)
    if c is None:
        return None
    return CadenceState(
        mentor=mentor,
        last_contact=c.last_contact,
        due_on=c.due_on,
        overdue_on=c.overdue_on,
        state=c.state,
        ideal_days=c.ideal_days,
        max_days=c.max_days,
        snoozed_until=c.snoozed_until,
    )


def cadence_states(user: User, today: dt.date) -> list[CadenceState]:
    """Every tracked mentor's cadence, most urgent first (former mentors are not tracked)."""
    # Two queries for any number of mentors: it runs on every dashboard view and every
    # reminder sync, so it reads only what the cadence rules need.
    qs = (
        mentors_of(user)
        .exclude(status=Mentor.Status.FORMER)
        .annotate(
            last_contact_on=Max(
                "interactions__occurred_on", filter=Q(interactions__occurred_on__lte=today)
            )
        )
        .prefetch_related(
            Prefetch(
                "periods", queryset=SupervisionPeriod.objects.only("mentor_id", "start", "end")
            )
        )
    )
    states = [s for m in qs if (s := cadence_of(m, today)) is not None]
    rank = cadence_rules.STATES.index
    return sorted(
        states,
        key=lambda s: (
            rank(s.state),
            s.overdue_on if s.state == "overdue" else s.due_on,
            s.mentor.full_name.lower(),
        ),
    )


# ---------------------------------------------------------------- reads: readiness


@dataclass(frozen=True)
class Readiness:
    mentor: Mentor
    score: int
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def mentor_facts(mentor: Mentor) -> readiness_rules.MentorFacts:
    return readiness_rules.MentorFacts(
        name=str(mentor),
        status=mentor.status,
        met_on=mentor.met_on,
        specialty=mentor.specialty,
        degree=mentor.degree,
        faculty=mentor.faculty,
        prominence=mentor.prominence,
        periods=tuple(
            readiness_rules.PeriodFacts(
                kind=p.kind,
                start=p.start,
                end=p.end,
                title=p.title,
                has_description=bool(p.description.strip()),
            )
            for p in mentor.periods.all()
        ),
        interactions=tuple(
            readiness_rules.InteractionFacts(
                occurred_on=i.occurred_on,
                initiated_by=i.initiated_by,
                was_ask=i.was_ask,
                has_example=bool(i.example.strip()),
                gave_back=bool(i.gave_back.strip()),
            )
            for i in mentor.interactions.all()
        ),
        actions=tuple(
            readiness_rules.ActionFacts(
                status=a.status, reported_back=a.reported_back, due_on=a.due_on
            )
            for a in mentor.action_items.all()
        ),
        letters_written=_letters_written(mentor),
    )


def _letters_written(mentor: Mentor) -> int:
    prefetched = getattr(mentor, "letters_in", None)
    if prefetched is not None:
        return len(prefetched)
    related: Any = mentor
    return int(related.letter_requests.filter(submitted_on__isnull=False).count())


def readiness_of(mentor: Mentor, *, service: str, specialty: str, today: dt.date) -> Readiness:
    a = readiness_rules.assess(
        mentor_facts(mentor), service=service, specialty=specialty, today=today
    )
    return Readiness(mentor=mentor, score=a.score, reasons=a.reasons, warnings=a.warnings)


def readiness_for(
    user: User, *, service: str, specialty: str, today: dt.date | None = None
) -> list[Readiness]:
    """Every mentor scored for a target (letters service key and specialty), best first."""
    today = today or today_for(user)
    ranked = [
        readiness_of(m, service=service, specialty=specialty, today=today)
        for m in with_related(mentors_of(user))
    ]
    return sorted(ranked, key=lambda r: (-r.score, r.mentor.full_name.lower()))


def target_for(user: User) -> tuple[str, str]:
    """A sensible default target from the profile: (service key, specialty)."""
    from preceptor.accounts.services import get_profile

    profile = get_profile(user)
    service = {"premed": "amcas", "resident": "eras_fellowship"}.get(profile.stage, "eras")
    return service, profile.specialty_of_interest


def last_contacts(user: User) -> dict[int, dt.date]:
    from django.db.models import Max

    return dict(
        Interaction.objects.filter(mentor__user=user)
        .values("mentor_id")
        .annotate(last=Max("occurred_on"))
        .values_list("mentor_id", "last")
    )


def search(qs: QuerySet[Mentor], text: str) -> QuerySet[Mentor]:
    text = text.strip()
    if not text:
        return qs
    return qs.filter(
        Q(full_name__icontains=text)
        | Q(specialty__icontains=text)
        | Q(institution__icontains=text)
        | Q(department__icontains=text)
        | Q(tags__name__icontains=text)
    ).distinct()


# ---------------------------------------------------------------- CSV import and export

IMPORT_CHOICE_FIELDS = {
    "role": Mentor.Role.choices,
    "degree": Mentor.Degree.choices,
    "faculty": Mentor.Faculty.choices,
    "prominence": Mentor.Prominence.choices,
    "network_role": Mentor.NetworkRole.choices,
    "status": Mentor.Status.choices,
}


@dataclass
class ImportResult:
    rows: list[csvio.Row]
    created: int = 0

    @property
    def errors(self) -> list[csvio.Row]:
        return [r for r in self.rows if not r.ok]


def check_import(
    user: User,
    parsed: csvio.Parsed,
    mapping: dict[str, int | None],
    *,
    today: dt.date | None = None,
) -> list[csvio.Row]:
    """Every row mapped and checked against the user's network; nothing is saved."""
    today = today or today_for(user)
    existing = list(mentors_of(user).values_list("full_name", "email"))
    lengths = {
        f.name: f.max_length
        for f in Mentor._meta.concrete_fields
        if getattr(f, "max_length", None) and f.name in csvio.FIELDS
    }
    lengths["tags"] = 600
    rows = csvio.check_rows(
        parsed,
        mapping,
        choices=IMPORT_CHOICE_FIELDS,
        existing_names={" ".join(n.split()).lower() for n, _ in existing},
        existing_emails={e.lower() for _, e in existing if e},
        today=today,
        max_lengths=lengths,
    )
    for row in rows:
        if row.ok and row.tags:
            try:
                normalize_tags(row.tags)
            except ValidationError as e:
                row.errors.extend(e.messages)
    return rows


@transaction.atomic
def import_mentors(
    user: User,
    parsed: csvio.Parsed,
    mapping: dict[str, int | None],
    *,
    today: dt.date | None = None,
) -> ImportResult:
    """Create a mentor per row, all or nothing: any error anywhere and nothing is saved."""
    today = today or today_for(user)
    rows = check_import(user, parsed, mapping, today=today)
    result = ImportResult(rows=rows)
    if result.errors:
        return result
    for row in rows:
        values: dict[str, Any] = {k: v for k, v in row.values.items() if v != ""}
        if "met_on" in values:
            values["met_on"] = dt.date.fromisoformat(values["met_on"])
        try:
            create_mentor(user, tags=row.tags, today=today, **values)
        except ValidationError as e:
            # A row that passed the checks but not the model's: undo everything.
            row.errors.extend(e.messages)
            transaction.set_rollback(True)
            result.created = 0
            return result
        result.created += 1
    return result


EXPORT_COLUMNS = [
    "full_name",
    "title",
    "degree",
    "role",
    "specialty",
    "department",
    "institution",
    "email",
    "phone",
    "how_we_met",
    "met_on",
    "faculty",
    "prominence",
    "network_role",
    "status",
    "tags",
    "notes",
]


def export_csv(user: User) -> str:
    headers = [csvio.FIELDS[c][0] for c in EXPORT_COLUMNS] + ["Last contact"]
    last = last_contacts(user)
    rows = []
    for m in mentors_of(user).prefetch_related("tags").order_by("full_name"):
        row: list[object] = []
        for c in EXPORT_COLUMNS:
            if c == "tags":
                row.append(", ".join(t.name for t in m.tags.all()))
            else:
                value = getattr(m, c)
                row.append(value.isoformat() if isinstance(value, dt.date) else value)
        row.append(last[m.pk].isoformat() if m.pk in last else "")
        rows.append(row)
    return csvio.write(headers, rows)


# ---------------------------------------------------------------- drafts


def draft_for(mentor: Mentor, kind: str, *, today: dt.date | None = None) -> drafts.Draft:
    """A draft email or agenda for this mentor, filled from the records since the last contact."""
    from preceptor.accounts.services import get_profile

    if kind not in drafts.KINDS:
        raise Http404("No such draft.")
    user = mentor.user
    today = today or today_for(user)
    profile = get_profile(user)
    interactions = list(
        mentor.interactions.filter(occurred_on__lte=today).order_by("-occurred_on", "-created")
    )
    last = interactions[0] if interactions else None
    since = last.occurred_on if last else None
    achievements = Achievement.objects.filter(user=user, share_in_updates=True)
    if since:
        achievements = achievements.filter(achieved_on__gt=since)
    pending = list(mentor.action_items.filter(reported_back=False).order_by("closed_on", "created"))
    item = drafts.Item
    facts = drafts.DraftFacts(
        applicant=profile.full_name or user.email,
        salutation=_salutation(mentor),
        mentor_specialty=mentor.specialty,
        mentor_institution=mentor.institution,
        stage=profile.stage,
        school=profile.school,
        interest=profile.specialty_of_interest,
        how_we_met=mentor.how_we_met,
        last_contact=since,
        achievements=tuple(
            item(a.title, a.achieved_on, a.description)
            for a in achievements.order_by("-achieved_on")[:3]
        ),
        done=tuple(
            item(a.text, a.closed_on) for a in pending if a.status == ActionItem.Status.DONE
        ),
        declined=tuple(
            item(a.text, a.closed_on, a.decline_reason)
            for a in pending
            if a.status == ActionItem.Status.DECLINED
        ),
        open_items=tuple(
            item(a.text, a.due_on) for a in pending if a.status == ActionItem.Status.OPEN
        ),
        today=today,
    )
    return drafts.make(kind, facts, to=mentor.email)


def _salutation(mentor: Mentor) -> str:
    """ "Dr. Ortiz" for a doctor, the full name otherwise."""
    name = mentor.full_name.strip()
    if name.lower().startswith("dr"):
        return name
    if mentor.is_doctor and name:
        return f"Dr. {name.split()[-1]}"
    return name


def network_facts(mentor: Mentor, score: int) -> network.Member:
    return network.Member(
        name=str(mentor),
        role=mentor.role,
        network_role=mentor.network_role,
        specialty=mentor.specialty,
        faculty=mentor.faculty,
        degree=mentor.degree,
        status=mentor.status,
        score=score,
        prominence=mentor.prominence,
    )
