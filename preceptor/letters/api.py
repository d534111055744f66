"""JSON API for applications and letter requests; the same services as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from preceptor.letters import drafts, lifecycle, mentorlink, queries, rulebook, services
from preceptor.letters.models import Application, LetterRequest, Service
from preceptor.lib.http import AuthenticatedRequest

router = Router(tags=["letters"])


def _fail(e: DjangoValidationError) -> HttpError:
    if hasattr(e, "error_dict"):
        text = "; ".join(f"{k}: {' '.join(v)}" for k, v in e.message_dict.items())
    else:
        text = " ".join(e.messages)
    return HttpError(422, text)


# ---------------------------------------------------------------- schemas


class CoverageLineOut(Schema):
    state: str
    text: str


class CoverageOut(Schema):
    summary: str
    complete: bool
    lines: list[CoverageLineOut]


class ApplicationOut(Schema):
    id: UUID
    title: str
    service: str
    specialty: str
    cycle: int
    official_deadline: dt.date
    personal_deadline_days: int
    personal_deadline: dt.date
    programs: list[str]
    instructions: str
    uses_vault: bool
    results_on: dt.date | None
    coverage: CoverageOut


class ApplicationIn(Schema):
    service: str
    specialty: str = ""
    cycle: int
    title: str = ""
    official_deadline: dt.date
    personal_deadline_days: int = 14
    programs: str = ""
    instructions: str = ""
    max_letters_override: int | None = None
    results_on: dt.date | None = None
    uses_vault: bool | None = None


class ApplicationPatch(Schema):
    specialty: str | None = None
    cycle: int | None = None
    title: str | None = None
    official_deadline: dt.date | None = None
    personal_deadline_days: int | None = None
    programs: str | None = None
    instructions: str | None = None
    max_letters_override: int | None = None
    results_on: dt.date | None = None
    uses_vault: bool | None = None


class StepOut(Schema):
    key: str
    on: dt.date
    label: str
    done: bool


class WarningOut(Schema):
    key: str
    message: str


class RequestOut(Schema):
    id: UUID
    application: UUID
    mentor: str
    mentor_id: UUID
    status: str
    status_label: str
    next_action: str
    allowed: list[str]
    kind: str
    category: str
    asked_on: dt.date | None
    ask_method: str
    answer_note: str
    letter_id: str
    reminders_sent: int
    submitted_on: dt.date | None
    submitted_confirmed_by: str
    waiver_signed: bool
    waiver_signed_on: dt.date | None
    writer_reminders: bool
    thanked_on: dt.date | None
    outcome_shared_on: dt.date | None
    personal_deadline: dt.date
    strengths: list[str]


class RequestDetailOut(RequestOut):
    steps: list[StepOut]
    warnings: list[WarningOut]


class RequestIn(Schema):
    mentor_id: UUID
    status: str = "planned"
    kind: str = "standard"
    category: str = ""


class RequestPatch(Schema):
    kind: str | None = None
    category: str | None = None
    letter_id: str | None = None
    writer_reminders: bool | None = None
    strengths: list[str] | None = None
    summary: str | None = None
    notes: str | None = None


class TransitionIn(Schema):
    to_status: str
    on: dt.date | None = None
    note: str = ""
    ask_method: str | None = None
    answer_note: str | None = None
    letter_id: str | None = None
    submitted_confirmed_by: str | None = None


class DraftOut(Schema):
    key: str
    title: str
    to: str
    subject: str
    body: str
    mailto: str


# ---------------------------------------------------------------- converters


def _app_out(app: Application) -> ApplicationOut:
    c = rulebook.coverage(app)
    return ApplicationOut(
        id=app.public_id,
        title=app.display_title,
        service=app.service,
        specialty=app.specialty,
        cycle=app.cycle,
        official_deadline=app.official_deadline,
        personal_deadline_days=app.personal_deadline_days,
        personal_deadline=app.personal_deadline,
        programs=app.program_list,
        instructions=app.instructions,
        uses_vault=app.uses_vault,
        results_on=app.results_on,
        coverage=CoverageOut(
            summary=c.summary,
            complete=c.complete,
            lines=[CoverageLineOut(state=x.state, text=x.text) for x in c.lines],
        ),
    )


def _req_fields(r: LetterRequest) -> dict[str, Any]:
    return {
        "id": r.public_id,
        "application": r.application.public_id,
        "mentor": str(r.mentor),
        "mentor_id": r.mentor.public_id,
        "status": r.status,
        "status_label": r.status_label,
        "next_action": r.next_action,
        "allowed": lifecycle.allowed_for(r.status),
        "kind": r.kind,
        "category": r.category,
        "asked_on": r.asked_on,
        "ask_method": r.ask_method,
        "answer_note": r.answer_note,
        "letter_id": r.letter_id,
        "reminders_sent": r.reminders_sent,
        "submitted_on": r.submitted_on,
        "submitted_confirmed_by": r.submitted_confirmed_by,
        "waiver_signed": r.waiver_signed,
        "waiver_signed_on": r.waiver_signed_on,
        "writer_reminders": r.writer_reminders,
        "thanked_on": r.thanked_on,
        "outcome_shared_on": r.outcome_shared_on,
        "personal_deadline": r.personal_deadline,
        "strengths": list(r.strengths or []),
    }


def _req_detail(r: LetterRequest, user: Any) -> RequestDetailOut:
    plan = queries.plan_for(r, services.today_for(user))
    return RequestDetailOut(
        **_req_fields(r),
        steps=[StepOut(key=s.key, on=s.on, label=s.label, done=s.done) for s in plan.steps],
        warnings=[WarningOut(key=w.key, message=w.message) for w in plan.warnings],
    )


# ---------------------------------------------------------------- applications


@router.get("/applications", response=list[ApplicationOut], url_name="letters_applications")
def list_applications(request: AuthenticatedRequest) -> list[ApplicationOut]:
    return [_app_out(a) for a in queries.applications_for(request.user)]


@router.post("/applications", response={201: ApplicationOut}, url_name="letters_application_create")
def create_application(
    request: AuthenticatedRequest, payload: ApplicationIn
) -> Status[ApplicationOut]:
    if payload.service not in Service.values:
        raise HttpError(422, f"service: use one of {', '.join(Service.values)}.")
    try:
        app = services.create_application(request.user, **payload.dict())
    except DjangoValidationError as e:
        raise _fail(e) from e
    return Status(201, _app_out(app))


@router.get("/applications/{app_id}", response=ApplicationOut, url_name="letters_application")
def get_application(request: AuthenticatedRequest, app_id: UUID) -> ApplicationOut:
    return _app_out(services.get_application_for_user(request.user, app_id))


@router.patch(
    "/applications/{app_id}", response=ApplicationOut, url_name="letters_application_update"
)
def update_application(
    request: AuthenticatedRequest, app_id: UUID, payload: ApplicationPatch
) -> ApplicationOut:
    app = services.get_application_for_user(request.user, app_id)
    fields = payload.dict(exclude_unset=True)
    try:
        services.update_application(app, **fields)
    except DjangoValidationError as e:
        app.refresh_from_db()
        raise _fail(e) from e
    return _app_out(app)


@router.delete(
    "/applications/{app_id}", response={204: None}, url_name="letters_application_delete"
)
def delete_application(request: AuthenticatedRequest, app_id: UUID) -> Status[None]:
    services.delete_application(services.get_application_for_user(request.user, app_id))
    return Status(204, None)


@router.get(
    "/applications/{app_id}/requests",
    response=list[RequestOut],
    url_name="letters_application_requests",
)
def application_requests(request: AuthenticatedRequest, app_id: UUID) -> list[RequestOut]:
    app = services.get_application_for_user(request.user, app_id)
    return [RequestOut(**_req_fields(r)) for r in app.requests.select_related("mentor")]


@router.post(
    "/applications/{app_id}/requests",
    response={201: RequestDetailOut},
    url_name="letters_request_create",
)
def create_request(
    request: AuthenticatedRequest, app_id: UUID, payload: RequestIn
) -> Status[RequestDetailOut]:
    app = services.get_application_for_user(request.user, app_id)
    try:
        mentor = mentorlink.get_mentor_by_public_id(request.user, payload.mentor_id)
    except Http404 as e:
        raise HttpError(422, "mentor_id: no such mentor of yours.") from e
    if payload.kind not in LetterRequest.Kind.values:
        raise HttpError(422, f"kind: use one of {', '.join(LetterRequest.Kind.values)}.")
    if payload.category not in LetterRequest.Category.values:
        raise HttpError(422, "category: not a known writer category.")
    try:
        r = services.plan_request(
            app, mentor, status=payload.status, kind=payload.kind, category=payload.category
        )
    except DjangoValidationError as e:
        raise _fail(e) from e
    return Status(201, _req_detail(r, request.user))


# ---------------------------------------------------------------- requests


@router.get("/requests", response=list[RequestOut], url_name="letters_requests")
def list_requests(request: AuthenticatedRequest, status: str | None = None) -> list[RequestOut]:
    qs = queries.requests_for(request.user)
    if status:
        if status not in lifecycle.STATUSES:
            raise HttpError(422, f"status: use one of {', '.join(lifecycle.STATUSES)}.")
        qs = qs.filter(status=status)
    return [RequestOut(**_req_fields(r)) for r in qs]


@router.get("/requests/{req_id}", response=RequestDetailOut, url_name="letters_request")
def get_request(request: AuthenticatedRequest, req_id: UUID) -> RequestDetailOut:
    return _req_detail(services.get_request_for_user(request.user, req_id), request.user)


@router.patch("/requests/{req_id}", response=RequestDetailOut, url_name="letters_request_update")
def update_request(
    request: AuthenticatedRequest, req_id: UUID, payload: RequestPatch
) -> RequestDetailOut:
    r = services.get_request_for_user(request.user, req_id)
    try:
        services.update_request(r, **payload.dict(exclude_unset=True))
    except DjangoValidationError as e:
        r.refresh_from_db()
        raise _fail(e) from e
    return _req_detail(r, request.user)


@router.post(
    "/requests/{req_id}/transitions",
    response=RequestDetailOut,
    url_name="letters_request_transition",
)
def transition_request(
    request: AuthenticatedRequest, req_id: UUID, payload: TransitionIn
) -> RequestDetailOut:
    r = services.get_request_for_user(request.user, req_id)
    extra = {
        k: v
        for k, v in payload.dict().items()
        if k in ("ask_method", "answer_note", "letter_id", "submitted_confirmed_by") and v
    }
    try:
        services.transition(
            r, payload.to_status, actor="applicant", note=payload.note, on=payload.on, **extra
        )
    except DjangoValidationError as e:
        raise _fail(e) from e
    return _req_detail(r, request.user)


@router.get("/requests/{req_id}/drafts/{key}", response=DraftOut, url_name="letters_request_draft")
def get_draft(request: AuthenticatedRequest, req_id: UUID, key: str) -> DraftOut:
    r = services.get_request_for_user(request.user, req_id)
    if key not in drafts.STEPS:
        raise HttpError(404, f"No draft “{key}”; use one of {', '.join(drafts.STEPS)}.")
    d = queries.draft_for(r, key)
    return DraftOut(
        key=d.key, title=d.title, to=d.to, subject=d.subject, body=d.body, mailto=d.mailto
    )
