"""Every change to applications and letter requests goes through these functions."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404

from preceptor.accounts.services import today_for as today_for
from preceptor.letters import library, lifecycle, outcomes, signals, timeline
from preceptor.letters.models import (
    VAULT_SERVICES,
    Application,
    DocumentVersion,
    LetterRequest,
    ProgramOutcome,
    RequestTransition,
    Service,
)
from preceptor.lib import dates
from preceptor.lib.http import owned_or_404
from preceptor.lib.pdf import MB, validate_pdf

if TYPE_CHECKING:
    from preceptor.accounts.models import User

MAX_UPLOAD_BYTES = 10 * MB


class TransitionError(ValidationError):
    """A move the life cycle does not allow, or a move with bad details; nothing was changed."""


# ---------------------------------------------------------------- access helpers


def get_application_for_user(user: User, public_id: Any) -> Application:
    """The user's application, or 404 for anyone else (and for a malformed id)."""
    return owned_or_404(Application.objects, "application", user=user, public_id=public_id)


def get_request_for_user(user: User, public_id: Any) -> LetterRequest:
    r = owned_or_404(
        LetterRequest.objects.select_related("application", "mentor"),
        "letter request",
        application__user=user,
        public_id=public_id,
    )
    # Its owner is ``user``: the application reads the same row (and its cached profile)
    # instead of fetching the user and the profile again.
    r.application.user = user
    return r


def get_outcome_for_user(user: User, public_id: Any) -> ProgramOutcome:
    return owned_or_404(
        ProgramOutcome.objects.select_related("application"),
        "outcome",
        application__user=user,
        public_id=public_id,
    )


# ---------------------------------------------------------------- applications

APPLICATION_FIELDS = (
    "service",
    "specialty",
    "cycle",
    "title",
    "official_deadline",
    "personal_deadline_days",
    "programs",
    "instructions",
    "max_letters_override",
    "results_on",
    "uses_vault",
)


def _reject_nulls(model: Any, fields: dict[str, Any]) -> None:
    """An explicit null for a field that cannot be empty is bad input, not a server error."""
    errors = {
        name: "Give a value; this cannot be empty."
        for name, value in fields.items()
        if value is None
        and not model._meta.get_field(name).null
        and name not in ("personal_deadline_days", "uses_vault")
    }
    if errors:
        raise ValidationError(errors)


def _check_deadline(official: dt.date | None, days: int | None, today: dt.date) -> None:
    errors: dict[str, str] = {}
    if out_of_range := dates.problem(official, "The deadline"):
        errors["official_deadline"] = out_of_range
    elif official is not None and official < today:
        errors["official_deadline"] = (
            f"The deadline {official:%B %-d, %Y} is in the past; enter the coming deadline."
        )
    if days is not None and not 7 <= days <= 14:
        errors["personal_deadline_days"] = (
            "Your personal deadline must be 7 to 14 days before the official one; "
            "a later date would leave no margin, an earlier one rushes your writers."
        )
    if errors:
        raise ValidationError(errors)


def _default_results_on(service: str, cycle: int | None) -> dt.date | None:
    if service == Service.ERAS and cycle:
        return timeline.match_day(cycle)
    return None


def _check_cycle(service: str, cycle: int | None, official: dt.date | None) -> None:
    problem = timeline.cycle_problem(service, cycle, official)
    if problem:
        raise ValidationError({"cycle": problem})


def _fit_margin(fields: dict[str, Any], official: dt.date, today: dt.date) -> None:
    """Shrink the personal margin (down to 7 days) so that writers asked today get a week."""
    days = fields.get("personal_deadline_days") or 14
    if official >= today:
        fields["personal_deadline_days"] = timeline.fitted_margin(official, days, today)


