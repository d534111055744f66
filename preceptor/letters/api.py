"""JSON API for applications and letter requests; the same services as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from preceptor.api.base import Input, responses, unprocessable
from preceptor.api.fields import Date, OneLine, Rules, Text
from preceptor.letters import drafts, library, lifecycle, mentorlink, queries, rulebook, services
from preceptor.letters.models import Application, LetterRequest, LibraryDocument
from preceptor.lib.http import AuthenticatedRequest

router = Router(tags=["letters"])


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


class ApplicationIn(Input):
    """A null ``personal_deadline_days`` means 14; a null ``uses_vault`` the service's usual way."""

    service: Annotated[str, Rules(Application, "service")]
    specialty: Annotated[str, Rules(Application, "specialty")] = ""
    cycle: Annotated[int, Rules(Application, "cycle")]
    title: Annotated[str, Rules(Application, "title")] = ""
    official_deadline: Annotated[dt.date, Rules(Application, "official_deadline")]
    personal_deadline_days: Annotated[
        int | None, Rules(Application, "personal_deadline_days", null=True)
    ] = 14
    programs: Annotated[str, Rules(Application, "programs")] = ""
    instructions: Annotated[str, Rules(Application, "instructions")] = ""
    max_letters_override: Annotated[int | None, Rules(Application, "max_letters_override")] = None
    results_on: Annotated[dt.date | None, Rules(Application, "results_on")] = None
    uses_vault: Annotated[bool | None, Rules(Application, "uses_vault", null=True)] = None


class ApplicationPatch(Input):
    """Leave a field out to keep it. Null means: no override, no results date, a 14-day
    margin, the service's usual way; no other field may be null."""

    specialty: Annotated[str | None, Rules(Application, "specialty")] = None
    cycle: Annotated[int | None, Rules(Application, "cycle")] = None
    title: Annotated[str | None, Rules(Application, "title")] = None
    official_deadline: Annotated[dt.date | None, Rules(Application, "official_deadline")] = None
    personal_deadline_days: Annotated[
        int | None, Rules(Application, "personal_deadline_days", null=True)
    ] = None
    programs: Annotated[str | None, Rules(Application, "programs")] = None
    instructions: Annotated[str | None, Rules(Application, "instructions")] = None
    max_letters_override: Annotated[int | None, Rules(Application, "max_letters_override")] = None
    results_on: Annotated[dt.date | None, Rules(Application, "results_on")] = None
    uses_vault: Annotated[bool | None, Rules(Application, "uses_vault", null=True)] = None


class StepOut(Schema):
    key: str
    on: dt.date
    label: str
    done: bool


class WarningOut(Schema):
    key: str
    message: str


class LetterRequestOut(Schema):
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


class LetterRequestDetailOut(LetterRequestOut):
    steps: list[StepOut]
    warnings: list[WarningOut]


class LetterRequestIn(Input):
    mentor_id: UUID
    status: Literal["candidate", "planned"] = "planned"
    kind: Annotated[str, Rules(LetterRequest, "kind")] = "standard"
    category: Annotated[str, Rules(LetterRequest, "category")] = ""


class LetterRequestPatch(Input):
    """Leave a field out to keep it; none may be null."""

    kind: Annotated[str | None, Rules(LetterRequest, "kind")] = None
    category: Annotated[str | None, Rules(LetterRequest, "category")] = None
    letter_id: Annotated[str | None, Rules(LetterRequest, "letter_id")] = None
    writer_reminders: Annotated[bool | None, Rules(LetterRequest, "writer_reminders")] = None
    strengths: list[OneLine] | None = None
    summary: Annotated[str | None, Rules(LetterRequest, "summary")] = None
    notes: Annotated[str | None, Rules(LetterRequest, "notes")] = None


class TransitionIn(Input):
    to_status: Annotated[str, Rules(LetterRequest, "status")]
    on: Date | None = None
    note: Text = ""
    ask_method: Annotated[str | None, Rules(LetterRequest, "ask_method", null=True)] = None
    answer_note: Annotated[str | None, Rules(LetterRequest, "answer_note", null=True)] = None
    letter_id: Annotated[str | None, Rules(LetterRequest, "letter_id", null=True)] = None
    submitted_confirmed_by: Annotated[
        str | None, Rules(LetterRequest, "submitted_confirmed_by", null=True)
    ] = None


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


def _req_detail(r: LetterRequest, user: Any) -> LetterRequestDetailOut:
    plan = queries.plan_for(r, services.today_for(user))
    return LetterRequestDetailOut(
        **_req_fields(r),
        steps=[StepOut(key=s.key, on=s.on, label=s.label, done=s.done) for s in plan.steps],
        warnings=[WarningOut(key=w.key, message=w.message) for w in plan.warnings],
    )


# ---------------------------------------------------------------- applications


