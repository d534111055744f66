"""Demo data (order 50, after the letters app's): a writer link and a letter in the vault."""

from __future__ import annotations

import io
import secrets

from preceptor.accounts.models import User


def demo_letter_pdf(writer: str, applicant: str) -> bytes:
    """A one-page letter, made up, for the demo and the tests."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=letter)
    c.setTitle("Letter of recommendation")
    y = 720
    for line in (
        "Department of Medicine, State University",
        "",
        "To the selection committee,",
        "",
        f"It is a pleasure to recommend {applicant}, whom I supervised closely",
        "for a year. They are careful, kind to patients and quick to learn.",
        "",
        "Sincerely,",
        writer,
    ):
        c.drawString(72, y, line)
        y -= 18
    c.showPage()
    c.save()
    return out.getvalue()


def seed(user: User) -> None:
    from preceptor.letters.models import LetterRequest
    from preceptor.writers import services

    requests = list(
        LetterRequest.objects.filter(application__user=user)
        .select_related("application", "mentor")
        .order_by("id")
    )
    if not requests:
        return
    services.issue_link(requests[0])
    for r in requests:
        if r.application.uses_vault and r.status in services.UPLOAD_STATUSES:
            url = services.issue_link(r)
            link = services.resolve_link(url.rstrip("/").rsplit("/", 1)[1])
            data = demo_letter_pdf(r.mentor.full_name, services.applicant_name(r))
            services.upload_letter(link, data, nonce=secrets.token_urlsafe(16))
            return
