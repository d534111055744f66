"""Demo data: an ERAS internal medicine application and an AMCAS-style one, with requests
spread over the life cycle, so a newcomer sees letters at every stage."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from preceptor.letters import services

_FALLBACK_MENTORS = [
    ("Ana Patel", "course_director", "MD", "Internal Medicine", "State University Hospital"),
    ("Marcus Green", "attending", "MD", "Internal Medicine", "State University Hospital"),
    ("Lena Fischer", "pi", "PhD", "Cardiology research", "State University"),
    ("Omar Haddad", "attending", "MD", "Internal Medicine", "State University"),
    ("Grace Kim", "resident", "MD", "Internal Medicine", "County Medical Center"),
    ("Priya Nair", "advisor", "PhD", "Biology", "State College"),
]


def _mentors(user: Any) -> list[Any]:
    from preceptor.letters.mentorlink import mentor_model, mentors_for

    mentors = list(mentors_for(user))
    if len(mentors) >= 4:
        return mentors
    # The mentors app's seeder normally runs first; if it did not, add a few so the demo
    # still shows letters at every stage.
    model = mentor_model()
    names = {f.name for f in model._meta.get_fields()}
    for full_name, role, degree, specialty, institution in _FALLBACK_MENTORS[len(mentors) :]:
        values = {
            "full_name": full_name,
            "role": role,
            "degree": degree,
            "specialty": specialty,
            "institution": institution,
            "email": full_name.lower().replace(" ", ".") + "@example.edu",
        }
        mentors.append(
            model.objects.create(user=user, **{k: v for k, v in values.items() if k in names})
        )
    return mentors


def _demo_pdf(title: str, lines: list[str]) -> bytes:
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=letter)
    c.setFont("Helvetica-Bold", 18)
    c.drawString(72, 720, title)
    c.setFont("Helvetica", 11)
    y = 690
    for line in lines:
        c.drawString(72, y, line)
        y -= 18
    c.showPage()
    c.save()
    return out.getvalue()


def _walk(r: Any, steps: list[tuple[str, int, dict[str, Any]]], today: dt.date) -> None:
    for to, days_ago, extra in steps:
        services.transition(r, to, on=today - dt.timedelta(days=days_ago), **extra)


def seed(user: Any) -> None:
    today = services.today_for(user)
    mentors = _mentors(user)
    specialty_first = sorted(
        mentors, key=lambda m: (getattr(m, "specialty", "") or "") != "Internal Medicine"
    )
    cycle = today.year if today.month < 10 else today.year + 1
    eras = services.create_application(
        user,
        service="eras",
        specialty="Internal Medicine",
        cycle=cycle,
        official_deadline=today + dt.timedelta(days=38),
        personal_deadline_days=14,
        programs="State University Internal Medicine\nCounty Medical Center IM\n"
        "Lakeside Health Internal Medicine\nRiverside University IM (Primary Care)",
        instructions="Upload through the AAMC Letter of Recommendation Portal (ERAS) with the "
        "letter ID below. PDF, at most 1 MB, letter size, signed on letterhead.",
    )
    services.upload_document(
        eras,
        "cv",
        _demo_pdf(
            "Jordan Rivera — Curriculum Vitae",
            [
                "Education: State University School of Medicine, MD expected 2028",
                "Research: Heart-failure readmissions quality project (2025-2026)",
                "Leadership: Internal Medicine Interest Group, president",
                "Service: Student-run free clinic, Saturday volunteer",
            ],
        ),
        filename="CV.pdf",
    )
    services.upload_document(
        eras,
        "statement",
        _demo_pdf(
            "Personal statement (draft)",
            [
                "What drew me to internal medicine was a patient on my third-year clerkship...",
            ],
        ),
        filename="statement.pdf",
    )
    m = specialty_first
    strengths = [
        "Clinical reasoning on complex inpatients",
        "Clear, kind communication with patients and families",
        "Reliability: follows up on every loose end",
        "Teaching junior students on the team",
    ]
    # ERAS: one thanked, one with the packet and form sent, one asked, one planned.
    r1 = services.plan_request(
        eras, m[0], kind="standard", category="in_specialty", strengths=strengths
    )
    _walk(
        r1,
        [
            ("asked", 40, {"ask_method": "in_person"}),
            ("agreed", 39, {}),
            ("packet_sent", 38, {}),
            ("form_sent", 37, {"letter_id": "A1B2C3D4"}),
            ("submitted", 5, {"submitted_confirmed_by": "portal"}),
            ("thanked", 3, {}),
        ],
        today,
    )
    services.record_waiver(r1, signed=True, on=today - dt.timedelta(days=37))
    r2 = services.plan_request(
        eras, m[1], kind="standard", category="in_specialty", strengths=strengths[:3]
    )
    _walk(
        r2,
        [
            ("asked", 12, {"ask_method": "video"}),
            ("agreed", 10, {}),
            ("packet_sent", 9, {}),
            ("form_sent", 9, {"letter_id": "E5F6G7H8"}),
        ],
        today,
    )
    services.record_waiver(r2, signed=True, on=today - dt.timedelta(days=9))
    r3 = services.plan_request(
        eras, m[3] if len(m) > 3 else m[2], kind="chair", category="in_specialty"
    )
    _walk(r3, [("asked", 2, {"ask_method": "email"})], today)
    services.plan_request(eras, m[2], kind="standard", category="research")

    # AMCAS-style: a school application a few months out, at the other stages.
    amcas = services.create_application(
        user,
        service="amcas",
        cycle=cycle,
        title=f"AMCAS {cycle} (MD programs, reapplication)",
        official_deadline=today + dt.timedelta(days=75),
        personal_deadline_days=10,
        programs="State University School of Medicine\nMetro College of Medicine",
        instructions="Writers submit through the AMCAS Letter Service with the AMCAS ID "
        "and letter ID on the request form.",
    )
    a1 = services.plan_request(amcas, m[-1], kind="standard", category="science")
    _walk(
        a1,
        [
            ("asked", 20, {"ask_method": "in_person"}),
            ("hesitant", 18, {"answer_note": "Busy until next month; may be brief."}),
        ],
        today,
    )
    a2 = services.plan_request(amcas, m[2], kind="standard", category="science")
    _walk(
        a2,
        [
            ("asked", 30, {"ask_method": "email"}),
            ("agreed", 29, {}),
            ("packet_sent", 28, {}),
            ("form_sent", 27, {"letter_id": "AM-2231"}),
            ("reminded", 1, {}),
        ],
        today,
    )
    a3 = services.plan_request(
        amcas, m[4] if len(m) > 4 else m[1], kind="standard", category="non_science"
    )
    _walk(
        a3,
        [
            ("asked", 15, {"ask_method": "email"}),
            ("declined", 13, {"answer_note": "Does not know my coursework well enough."}),
        ],
        today,
    )
    services.plan_request(amcas, m[0], status="candidate", category="non_science")
