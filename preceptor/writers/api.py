"""Writer links, vault letters and deliveries as JSON: metadata only, never a letter's bytes.

Mounted at ``/api/v1/writers/``. Every route is the applicant's own (session auth); the
writer and recipient use their token pages, not the API.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import Field, Router, Schema, Status
from pydantic import StrictBool, StrictInt

from preceptor.api.base import Input, responses, unprocessable
from preceptor.api.fields import Rules
from preceptor.lib.http import AuthenticatedRequest
from preceptor.writers import services
from preceptor.writers.models import AuditEvent, Delivery, VaultLetter, WriterLink

if TYPE_CHECKING:
    from preceptor.letters.models import LetterRequest

router = Router(tags=["writers"])


class LinkOut(Schema):
    id: UUID
    status: str
    created: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    sent_to: str
    last_used_at: dt.datetime | None


class LetterOut(Schema):
    id: UUID
    version: int
    received_on: dt.date
    replaced_on: dt.date | None
    page_count: int
    size: int
    delivered: bool
    waived: bool


class DeliveryOut(Schema):
    id: UUID
    recipient_name: str
    recipient_email: str
    version: int
    created: dt.datetime
    expires_at: dt.datetime
    downloads: int
    max_downloads: int
    status: str


class AuditEventOut(Schema):
    kind: str
    label: str
    detail: str
    at: dt.datetime


class VaultRequestOut(Schema):
    request_id: UUID
    writer_name: str
    status: str
    uses_vault: bool
    waiver_signed: bool
    links: list[LinkOut]
    letters: list[LetterOut]
    deliveries: list[DeliveryOut]
    events: list[AuditEventOut]


class NewLinkIn(Input):
    send_email: StrictBool = False


class NewLinkOut(Schema):
    url: str
    emailed_to: str


class DeliveryIn(Input):
    name: Annotated[str, Rules(Delivery, "recipient_name")]
    email: Annotated[str, Rules(Delivery, "recipient_email")]
    max_downloads: Annotated[StrictInt, Field(ge=1, le=services.MAX_DELIVERY_DOWNLOADS)] = (
        services.DELIVERY_DOWNLOADS
    )
    valid_days: Annotated[StrictInt, Field(ge=1, le=services.MAX_DELIVERY_DAYS)] = (
        services.DELIVERY_DAYS
    )


def _link(link: WriterLink) -> LinkOut:
    return LinkOut(
        id=link.public_id,
        status=link.status,
        created=link.created,
        expires_at=link.expires_at,
        revoked_at=link.revoked_at,
        sent_to=link.sent_to,
        last_used_at=link.last_used_at,
    )


def _letter(letter: VaultLetter, request: LetterRequest) -> LetterOut:
    return LetterOut(
        id=letter.public_id,
        version=letter.version,
        received_on=services.local_date(request, letter.received_at),
        replaced_on=(
            services.local_date(request, letter.replaced_at) if letter.replaced_at else None
        ),
        page_count=letter.page_count,
        size=letter.size,
        delivered=letter.is_locked,
        waived=letter.waived,
    )


def _delivery(d: Delivery) -> DeliveryOut:
    return DeliveryOut(
        id=d.public_id,
        recipient_name=d.recipient_name,
        recipient_email=d.recipient_email,
        version=d.letter.version,
        created=d.created,
        expires_at=d.expires_at,
        downloads=d.downloads,
        max_downloads=d.max_downloads,
        status=d.status,
    )


def _event(e: AuditEvent) -> AuditEventOut:
    return AuditEventOut(kind=e.kind, label=e.get_kind_display(), detail=e.detail, at=e.at)


def _request_out(r: object) -> VaultRequestOut:
    from preceptor.letters.models import LetterRequest

    assert isinstance(r, LetterRequest)
    return VaultRequestOut(
        request_id=r.public_id,
        writer_name=r.mentor.full_name,
        status=r.status,
        uses_vault=r.application.uses_vault,
        waiver_signed=r.waiver_signed,
        links=[_link(link) for link in r.writer_links.all()],
        letters=[_letter(v, r) for v in services.letters_for(r)],
        deliveries=[
            _delivery(d)
            for d in Delivery.objects.filter(letter__request=r).select_related("letter")
        ],
        events=[_event(e) for e in r.writer_events.all()[:200]],
    )


@router.get(
    "/requests", response=responses({200: list[VaultRequestOut]}), url_name="writers_requests"
)
def list_requests(request: AuthenticatedRequest) -> list[VaultRequestOut]:
    from preceptor.letters.models import LetterRequest

    rows = LetterRequest.objects.filter(application__user=request.user).select_related(
        "application", "mentor"
    )
    return [_request_out(r) for r in rows]


@router.get(
    "/requests/{public_id}",
    response=responses({200: VaultRequestOut}, 404, 422),
    url_name="writers_request",
)
def get_request(request: AuthenticatedRequest, public_id: UUID) -> VaultRequestOut:
    return _request_out(services.get_request_for_user(request.user, public_id))


@router.post(
    "/requests/{public_id}/links",
    response=responses({201: NewLinkOut}, 404, 422, change=True),
    url_name="writers_link_create",
)
def create_link(request: AuthenticatedRequest, public_id: UUID, payload: NewLinkIn) -> Status:
    r = services.get_request_for_user(request.user, public_id)
    try:
        url = services.issue_link(r, send_email=payload.send_email)
    except DjangoValidationError as e:
        raise unprocessable(e) from e
    return Status(201, NewLinkOut(url=url, emailed_to=r.mentor.email if payload.send_email else ""))


@router.post(
    "/links/{public_id}/revoke",
    response=responses({200: LinkOut}, 404, 422, change=True),
    url_name="writers_link_revoke",
)
def revoke_link(request: AuthenticatedRequest, public_id: UUID) -> LinkOut:
    link = services.get_link_for_user(request.user, public_id)
    services.revoke_link(link)
    return _link(link)


@router.post(
    "/requests/{public_id}/deliveries",
    response=responses({201: DeliveryOut}, 404, 422, change=True),
    url_name="writers_deliver",
)
def deliver(request: AuthenticatedRequest, public_id: UUID, payload: DeliveryIn) -> Status:
    r = services.get_request_for_user(request.user, public_id)
    try:
        delivery = services.deliver(
            r,
            name=payload.name,
            email=payload.email,
            max_downloads=payload.max_downloads,
            valid_days=payload.valid_days,
            # A client may send an Idempotency-Key so that a retried request delivers once.
            nonce=request.headers.get("Idempotency-Key") or None,
            require_nonce=False,
        )
    except DjangoValidationError as e:
        raise unprocessable(e) from e
    return Status(201, _delivery(delivery))


@router.post(
    "/deliveries/{public_id}/revoke",
    response=responses({200: DeliveryOut}, 404, 422, change=True),
    url_name="writers_delivery_revoke",
)
def revoke_delivery(request: AuthenticatedRequest, public_id: UUID) -> DeliveryOut:
    delivery = services.get_delivery_for_user(request.user, public_id)
    services.revoke_delivery(delivery)
    return _delivery(delivery)