def _name_apart(application: Application) -> bool:
    """Give ``application`` a name none of the user's other applications has.

    Two "ERAS Internal Medicine 2027" (a categorical and a preliminary list, say) could not
    be told apart on the board, the calendar or in writers' emails. A name already taken
    gets the deadline added (and a number if even that is taken); the page that confirms
    the save shows the new name. Returns whether it set a title.
    """
    others = {
        a.display_title.casefold()
        for a in Application.objects.filter(user=application.user).exclude(pk=application.pk)
    }
    if application.display_title.casefold() not in others:
        return False
    base = f"{application.display_title} (due {application.official_deadline:%b %-d})"
    title, n = base, 2
    while title.casefold() in others:
        title, n = f"{base} {n}", n + 1
    application.title = title[:200]
    return True


def _after_commit_deadlines(application: Application) -> None:
    transaction.on_commit(
        lambda: signals.deadlines_changed.send(sender=Application, application=application)
    )


@transaction.atomic
def create_application(user: User, *, today: dt.date | None = None, **fields: Any) -> Application:
    """Create an application; refuse a past deadline or a margin outside 7 to 14 days."""
    unknown = set(fields) - set(APPLICATION_FIELDS)
    if unknown:
        raise ValueError(f"Not application fields: {sorted(unknown)}")
    today = today or today_for(user)
    _reject_nulls(Application, {k: v for k, v in fields.items() if k != "results_on"})
    _check_deadline(fields.get("official_deadline"), fields.get("personal_deadline_days"), today)
    _check_cycle(fields.get("service", ""), fields.get("cycle"), fields.get("official_deadline"))
    if fields.get("personal_deadline_days") is None:
        fields["personal_deadline_days"] = 14
    if fields.get("official_deadline") is not None:
        _fit_margin(fields, fields["official_deadline"], today)
    if fields.get("uses_vault") is None:
        fields["uses_vault"] = fields.get("service") in VAULT_SERVICES
    if not fields.get("results_on"):
        fields["results_on"] = _default_results_on(fields.get("service", ""), fields.get("cycle"))
    application = Application(user=user, **fields)
    application.full_clean()
    _name_apart(application)
    application.save()
    _after_commit_deadlines(application)
    return application


@transaction.atomic
def update_application(
    application: Application, *, today: dt.date | None = None, **fields: Any
) -> Application:
    unknown = set(fields) - set(APPLICATION_FIELDS)
    if unknown:
        raise ValueError(f"Not application fields: {sorted(unknown)}")
    today = today or today_for(application.user)
    _reject_nulls(Application, {k: v for k, v in fields.items() if k != "uses_vault"})
    if "uses_vault" in fields and fields["uses_vault"] is None:
        fields["uses_vault"] = application.service in VAULT_SERVICES
    new_deadline = fields.get("official_deadline")
    # Only a changed deadline must be in the future: an old application stays editable.
    if new_deadline == application.official_deadline:
        new_deadline = None
    _check_deadline(new_deadline, fields.get("personal_deadline_days"), today)
    cycle_facts = ("service", "cycle", "official_deadline")
    if any(name in fields and fields[name] != getattr(application, name) for name in cycle_facts):
        _check_cycle(*(fields.get(name, getattr(application, name)) for name in cycle_facts))
    if "personal_deadline_days" in fields and fields["personal_deadline_days"] is None:
        fields["personal_deadline_days"] = 14
    margin_changed = fields.get("personal_deadline_days", application.personal_deadline_days) != (
        application.personal_deadline_days
    )
    if new_deadline is not None or margin_changed:
        fields.setdefault("personal_deadline_days", application.personal_deadline_days)
        _fit_margin(fields, new_deadline or application.official_deadline, today)
    changed = [name for name, value in fields.items() if getattr(application, name) != value]
    if not changed:
        return application
    before = (application.official_deadline, application.personal_deadline_days)
    for name in changed:
        setattr(application, name, fields[name])
    application.full_clean()
    if _name_apart(application):
        changed.append("title")
    application.save(update_fields=[*changed, "updated"])
    if (application.official_deadline, application.personal_deadline_days) != before:
        _after_commit_deadlines(application)
    return application


@transaction.atomic
def delete_application(application: Application) -> None:
    application.delete()


def document_label(kind: str) -> str:
    """ "CV", "personal statement draft": for sentences."""
    return library.kind_label(kind)


