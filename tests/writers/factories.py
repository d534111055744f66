"""Letter requests to test with, built through the letters app's own services."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from typing import Any

from django.core.mail import EmailMessage

from preceptor.accounts.models import User
from preceptor.letters import services as letters
from preceptor.letters.models import LetterRequest
from preceptor.writers import services
from preceptor.writers.demo_data import demo_letter_pdf

# A phrase inside every test letter: if it ever shows up in a response, the letter leaked.
LETTER_MARKER = "Confidential-Marker-7Q2X"

WRITER_STEPS = {
    "planned": [],
    "asked": ["asked"],
    "agreed": ["asked", "agreed"],
    "packet_sent": ["asked", "agreed", "packet_sent"],
    "declined": ["asked", "declined"],
    "submitted": ["asked", "agreed", "submitted"],
}


def make_mentor(user: User, name: str = "Dr. Dana Writer", email: str = "dana@example.edu") -> Any:
    from preceptor.mentors import services as mentors

    return mentors.create_mentor(user, full_name=name, email=email, allow_duplicate=True)


def make_request(
    user: User,
    *,
    vault: bool = True,
    status: str = "asked",
    waived: bool = True,
    mentor: Any = None,
    days: int = 60,
) -> LetterRequest:
    today = letters.today_for(user)
    application = letters.create_application(
        user,
        service="direct" if vault else "amcas",
        cycle=today.year + 1,
        title="Research fellowship" if vault else "",
        official_deadline=today + dt.timedelta(days=days),
        instructions="Upload the letter through your link, on letterhead and signed.",
        uses_vault=vault,
    )
    mentor = mentor or make_mentor(user)
    r = letters.plan_request(application, mentor, strengths=["Clinical reasoning", "Teamwork"])
    if waived:
        letters.record_waiver(r, signed=True)
    for step in WRITER_STEPS[status]:
        extra = {"ask_method": "email"} if step == "asked" else {}
        letters.transition(r, step, actor="applicant", **extra)
    r.refresh_from_db()
    return r


def letter_pdf(user: User | None = None, pages: int = 1, marker: str = LETTER_MARKER) -> bytes:
    """A real PDF with the marker phrase in its (uncompressed) text."""
    from io import BytesIO

    from reportlab.pdfgen import canvas

    out = BytesIO()
    c = canvas.Canvas(out, pageCompression=0)
    for i in range(pages):
        c.drawString(72, 720, f"{marker} page {i + 1}")
        c.showPage()
    c.save()
    return out.getvalue()


def token_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[1]


def link_for(r: LetterRequest) -> tuple[str, Any]:
    url = services.issue_link(r)
    token = token_of(url)
    return token, services.resolve_link(token)


def upload(r: LetterRequest, data: bytes | None = None) -> Any:
    _, link = link_for(r)
    return services.upload_letter(link, data or letter_pdf(), nonce=secrets.token_urlsafe(16))


def links_in(message: EmailMessage | Any, path: str) -> list[str]:
    body = message.body if hasattr(message, "body") else str(message)
    return re.findall(rf"http://testserver/{path}/[A-Za-z0-9_-]+/", body)


__all__ = ["LETTER_MARKER", "demo_letter_pdf", "letter_pdf", "make_request"]