@router.get(
    "/applications",
    response=responses({200: list[ApplicationOut]}),
    url_name="letters_applications",
)
def list_applications(request: AuthenticatedRequest) -> list[ApplicationOut]:
    return [_app_out(a) for a in queries.applications_for(request.user)]


@router.post(
    "/applications",
    response=responses({201: ApplicationOut}, 422, change=True),
    url_name="letters_application_create",
)
def create_application(
    request: AuthenticatedRequest, payload: ApplicationIn
) -> Status[ApplicationOut]:
    try:
        app = services.create_application(request.user, **payload.dict())
    except DjangoValidationError as e:
        raise unprocessable(e) from e
    return Status(201, _app_out(app))


@router.get(
    "/applications/{app_id}",
    response=responses({200: ApplicationOut}, 404, 422),
    url_name="letters_application",
)
def get_application(request: AuthenticatedRequest, app_id: UUID) -> ApplicationOut:
    return _app_out(services.get_application_for_user(request.user, app_id))


@router.patch(
    "/applications/{app_id}",
    response=responses({200: ApplicationOut}, 404, 422, change=True),
    url_name="letters_application_update",
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
        raise unprocessable(e) from e
    return _app_out(app)


@router.delete(
    "/applications/{app_id}",
    response=responses({204: None}, 404, 422, change=True),
    url_name="letters_application_delete",
)
def delete_application(request: AuthenticatedRequest, app_id: UUID) -> Status[None]:
    services.delete_application(services.get_application_for_user(request.user, app_id))
    return Status(204, None)


@router.get(
    "/applications/{app_id}/requests",
    response=responses({200: list[LetterRequestOut]}, 404, 422),
    url_name="letters_application_requests",
)
def application_requests(request: AuthenticatedRequest, app_id: UUID) -> list[LetterRequestOut]:
    app = services.get_application_for_user(request.user, app_id)
    return [LetterRequestOut(**_req_fields(r)) for r in app.requests.select_related("mentor")]


@router.post(
    "/applications/{app_id}/requests",
    response=responses({201: LetterRequestDetailOut}, 404, 422, change=True),
    url_name="letters_request_create",
)
def create_request(
    request: AuthenticatedRequest, app_id: UUID, payload: LetterRequestIn
) -> Status[LetterRequestDetailOut]:
    app = services.get_application_for_user(request.user, app_id)
    try:
        mentor = mentorlink.get_mentor_by_public_id(request.user, payload.mentor_id)
    except Http404 as e:
        raise HttpError(422, "mentor_id: no such mentor of yours.") from e
    try:
        r = services.plan_request(
            app, mentor, status=payload.status, kind=payload.kind, category=payload.category
        )
    except DjangoValidationError as e:
        raise unprocessable(e) from e
    return Status(201, _req_detail(r, request.user))


# ---------------------------------------------------------------- requests


@router.get(
    "/requests", response=responses({200: list[LetterRequestOut]}, 422), url_name="letters_requests"
)
def list_requests(
    request: AuthenticatedRequest,
    status: Annotated[str | None, Rules(LetterRequest, "status", null=True)] = None,
) -> list[LetterRequestOut]:
    qs = queries.requests_for(request.user)
    if status:
        qs = qs.filter(status=status)
    return [LetterRequestOut(**_req_fields(r)) for r in qs]


@router.get(
    "/requests/{req_id}",
    response=responses({200: LetterRequestDetailOut}, 404, 422),
    url_name="letters_request",
)
def get_request(request: AuthenticatedRequest, req_id: UUID) -> LetterRequestDetailOut:
    return _req_detail(services.get_request_for_user(request.user, req_id), request.user)


@router.patch(
    "/requests/{req_id}",
    response=responses({200: LetterRequestDetailOut}, 404, 422, change=True),
    url_name="letters_request_update",
)
def update_request(
    request: AuthenticatedRequest, req_id: UUID, payload: LetterRequestPatch
) -> LetterRequestDetailOut:
    r = services.get_request_for_user(request.user, req_id)
    try:
        services.update_request(r, **payload.dict(exclude_unset=True))
    except DjangoValidationError as e:
        r.refresh_from_db()
        raise unprocessable(e) from e
    return _req_detail(r, request.user)


@router.post(
    "/requests/{req_id}/transitions",
    response=responses({200: LetterRequestDetailOut}, 404, 422, change=True),
    url_name="letters_request_transition",
)
def transition_request(
    request: AuthenticatedRequest, req_id: UUID, payload: TransitionIn
) -> LetterRequestDetailOut:
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
        raise unprocessable(e) from e
    return _req_detail(r, request.user)


@router.get(
    "/requests/{req_id}/drafts/{key}",
    response=responses({200: DraftOut}, 404, 422),
    url_name="letters_request_draft",
)
def get_draft(request: AuthenticatedRequest, req_id: UUID, key: str) -> DraftOut:
    r = services.get_request_for_user(request.user, req_id)
    if key not in drafts.STEPS:
        raise HttpError(404, f"No draft “{key}”; use one of {', '.join(drafts.STEPS)}.")
    d = queries.draft_for(r, key)
    return DraftOut(
        key=d.key, title=d.title, to=d.to, subject=d.subject, body=d.body, mailto=d.mailto
    )


# ---------------------------------------------------------------- the document library
# Files are uploaded on the pages (checked, rate-limited); the API reads the library,
# renames, deletes an unsent version and chooses what each packet sends.


class VersionOut(Schema):
    id: UUID
    number: int
    original_name: str
    size: int
    page_count: int
    uploaded_at: dt.datetime
    sent_to: int


class DocumentUseOut(Schema):
    application: UUID
    version: int | None  # None: always the latest


class LibraryDocumentOut(Schema):
    id: UUID
    kind: str
    title: str
    versions: list[VersionOut]
    used_by: list[DocumentUseOut]


class LibraryDocumentPatch(Input):
    title: Annotated[str, Rules(LibraryDocument, "title")]


class DocumentUseIn(Input):
    """``version_id`` null: the packet always sends the document's latest version."""

    document_id: UUID
    version_id: UUID | None = None


def _doc_out(d: LibraryDocument) -> LibraryDocumentOut:
    return LibraryDocumentOut(
        id=d.public_id,
        kind=d.kind,
        title=d.title,
        versions=[
            VersionOut(
                id=v.public_id,
                number=v.number,
                original_name=v.original_name,
                size=v.size,
                page_count=v.page_count,
                uploaded_at=v.uploaded_at,
                sent_to=len(library.sent_of(v)),
            )
            for v in d.versions.all()
        ],
        used_by=[
            DocumentUseOut(
                application=u.application.public_id,
                version=u.version.number if u.version else None,
            )
            for u in library.uses_of(d)
        ],
    )


@router.get(
    "/documents", response=responses({200: list[LibraryDocumentOut]}), url_name="letters_library"
)
def list_documents(request: AuthenticatedRequest) -> list[LibraryDocumentOut]:
    return [_doc_out(d) for d in library.library_for(request.user)]


@router.patch(
    "/documents/{doc_id}",
    response=responses({200: LibraryDocumentOut}, 404, 422, change=True),
    url_name="letters_library_rename",
)
def rename_document(
    request: AuthenticatedRequest, doc_id: UUID, payload: LibraryDocumentPatch
) -> LibraryDocumentOut:
    document = library.get_document_for_user(request.user, doc_id)
    try:
        library.rename(document, payload.title)
    except DjangoValidationError as e:
        raise unprocessable(e) from e
    return _doc_out(library.with_history(document))


@router.delete(
    "/versions/{version_id}",
    response=responses({204: None}, 404, 409, 422, change=True),
    url_name="letters_version_delete",
)
def delete_version(request: AuthenticatedRequest, version_id: UUID) -> Status[None]:
    """Refused (409) for a version a writer received or an application is set to."""
    version = library.get_version_for_user(request.user, version_id)
    try:
        library.delete_version(version)
    except DjangoValidationError as e:
        raise HttpError(409, " ".join(e.messages)) from e
    return Status(204, None)


@router.put(
    "/applications/{app_id}/documents/{kind}",
    response=responses({200: LibraryDocumentOut}, 404, 422, change=True),
    url_name="letters_application_document_use",
)
def use_document(
    request: AuthenticatedRequest,
    app_id: UUID,
    kind: Literal["cv", "statement", "transcript"],
    payload: DocumentUseIn,
) -> LibraryDocumentOut:
    """Put a library document of this ``kind`` in the application's packet."""
    app = services.get_application_for_user(request.user, app_id)
    try:
        document = library.get_document_for_user(request.user, payload.document_id)
    except Http404 as e:
        raise HttpError(422, "document_id: no such document of yours.") from e
    if document.kind != kind:
        raise HttpError(
            422, f"document_id: that document is a {library.kind_label(document.kind)}."
        )
    version = None
    if payload.version_id is not None:
        try:
            version = library.get_version_for_user(request.user, payload.version_id)
        except Http404 as e:
            raise HttpError(422, "version_id: no such version of yours.") from e
    try:
        library.use_in_application(app, document, version)
    except DjangoValidationError as e:
        raise unprocessable(e) from e
    return _doc_out(library.with_history(document))


@router.delete(
    "/applications/{app_id}/documents/{kind}",
    response=responses({204: None}, 404, 422, change=True),
    url_name="letters_application_document_remove",
)
def stop_using_document(
    request: AuthenticatedRequest, app_id: UUID, kind: Literal["cv", "statement", "transcript"]
) -> Status[None]:
    """Take the document of ``kind`` out of the packet; it stays in the library."""
    app = services.get_application_for_user(request.user, app_id)
    if not library.stop_using(app, kind):
        raise Http404("This packet has no such document.")
    return Status(204, None)