def upload_document(
    application: Application, kind: str, data: bytes, *, filename: str = ""
) -> DocumentVersion:
    """Upload a packet document from the application's page, into the user's library (see
    :func:`library.upload_for_application`); a bad file raises ValidationError and stores
    nothing. ``version.removed_content`` lists the active content removed."""
    return library.upload_for_application(application, kind, data, filename=filename)


def attach_request_form(request: LetterRequest, data: bytes, *, filename: str = "") -> list[str]:
    """Store the service's request form for this writer (checked before the transaction,
    like every upload); returns what active content was removed. A bad file raises
    ValidationError and stores nothing."""
    info = validate_pdf(data, max_bytes=MAX_UPLOAD_BYTES, what="The request form")
    with transaction.atomic():
        LetterRequest.objects.filter(pk=request.pk).update(
            request_form=info.data,
            request_form_name=filename[:255],
            request_form_pages=info.page_count,
        )
    request.request_form = info.data
    request.request_form_name = filename[:255]
    request.request_form_pages = info.page_count
    return list(info.removed)


@transaction.atomic
def remove_request_form(request: LetterRequest) -> None:
    LetterRequest.objects.filter(pk=request.pk).update(
        request_form=None, request_form_name="", request_form_pages=None
    )
    request.request_form, request.request_form_name, request.request_form_pages = None, "", None


# ---------------------------------------------------------------- requests

REQUEST_EDIT_FIELDS = (
    "kind",
    "category",
    "letter_id",
    "writer_reminders",
    "strengths",
    "achievement_ids",
    "summary",
    "notes",
)


def _clean_strengths(value: Any) -> list[str]:
    if isinstance(value, str):
        value = value.splitlines()
    items = [str(s).strip() for s in value or [] if str(s).strip()]
    if len(items) > 6:
        raise ValidationError(
            {"strengths": "Choose at most 6 strengths; a writer can speak to 4 to 6 of them well."}
        )
    if any(len(s) > 200 for s in items):
        raise ValidationError({"strengths": "Keep each strength under 200 characters."})
    return items


@transaction.atomic
def plan_request(
    application: Application,
    mentor: Any,
    *,
    status: str = "planned",
    actor: str = "applicant",
    **fields: Any,
) -> LetterRequest:
    """Add a mentor to an application as a candidate or a planned writer."""
    if status not in lifecycle.PRE_ASK:
        raise TransitionError("A new request starts as a candidate or planned.")
    if mentor.user_id != application.user_id:
        raise Http404("No such mentor.")
    unknown = set(fields) - set(REQUEST_EDIT_FIELDS)
    if unknown:
        raise ValueError(f"Not request fields: {sorted(unknown)}")
    if "strengths" in fields:
        fields["strengths"] = _clean_strengths(fields["strengths"])
    if not fields.get("category"):
        fields["category"] = guess_category(application, mentor)
    if LetterRequest.objects.filter(application=application, mentor=mentor).exists():
        raise ValidationError(
            f"{mentor} is already on this application; open that request instead."
        )
    try:
        with transaction.atomic():
            request = LetterRequest.objects.create(
                application=application, mentor=mentor, status=status, **fields
            )
    except IntegrityError as e:
        raise ValidationError(f"{mentor} is already on this application.") from e
    RequestTransition.objects.create(
        request=request, from_status="", to_status=status, actor=actor, note="Added"
    )
    return request


def guess_category(application: Application, mentor: Any) -> str:
    """A first guess at the kind of writer, from the mentor's record (the applicant can edit it)."""
    degree = (getattr(mentor, "degree", "") or "").upper().replace(".", "")
    specialty = (getattr(mentor, "specialty", "") or "").strip().lower()
    faculty = getattr(mentor, "faculty", "") or ""
    network_role = getattr(mentor, "network_role", "") or ""
    service = application.service
    if service == Service.AACOMAS and "DO" in degree.replace(",", " ").split():
        return LetterRequest.Category.DO_PHYSICIAN
    if service in (Service.AMCAS, Service.AACOMAS, Service.TMDSAS) and faculty in (
        "science",
        "non_science",
    ):
        return faculty
    if application.specialty and specialty == application.specialty.strip().lower():
        return LetterRequest.Category.IN_SPECIALTY
    if network_role == "research":
        return LetterRequest.Category.RESEARCH
    if application.specialty and specialty:
        return LetterRequest.Category.OTHER_FIELD
    return LetterRequest.Category.UNSPECIFIED


