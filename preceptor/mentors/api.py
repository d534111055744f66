"""The mentors API: list, read and add mentors, log an interaction, cadence and readiness.

Session-authenticated like the rest of the API; every route calls the same services as the
pages, and another user's mentor is a 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import Router, Schema, Status

from preceptor.api.base import Input, responses, unprocessable
from preceptor.api.fields import OneLine, Rules
from preceptor.lib.http import AuthenticatedRequest
from preceptor.mentors import services
from preceptor.mentors.models import ActionItem, Interaction, Mentor, Tag

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


class MentorIn(Input):
    full_name: Annotated[str, Rules(Mentor, "full_name")]
    title: Annotated[str, Rules(Mentor, "title")] = ""
    role: Annotated[str, Rules(Mentor, "role")] = Mentor.Role.ATTENDING
    degree: Annotated[str, Rules(Mentor, "degree")] = ""
    specialty: Annotated[str, Rules(Mentor, "specialty")] = ""
    department: Annotated[str, Rules(Mentor, "department")] = ""
    institution: Annotated[str, Rules(Mentor, "institution")] = ""
    email: Annotated[str, Rules(Mentor, "email")] = ""
    phone: Annotated[str, Rules(Mentor, "phone")] = ""
    how_we_met: Annotated[str, Rules(Mentor, "how_we_met")] = ""
    met_on: Annotated[dt.date | None, Rules(Mentor, "met_on")] = None
    faculty: Annotated[str, Rules(Mentor, "faculty")] = ""
    prominence: Annotated[str, Rules(Mentor, "prominence")] = ""
    network_role: Annotated[str, Rules(Mentor, "network_role")] = ""
    status: Annotated[str, Rules(Mentor, "status")] = Mentor.Status.ACTIVE
    notes: Annotated[str, Rules(Mentor, "notes")] = ""
    tags: list[Annotated[str, Rules(Tag, "name")]] = []


class InteractionIn(Input):
    occurred_on: Annotated[dt.date, Rules(Interaction, "occurred_on")]
    kind: Annotated[str, Rules(Interaction, "kind")] = Interaction.Kind.MEETING
    initiated_by: Annotated[str, Rules(Interaction, "initiated_by")] = Interaction.Initiator.ME
    summary: Annotated[str, Rules(Interaction, "summary")] = ""
    advice: Annotated[str, Rules(Interaction, "advice")] = ""
    example: Annotated[str, Rules(Interaction, "example")] = ""
    gave_back: Annotated[str, Rules(Interaction, "gave_back")] = ""
    was_ask: Annotated[bool, Rules(Interaction, "was_ask")] = False
    action_items: list[Annotated[str, Rules(ActionItem, "text")]] = []


class ReadinessOut(Schema):
    mentor: UUID
    name: str
    score: int
    reasons: list[str]
    warnings: list[str]


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


@router.get("/", response=responses({200: list[MentorOut]}), url_name="mentors_list")
def list_mentors(request: AuthenticatedRequest) -> list[dict[str, object]]:
    today = services.today_for(request.user)
    return [_out(m, today) for m in services.with_related(services.mentors_of(request.user))]


@router.post(
    "/", response=responses({201: MentorDetailOut}, 422, change=True), url_name="mentors_create"
)
def create_mentor(request: AuthenticatedRequest, payload: MentorIn) -> Status:
    data = payload.dict()
    tags = data.pop("tags")
    try:
        mentor = services.create_mentor(request.user, tags=tags, **data)
    except DjangoValidationError as e:
        raise unprocessable(e) from e
    return Status(201, _detail(mentor, services.today_for(request.user)))


@router.get(
    "/readiness", response=responses({200: list[ReadinessOut]}, 422), url_name="mentors_readiness"
)
def readiness(
    request: AuthenticatedRequest, service: OneLine = "", specialty: OneLine = ""
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


@router.get(
    "/{mentor_id}", response=responses({200: MentorDetailOut}, 404, 422), url_name="mentors_detail"
)
def mentor_detail(request: AuthenticatedRequest, mentor_id: UUID) -> dict[str, object]:
    mentor = services.get_mentor_for_user(request.user, mentor_id)
    return _detail(mentor, services.today_for(request.user))


@router.post(
    "/{mentor_id}/interactions",
    response=responses({201: MentorDetailOut}, 404, 422, change=True),
    url_name="mentors_log_interaction",
)
def log_interaction(
    request: AuthenticatedRequest, mentor_id: UUID, payload: InteractionIn
) -> Status:
    mentor = services.get_mentor_for_user(request.user, mentor_id)
    data = payload.dict()
    try:
        services.log_interaction(mentor, **data)
    except DjangoValidationError as e:
        raise unprocessable(e) from e
    return Status(201, _detail(mentor, services.today_for(request.user)))
