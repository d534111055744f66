"""The mentors API: list, read and add mentors, log an interaction, cadence and readiness.

Session-authenticated like the rest of the API; every route calls the same services as the
pages, and another user's mentor is a 404.
"""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from preceptor.lib.http import AuthenticatedRequest
from preceptor.mentors import services
from preceptor.mentors.models import Interaction, Mentor

router = Router(tags=["mentors"])


class MentorOut(Schema):
    id: UUID
    name: str
    full_name: str
    title: str
    role: str
    degree: str
    specialty: str
    department: str
    institution: str
    email: str
    status: str
    network_role: str
    faculty: str
    met_on: dt.date | None
    tags: list[str]
    last_contact: dt.date | None
    cadence_state: str | None
    due_on: dt.date | None
    overdue_on: dt.date | None


class InteractionOut(Schema):
    id: UUID
    occurred_on: dt.date
    kind: str
    initiated_by: str
    summary: str
    advice: str


class MentorDetailOut(MentorOut):
    interactions: list[InteractionOut]
    open_action_items: list[str]


class MentorIn(Schema):
    full_name: str
    title: str = ""
    role: str = Mentor.Role.ATTENDING
    degree: str = ""
    specialty: str = ""
    department: str = ""
    institution: str = ""
    email: str = ""
    phone: str = ""
    how_we_met: str = ""
    met_on: dt.date | None = None
    faculty: str = ""
    prominence: str = ""
    network_role: str = ""
    status: str = Mentor.Status.ACTIVE
    notes: str = ""
    tags: list[str] = []


class InteractionIn(Schema):
    occurred_on: dt.date
    kind: str = Interaction.Kind.MEETING
    initiated_by: str = Interaction.Initiator.ME
    summary: str = ""
    advice: str = ""
    example: str = ""
    gave_back: str = ""
    was_ask: bool = False
    action_items: list[str] = []


class ReadinessOut(Schema):
    mentor: UUID
    name: str
    score: int
    reasons: list[str]
    warnings: list[str]


def _unprocessable(e: DjangoValidationError) -> HttpError:
    if hasattr(e, "error_dict"):
        text = "; ".join(f"{k}: {' '.join(v)}" for k, v in e.message_dict.items())
    else:
        text = " ".join(e.messages)
    return HttpError(422, text)


def _out(mentor: Mentor, today: dt.date) -> dict[str, object]:
    cadence = services.cadence_of(mentor, today)
    return {
        "id": mentor.public_id,
        "name": str(mentor),
        **{
            f: getattr(mentor, f)
            for f in (
                "full_name",
                "title",
                "role",
                "degree",
                "specialty",
                "department",
                "institution",
                "email",
                "status",
                "network_role",
                "faculty",
                "met_on",
            )
        },
        "tags": [t.name for t in mentor.tags.all()],
        "last_contact": cadence.last_contact if cadence else None,
        "cadence_state": cadence.state if cadence else None,
        "due_on": cadence.due_on if cadence else None,
        "overdue_on": cadence.overdue_on if cadence else None,
    }


def _detail(mentor: Mentor, today: dt.date) -> dict[str, object]:
    mentor = services.with_related(Mentor.objects.filter(pk=mentor.pk)).get()
    return {
        **_out(mentor, today),
        "interactions": [
            {
                "id": i.public_id,
                **{
                    f: getattr(i, f)
                    for f in ("occurred_on", "kind", "initiated_by", "summary", "advice")
                },
            }
            for i in mentor.interactions.all()
        ],
        "open_action_items": [a.text for a in mentor.action_items.all() if a.status == "open"],
    }


@router.get("/", response=list[MentorOut], url_name="mentors_list")
def list_mentors(request: AuthenticatedRequest) -> list[dict[str, object]]:
    today = services.today_for(request.user)
    return [_out(m, today) for m in services.with_related(services.mentors_of(request.user))]


@router.post("/", response={201: MentorDetailOut}, url_name="mentors_create")
def create_mentor(request: AuthenticatedRequest, payload: MentorIn) -> Status:
    data = payload.dict()
    tags = data.pop("tags")
    try:
        mentor = services.create_mentor(request.user, tags=tags, **data)
    except DjangoValidationError as e:
        raise _unprocessable(e) from e
    return Status(201, _detail(mentor, services.today_for(request.user)))


@router.get("/readiness", response=list[ReadinessOut], url_name="mentors_readiness")
def readiness(
    request: AuthenticatedRequest, service: str = "", specialty: str = ""
) -> list[dict[str, object]]:
    default_service, default_specialty = services.target_for(request.user)
    ranked = services.readiness_for(
        request.user, service=service or default_service, specialty=specialty or default_specialty
    )
    return [
        {
            "mentor": r.mentor.public_id,
            "name": str(r.mentor),
            "score": r.score,
            "reasons": r.reasons,
            "warnings": r.warnings,
        }
        for r in ranked
    ]


@router.get("/{mentor_id}", response=MentorDetailOut, url_name="mentors_detail")
def mentor_detail(request: AuthenticatedRequest, mentor_id: str) -> dict[str, object]:
    mentor = services.get_mentor_for_user(request.user, mentor_id)
    return _detail(mentor, services.today_for(request.user))


@router.post(
    "/{mentor_id}/interactions", response={201: MentorDetailOut}, url_name="mentors_log_interaction"
)
def log_interaction(
    request: AuthenticatedRequest, mentor_id: str, payload: InteractionIn
) -> Status:
    mentor = services.get_mentor_for_user(request.user, mentor_id)
    data = payload.dict()
    try:
        services.log_interaction(mentor, **data)
    except DjangoValidationError as e:
        raise _unprocessable(e) from e
    return Status(201, _detail(mentor, services.today_for(request.user)))