@transaction.atomic
def update_request(request: LetterRequest, **fields: Any) -> LetterRequest:
    unknown = set(fields) - set(REQUEST_EDIT_FIELDS)
    if unknown:
        raise ValueError(f"Not request fields: {sorted(unknown)}")
    _reject_nulls(
        LetterRequest,
        {k: v for k, v in fields.items() if k not in ("strengths", "achievement_ids")},
    )
    if "strengths" in fields:
        fields["strengths"] = _clean_strengths(fields["strengths"])
    if "achievement_ids" in fields:
        fields["achievement_ids"] = [int(i) for i in fields["achievement_ids"] or []]
    changed = [name for name, value in fields.items() if getattr(request, name) != value]
    if changed:
        for name in changed:
            setattr(request, name, fields[name])
        request.full_clean(exclude=["mentor", "application"])
        request.save(update_fields=[*changed, "updated"])
    return request


@transaction.atomic
def record_waiver(
    request: LetterRequest, *, signed: bool, on: dt.date | None = None
) -> LetterRequest:
    """Record that the applicant signed (or revoked, for the future) the waiver of access."""
    on = on or today_for(request.application.user)
    if problem := dates.problem(on, "The date you signed"):
        raise ValidationError({"on": [problem]})
    request.waiver_signed = signed
    request.waiver_signed_on = on if signed else None
    request.save(update_fields=["waiver_signed", "waiver_signed_on", "updated"])
    RequestTransition.objects.create(
        request=request,
        from_status=request.status,
        to_status=request.status,
        actor="applicant",
        note=f"Waiver {'signed' if signed else 'revoked for the future'} on {on:%B %-d, %Y}",
    )
    return request


@transaction.atomic
def delete_request(request: LetterRequest) -> None:
    if request.status not in lifecycle.PRE_ASK:
        raise TransitionError(
            "Only a candidate or planned request can be removed; once you have asked, the "
            "record stays (mark it declined if it will not happen)."
        )
    request.delete()


# What each move records, and the extra details it accepts.
_TRANSITION_FIELDS = frozenset(
    {"ask_method", "asked_on", "answer_note", "letter_id", "submitted_confirmed_by"}
)


def transition(
    request: LetterRequest,
    to_status: str,
    *,
    actor: str = "applicant",
    note: str = "",
    on: dt.date | None = None,
    **fields: Any,
) -> LetterRequest:
    """Move ``request`` to ``to_status`` and log it; raise :class:`TransitionError` if not allowed.

    ``on`` is the date the step happened (default: today in the user's time zone). Extra
    details: ``ask_method`` (required to ask), ``asked_on``, ``answer_note``, ``letter_id``,
    ``submitted_confirmed_by``. Nothing is changed when the move is refused. After commit,
    ``signals.request_transitioned`` is sent.
    """
    unknown = set(fields) - _TRANSITION_FIELDS
    if unknown:
        raise TransitionError(f"These details do not belong to a transition: {sorted(unknown)}.")
    if to_status not in lifecycle.STATUSES:
        raise TransitionError(f"“{to_status}” is not a letter request status.")
    if actor not in lifecycle.ACTORS:
        raise TransitionError(f"“{actor}” is not someone who can move a letter request.")
    with transaction.atomic():
        # Lock and re-read the row so two moves at once cannot both start from the same state.
        current = LetterRequest.objects.select_for_update().get(pk=request.pk)
        from_status = current.status
        if not lifecycle.can_transition(from_status, to_status, actor=actor):
            raise TransitionError(lifecycle.explain_refusal(from_status, to_status, actor=actor))
        today = today_for(current.application.user)
        on = on or today
        if on > today + dt.timedelta(days=1):
            raise TransitionError(
                f"{on:%B %-d, %Y} is in the future; record steps once they happen."
            )
        if problem := dates.problem(on, "The date of this step"):
            raise TransitionError(problem)
        update = _apply(current, to_status, actor=actor, on=on, note=note, **fields)
        current.status = to_status
        current.save(update_fields=[*update, "status", "updated"])
        RequestTransition.objects.create(
            request=current, from_status=from_status, to_status=to_status, actor=actor, note=note
        )
        _record_contact(current, to_status, actor=actor, on=min(on, today))
        if to_status == "packet_sent":
            # Which version of each document this writer received, for their page and yours.
            library.record_sent(current)

        def _send() -> None:
            signals.request_transitioned.send(
                sender=LetterRequest,
                request=current,
                from_status=from_status,
                to_status=to_status,
                actor=actor,
            )

        transaction.on_commit(_send)
    # Keep the caller's object in step with the database.
    for f in current._meta.concrete_fields:
        setattr(request, f.attname, getattr(current, f.attname))
    return request


