"""Small builders for letters tests: a mentor, an application, a request in any state."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from preceptor.letters import services
from preceptor.letters.models import Application, LetterRequest
from preceptor.letters.timeline import match_cycle

# How to reach each status from "planned", with the details each move needs.
PATHS: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "candidate": [],
    "planned": [],
    "asked": [("asked", {"ask_method": "email"})],
    "agreed": [("asked", {"ask_method": "email"}), ("agreed", {})],
    "hesitant": [("asked", {"ask_method": "email"}), ("hesitant", {})],
    "declined": [("asked", {"ask_method": "email"}), ("declined", {})],
}
PATHS["packet_sent"] = [*PATHS["agreed"], ("packet_sent", {})]
PATHS["form_sent"] = [*PATHS["packet_sent"], ("form_sent", {"letter_id": "LID-1"})]
PATHS["reminded"] = [*PATHS["form_sent"], ("reminded", {})]
PATHS["submitted"] = [*PATHS["reminded"], ("submitted", {})]
PATHS["thanked"] = [*PATHS["submitted"], ("thanked", {})]
PATHS["outcome_shared"] = [*PATHS["thanked"], ("outcome_shared", {})]


NAMES = ["Ana Patel", "Marcus Green", "Lena Fischer", "Omar Haddad", "Grace Kim", "Priya Nair"]


def make_mentor(user: Any, full_name: str = "Ana Patel", **extra: Any) -> Any:
    from preceptor.mentors.models import Mentor

    names = {f.name for f in Mentor._meta.get_fields()}
    values = {
        "full_name": full_name,
        "degree": "MD",
        "role": "attending",
        "specialty": "Internal Medicine",
        "institution": "State University",
        "email": full_name.lower().replace(" ", ".") + "@example.edu",
        **extra,
    }
    return Mentor.objects.create(user=user, **{k: v for k, v in values.items() if k in names})


def make_application(user: Any, **fields: Any) -> Application:
    today = services.today_for(user)
    deadline = fields.get("official_deadline", today + dt.timedelta(days=60))
    values: dict[str, Any] = {
        "service": "eras",
        "specialty": "Internal Medicine",
        "cycle": match_cycle(deadline),
        "official_deadline": deadline,
        "programs": "Owner Program One\nOwner Program Two",
        **fields,
    }
    return services.create_application(user, **values)


def make_request(
    user: Any,
    status: str = "planned",
    *,
    app: Application | None = None,
    mentor: Any = None,
    **fields: Any,
) -> LetterRequest:
    app = app or make_application(user)
    if mentor is None:
        n = LetterRequest.objects.filter(application__user=user).count()
        mentor = make_mentor(user, NAMES[n % len(NAMES)] + ("" if n < len(NAMES) else f" {n}"))
    r = services.plan_request(
        app, mentor, status="candidate" if status == "candidate" else "planned", **fields
    )
    for to, extra in PATHS[status]:
        services.transition(r, to, **extra)
    assert r.status == status
    return r


def pdf_bytes(pages: int = 1, text: str = "Hello") -> bytes:
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=letter)
    for i in range(pages):
        c.drawString(72, 720, f"{text} page {i + 1}")
        c.showPage()
    c.save()
    return out.getvalue()


def encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(pdf_bytes())))
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
