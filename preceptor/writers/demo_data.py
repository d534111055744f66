"""Demo data (order 50, after the letters app's): a writer link and a letter in the vault."""

from __future__ import annotations

import datetime as dt
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
    """A writer link for the first request; a research fellowship whose letter is in the vault.

    Runs only on top of the letters app's demo (it needs its mentors and requests).
    """
    from preceptor.letters import services as letters
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
    vault_requests = [r for r in requests if r.application.uses_vault]
    if not vault_requests:
        # The letters demo has no application without a central service: add one, with the
        # writer who already said yes elsewhere, so the vault has something to show.
        writer = next((r.mentor for r in requests if r.status in services.UPLOAD_STATUSES), None)
        if writer is None:
            return
        today = letters.today_for(user)
        application = letters.create_application(
            user,
            service="direct",
            cycle=today.year + 1,
            title="Summer research fellowship",
            official_deadline=today + dt.timedelta(days=40),
            instructions="Upload the letter through this page; it is delivered to the "
            "fellowship committee by Preceptor.",
            uses_vault=True,
        )
        r = letters.plan_request(application, writer, strengths=["Research", "Persistence"])
        letters.record_waiver(r, signed=True)
        letters.transition(r, "asked", ask_method="email")
        letters.transition(r, "agreed", actor="writer")
        vault_requests = [r]
    for r in vault_requests:
        if r.status in services.UPLOAD_STATUSES and not r.vault_letters.exists():
            url = services.issue_link(r)
            link = services.resolve_link(url.rstrip("/").rsplit("/", 1)[1])
            data = demo_letter_pdf(r.mentor.full_name, services.applicant_name(r))
            services.upload_letter(link, data, nonce=secrets.token_urlsafe(16))
            return