# The moves that are a contact with the writer, as a mentor interaction: (kind, who reached
# out, what happened). Asking, the follow-up, thanks and the outcome update are the guides'
# touch points; a writer answering through their link reaches out to you. Reminders sent by
# Preceptor itself are not a personal contact.
_CONTACTS: dict[tuple[str, str], tuple[str, str, str]] = {
    ("applicant", "asked"): ("", "me", "Asked for a strong letter for {title} ({how})."),
    ("applicant", "packet_sent"): ("email", "me", "Sent the follow-up and packet for {title}."),
    ("applicant", "form_sent"): ("email", "me", "Sent the letter request form for {title}."),
    ("applicant", "reminded"): ("email", "me", "Reminded them about the letter for {title}."),
    ("applicant", "thanked"): ("email", "me", "Thanked them for the letter for {title}."),
    ("applicant", "outcome_shared"): ("email", "me", "Told them how {title} went."),
    ("writer", "agreed"): ("email", "mentor", "Agreed to write a letter for {title}."),
    ("writer", "hesitant"): ("email", "mentor", "Said a hesitant yes to a letter for {title}."),
    ("writer", "declined"): ("email", "mentor", "Declined the letter for {title}."),
}
_ASK_KINDS = {"in_person": "meeting", "video": "meeting", "phone": "call", "email": "email"}


def _record_contact(r: LetterRequest, to: str, *, actor: str, on: dt.date) -> None:
    """Log a letter step that was a contact on the writer's mentor record: the cadence clock
    starts again, and the mentor's history shows the ask, the thanks and the update."""
    from preceptor.mentors import services as mentors

    contact = _CONTACTS.get((actor, to))
    if contact is None:
        return
    kind, by, summary = contact
    how = str(LetterRequest.AskMethod(r.ask_method).label).lower() if r.ask_method else "asked"
    mentors.log_interaction(
        r.mentor,
        occurred_on=on,
        kind=kind or _ASK_KINDS.get(r.ask_method, "meeting"),
        initiated_by=by,
        summary=summary.format(title=r.application.display_title, how=how),
        was_ask=to == "asked",
        today=on,
        origin="letters",
    )


