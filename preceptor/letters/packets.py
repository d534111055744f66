"""The letter packet a writer receives: one merged PDF, or a ZIP of separately named files.

The merged PDF opens with a cover page (who, for what, by when, how to submit), then the
brag sheet (4 to 6 strengths and the applicant's achievements), the summary of the work
together, the program list and instructions, then the uploaded CV, personal statement draft
and transcript. The ZIP holds the same parts as ``Lastname_Firstname_CV.pdf`` and so on.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from pypdf import PdfReader, PdfWriter
from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import (
    KeepTogether,
    ListFlowable,
    ListItem,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

if TYPE_CHECKING:
    from preceptor.letters.models import LetterRequest

__all__ = [
    "PacketContent",
    "build_packet_pdf",
    "build_packet_zip",
    "file_stem",
    "packet_content",
    "packet_filename",
    "render_pdf",
    "render_sheets",
    "render_zip",
]


@dataclass(frozen=True)
class PacketContent:
    applicant: str
    applicant_email: str
    writer: str
    title: str
    service: str
    specialty: str = ""
    personal_deadline: dt.date | None = None
    official_deadline: dt.date | None = None
    instructions: str = ""
    letter_id: str = ""
    file_notes: str = ""
    strengths: list[str] = field(default_factory=list)
    achievements: list[tuple[str, str]] = field(default_factory=list)  # (title, detail)
    summary: str = ""
    programs: list[str] = field(default_factory=list)
    waiver_signed_on: dt.date | None = None
    # Uploaded PDFs: (kind, label, data).
    uploads: list[tuple[str, str, bytes]] = field(default_factory=list)


def file_stem(full_name: str) -> str:
    """``Lastname_Firstname`` in plain ASCII, for file names.

    >>> file_stem("José María de la Cruz")
    'Cruz_Jose_Maria_de_la'
    >>> file_stem("")
    'Applicant'
    """
    ascii_name = unicodedata.normalize("NFKD", full_name).encode("ascii", "ignore").decode()
    words = [w for w in re.split(r"[^A-Za-z0-9]+", ascii_name) if w]
    if not words:
        return "Applicant"
    return "_".join([words[-1], *words[:-1]])


def _date(day: dt.date | None) -> str:
    return f"{day:%B} {day.day}, {day.year}" if day else "not set"


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    ink = colors.HexColor("#1f2933")
    return {
        "title": ParagraphStyle(
            "t",
            parent=base["Title"],
            fontSize=20,
            leading=24,
            textColor=colors.HexColor("#1d4e89"),
            alignment=0,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base["Heading2"],
            fontSize=14,
            leading=18,
            textColor=colors.HexColor("#1d4e89"),
            spaceBefore=10,
        ),
        "body": ParagraphStyle(
            "b", parent=base["BodyText"], fontSize=10.5, leading=14.5, textColor=ink
        ),
        "muted": ParagraphStyle(
            "m",
            parent=base["BodyText"],
            fontSize=9,
            leading=12,
            textColor=colors.HexColor("#4a5563"),
        ),
    }


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _bullets(items: list[str], style: ParagraphStyle) -> ListFlowable:
    return ListFlowable(
        [ListItem(_para(i, style), leftIndent=12) for i in items],
        bulletType="bullet",
        start="•",
        leftIndent=12,
    )


def render_sheets(c: PacketContent) -> bytes:
    """The generated pages (cover, brag sheet, summary, instructions) as a PDF."""
    s = _styles()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=letter,
        leftMargin=0.9 * inch,
        rightMargin=0.9 * inch,
        topMargin=0.8 * inch,
        bottomMargin=0.8 * inch,
        title=f"Letter packet: {c.applicant}",
        author=c.applicant,
        subject=c.title,
    )
    story: list[Any] = [
        _para(f"Letter packet for {c.writer}", s["title"]),
        _para(f"From {c.applicant} ({c.applicant_email})", s["body"]),
        Spacer(1, 10),
    ]
    facts = [
        ["Application", c.title],
        ["Service", c.service],
        ["Please submit by", _date(c.personal_deadline)],
        ["Official deadline", _date(c.official_deadline)],
    ]
    if c.specialty:
        facts.insert(2, ["Specialty", c.specialty])
    if c.letter_id:
        facts.append(["Letter ID", c.letter_id])
    if c.waiver_signed_on:
        facts.append(
            [
                "Confidentiality",
                f"I waived my right to see this letter on {_date(c.waiver_signed_on)}.",
            ]
        )
    table = Table(
        [[_para(a, s["body"]), _para(b, s["body"])] for a, b in facts],
        colWidths=[1.7 * inch, 4.9 * inch],
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (0, -1), "Helvetica-Bold"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor("#d5dae1")),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    story += [table, Spacer(1, 14)]
    story.append(_para("What is inside", s["h2"]))
    parts = [
        "Brag sheet: strengths and achievements",
        "Summary of our work together",
        "Programs, deadlines and how to submit",
    ]
    parts += [label for _, label, _ in c.uploads]
    story.append(_bullets(parts, s["body"]))
    story.append(Spacer(1, 14))
    story.append(
        _para(
            "Thank you for writing on my behalf. Everything here is for your reference; "
            "please use whatever helps and ignore the rest.",
            s["muted"],
        )
    )

    story += [PageBreak(), _para(f"Brag sheet: {c.applicant}", s["title"])]
    story.append(_para("Strengths I hope the letter can speak to", s["h2"]))
    if c.strengths:
        story.append(_bullets(c.strengths, s["body"]))
    else:
        story.append(_para("(No strengths chosen yet.)", s["muted"]))
    story.append(_para("Achievements", s["h2"]))
    if c.achievements:
        story.append(
            _bullets(
                [f"{title} — {detail}" if detail else title for title, detail in c.achievements],
                s["body"],
            )
        )
    else:
        story.append(_para("(No achievements logged yet.)", s["muted"]))

    story.append(_para("Summary of our work together", s["h2"]))
    story.append(_para(c.summary.strip() or "(Not written yet.)", s["body"]))

    block: list[Any] = [_para("Programs, deadlines and how to submit", s["h2"])]
    if c.programs:
        block.append(_bullets(c.programs, s["body"]))
    block.append(Spacer(1, 6))
    block.append(
        _para(
            f"Please submit by {_date(c.personal_deadline)} (the official deadline is "
            f"{_date(c.official_deadline)}).",
            s["body"],
        )
    )
    if c.instructions.strip():
        block.append(_para(c.instructions.strip(), s["body"]))
    if c.file_notes:
        block.append(_para(c.file_notes, s["muted"]))
    story.append(KeepTogether(block))

    def footer(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(colors.HexColor("#4a5563"))
        canvas.drawString(0.9 * inch, 0.5 * inch, f"{c.applicant} · letter packet for {c.writer}")
        canvas.drawRightString(letter[0] - 0.9 * inch, 0.5 * inch, f"page {document.page}")
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


def _merge(parts: list[bytes]) -> bytes:
    writer = PdfWriter()
    for data in parts:
        writer.append(PdfReader(io.BytesIO(data)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def render_pdf(c: PacketContent) -> bytes:
    return _merge([render_sheets(c), *(data for _, _, data in c.uploads)])


_ZIP_NAMES = {
    "request_form": "LetterRequestForm",
    "cv": "CV",
    "statement": "PersonalStatement_Draft",
    "transcript": "Transcript",
}


def render_zip(c: PacketContent) -> bytes:
    stem = file_stem(c.applicant)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{stem}_LetterPacket_Summary.pdf", render_sheets(c))
        for kind, _, data in c.uploads:
            z.writestr(f"{stem}_{_ZIP_NAMES.get(kind, kind.title())}.pdf", data)
    return out.getvalue()


# ------------------------------------------------------------------ from the database


def packet_content(request: LetterRequest) -> PacketContent:
    from preceptor.letters import library, mentorlink, rulebook
    from preceptor.letters.models import DocumentKind

    application = request.application
    user = application.user
    profile = getattr(user, "profile", None)
    applicant = getattr(profile, "full_name", "") or user.email
    rules = rulebook.rules_for(application)
    docs = library.packet_versions(application)
    return PacketContent(
        applicant=applicant,
        applicant_email=user.email,
        writer=mentorlink.salutation_for(request.mentor),
        title=application.display_title,
        service=rules.name if rules.name else application.get_service_display(),
        specialty=application.specialty,
        personal_deadline=application.personal_deadline,
        official_deadline=application.official_deadline,
        instructions="\n".join(x for x in rulebook.submission(application) if x),
        letter_id=request.letter_id,
        file_notes=rules.file_notes,
        strengths=list(request.strengths or []),
        achievements=mentorlink.achievements_for(user, request.achievement_ids or None),
        summary=request.summary or mentorlink.summary_of_work(request.mentor),
        programs=application.program_list,
        waiver_signed_on=request.waiver_signed_on if request.waiver_signed else None,
        # The writer's own request form first: it says how their letter reaches the service.
        uploads=[
            *(
                [("request_form", "Letter request form", bytes(request.request_form))]
                if request.request_form
                else []
            ),
            *((kind, str(DocumentKind(kind).label), bytes(v.data)) for kind, v in docs),
        ],
    )


def build_packet_pdf(request: LetterRequest) -> bytes:
    """The merged packet PDF for one request (cover, brag sheet, summary, uploads)."""
    return render_pdf(packet_content(request))


def build_packet_zip(request: LetterRequest) -> bytes:
    """A ZIP of the packet's files, named ``Lastname_Firstname_CV.pdf`` and so on."""
    return render_zip(packet_content(request))


def packet_filename(request: LetterRequest, ext: str) -> str:
    applicant = getattr(getattr(request.application.user, "profile", None), "full_name", "")
    writer = file_stem(getattr(request.mentor, "full_name", "") or "Writer").split("_")[0]
    return f"{file_stem(applicant)}_LetterPacket_for_{writer}.{ext}"