def _apply(
    r: LetterRequest, to: str, *, actor: str, on: dt.date, note: str, **fields: Any
) -> list[str]:
    """Set the fields a move records on ``r``; return their names. Raises before any change."""
    changes: dict[str, Any] = {}
    if to not in lifecycle.PRE_ASK and to != "asked" and r.asked_on and on < r.asked_on:
        raise TransitionError(
            f"{on:%B %-d, %Y} is before you asked ({r.asked_on:%B %-d, %Y}); check the date."
        )
    if to == "asked":
        method = fields.get("ask_method") or ""
        if method not in LetterRequest.AskMethod.values:
            raise TransitionError(
                "Say how you asked: in person, by video call, by phone or by email."
            )
        asked_on = fields.get("asked_on") or on
        if asked_on > on:
            raise TransitionError("The ask cannot be dated in the future.")
        changes.update(ask_method=method, asked_on=asked_on)
    elif to in ("agreed", "hesitant", "declined"):
        if r.status == "asked" or r.answered_on is None:
            changes["answered_on"] = on
        answer = fields.get("answer_note", note)
        if answer:
            changes["answer_note"] = answer
    elif to == "packet_sent":
        changes["packet_sent_on"] = on
    elif to == "form_sent":
        changes["form_sent_on"] = on
        letter_id = (fields.get("letter_id") or "").strip()
        if letter_id:
            changes["letter_id"] = letter_id[:64]
        elif r.application.service in (Service.ERAS, Service.ERAS_FELLOWSHIP) and not r.letter_id:
            raise TransitionError(
                "Enter the ERAS letter ID from the letter request form you sent the writer."
            )
    elif to == "reminded":
        changes.update(reminders_sent=r.reminders_sent + 1, last_reminded_on=on)
    elif to == "submitted":
        by = fields.get("submitted_confirmed_by") or lifecycle.CONFIRMERS.get(actor, "applicant")
        if by not in LetterRequest.ConfirmedBy.values:
            raise TransitionError("A submission is confirmed by the writer, the portal or you.")
        changes.update(submitted_on=on, submitted_confirmed_by=by)
    elif to == "thanked":
        changes["thanked_on"] = on
    elif to == "outcome_shared":
        changes["outcome_shared_on"] = on
    for name, value in changes.items():
        setattr(r, name, value)
    return list(changes)


# ---------------------------------------------------------------- outcomes and closing the loop


@transaction.atomic
def set_outcome(
    application: Application,
    *,
    program: str,
    stage: str,
    interview_on: dt.date | None = None,
    rank: int | None = None,
) -> ProgramOutcome:
    """Record how one program turned out (a second call for the same program updates it)."""
    program = " ".join((program or "").split())
    errors: dict[str, str] = {}
    if not program:
        errors["program"] = "Name the program, school or position."
    elif len(program) > 200:
        errors["program"] = "Keep the name under 200 characters."
    if stage not in outcomes.STAGES:
        errors["stage"] = "Choose what happened from the list."
    if problem := dates.problem(interview_on, "The interview date"):
        errors["interview_on"] = problem
    if rank is not None and not 1 <= rank <= 700:
        errors["rank"] = "A rank is a number from 1 (your first choice) to 700."
    if stage == "matched" and not errors:
        other = application.outcomes.filter(stage="matched").exclude(program=program).first()
        if other is not None:
            errors["stage"] = (
                f"You matched at {other.program} already; the Match gives one result. "
                "Change that one first if it was recorded by mistake."
            )
    if errors:
        raise ValidationError(errors)
    outcome, _ = ProgramOutcome.objects.update_or_create(
        application=application,
        program=program,
        defaults={"stage": stage, "interview_on": interview_on, "rank": rank},
    )
    return outcome


@transaction.atomic
def delete_outcome(outcome: ProgramOutcome) -> None:
    outcome.delete()


def outcome_summary(application: Application) -> str:
    """How the application went, in a sentence ("" while nothing is recorded)."""
    facts = [outcomes.ProgramFacts(o.program, o.stage, o.rank) for o in application.outcomes.all()]
    return outcomes.summary(facts, match=application.service in timeline.MATCH_SERVICES)


# The writers to tell: their letter is in (or they were told already, shown as done).
TELLABLE = frozenset({"submitted", "thanked", "outcome_shared"})


def writers_to_tell(
    application: Application, requests: list[LetterRequest] | None = None
) -> list[LetterRequest]:
    """The writers who submitted, to tell how it went, by name (``requests``: the
    application's, with their mentors, when the caller has read them already)."""
    if requests is None:
        return list(
            application.requests.filter(status__in=TELLABLE)
            .select_related("mentor", "application")
            .order_by("mentor__full_name")
        )
    return sorted((r for r in requests if r.status in TELLABLE), key=lambda r: r.mentor.full_name)


def record_told(request: LetterRequest, *, on: dt.date | None = None) -> LetterRequest:
    """You told this writer how it went (and thanked them, if you had not yet)."""
    if request.status == "outcome_shared":
        return request
    if request.status == "submitted":
        transition(request, "thanked", on=on, note="Thanked with the outcome update.")
    return transition(request, "outcome_shared", on=on)
