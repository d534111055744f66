"""Demo data: an ERAS internal medicine application and an AMCAS-style one, with requests
spread over the life cycle, so a newcomer sees letters at every stage."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from preceptor.letters import library, services, timeline

_FALLBACK_MENTORS: list[dict[str, str]] = [
    {
        "full_name": "Ana Patel",
        "role": "attending",
        "degree": "MD",
        "specialty": "Internal Medicine",
        "institution": "State University Hospital",
    },
    {
        "full_name": "Marcus Green",
        "role": "pi",
        "degree": "MD, PhD",
        "specialty": "Internal Medicine",
        "institution": "State University",
        "faculty": "science",
    },
    {
        "full_name": "Omar Haddad",
        "role": "course_director",
        "degree": "MD",
        "specialty": "Internal Medicine",
        "institution": "State University",
    },
    {
        "full_name": "Grace Kim",
        "role": "resident",
        "degree": "DO",
        "specialty": "Internal Medicine",
        "institution": "County Medical Center",
    },
    {
        "full_name": "Robert Hayes",
        "role": "attending",
        "degree": "MD",
        "specialty": "General Surgery",
        "institution": "State University",
        "prominence": "chair",
    },
    {
        "full_name": "Priya Nair",
        "role": "advisor",
        "degree": "PhD",
        "specialty": "",
        "institution": "State College",
        "faculty": "non_science",
    },
]


def _mentors(user: Any) -> list[Any]:
    from preceptor.letters.mentorlink import mentor_model, mentors_for

    mentors = list(mentors_for(user))
    if len(mentors) >= 6:
        return mentors
    # The mentors app's seeder normally runs first; if it did not, add a few so the demo
    # still shows letters at every stage.
    model = mentor_model()
    names = {f.name for f in model._meta.get_fields()}
    have = {m.full_name for m in mentors}
    for values in _FALLBACK_MENTORS:
        if values["full_name"] in have:
            continue
        email = values["full_name"].lower().replace(" ", ".") + "@example.edu"
        fields = {k: v for k, v in {**values, "email": email}.items() if k in names}
        mentors.append(model.objects.create(user=user, **fields))
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


def _picker(mentors: list[Any]) -> Any:
    """Choose demo writers by what their records say, each at most once per application."""

    def pick(used: set[int], *wants: Any) -> Any:
        for want in wants:
            for m in mentors:
                if m.pk not in used and want(m):
                    used.add(m.pk)
                    return m
        for m in mentors:
            if m.pk not in used:
                used.add(m.pk)
                return m
        raise LookupError("Not enough demo mentors")

    return pick


def _is(field: str, *values: str) -> Any:
    return lambda m: (getattr(m, field, "") or "") in values


def _in_im(m: Any) -> bool:
    return (getattr(m, "specialty", "") or "") == "Internal Medicine"


def seed(user: Any) -> None:
    today = services.today_for(user)
    mentors = _mentors(user)
    pick = _picker(mentors)
    # ERAS names a cycle by its Match, the March after the letters are due.
    cycle = timeline.match_cycle(today + dt.timedelta(days=46))
    eras = services.create_application(
        user,
        service="eras",
        specialty="Internal Medicine",
        cycle=cycle,
        official_deadline=today + dt.timedelta(days=46),
        personal_deadline_days=14,
        programs="State University Internal Medicine\nCounty Medical Center IM\n"
        "Lakeside Health Internal Medicine\nRiverside University IM (Primary Care)",
        instructions="Upload through the AAMC Letter of Recommendation Portal (ERAS) with the "
        "letter ID below. PDF, at most 1 MB, letter size, signed on letterhead.",
    )
    cv = services.upload_document(
        eras,
        "cv",
        _demo_pdf(
            "Jordan Rivera - Curriculum Vitae",
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
            ["What drew me to internal medicine was a patient on my third-year clerkship..."],
        ),
        filename="statement.pdf",
    )
    strengths = [
        "Clinical reasoning on complex inpatients",
        "Clear, kind communication with patients and families",
        "Reliability: follows up on every loose end",
        "Teaching junior students on the team",
    ]
    used: set[int] = set()
    # ERAS: one thanked, one with the request form sent, the department letter asked, one planned.
    attending = pick(used, lambda m: _in_im(m) and _is("role", "attending")(m), _in_im)
    r1 = services.plan_request(eras, attending, category="in_specialty", strengths=strengths)
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
    researcher = pick(used, lambda m: _in_im(m) and _is("role", "pi")(m), _in_im)
    r2 = services.plan_request(eras, researcher, category="in_specialty", strengths=strengths[:3])
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
    director = pick(used, _is("role", "course_director"), _is("prominence", "chair"), _in_im)
    r3 = services.plan_request(eras, director, kind="chair", category="in_specialty")
    _walk(r3, [("asked", 2, {"ask_method": "email"})], today)
    services.plan_request(eras, pick(used, _in_im))

    # AMCAS-style: a school application a few months out, at the other stages.
    amcas = services.create_application(
        user,
        service="amcas",
        cycle=cycle,
        official_deadline=today + dt.timedelta(days=75),
        personal_deadline_days=10,
        programs="State University School of Medicine\nMetro College of Medicine",
        instructions="Writers submit through the AMCAS Letter Service with the AMCAS ID "
        "and letter ID on the request form.",
    )
    # The same CV from the library: uploaded once, in both packets.
    library.use_in_application(amcas, cv.document)
    used = set()
    a1 = services.plan_request(
        amcas, pick(used, _is("role", "resident"), _is("degree", "DO")), category="science"
    )
    _walk(
        a1,
        [
            ("asked", 20, {"ask_method": "in_person"}),
            ("hesitant", 18, {"answer_note": "Busy until next month; may be brief."}),
        ],
        today,
    )
    a2 = services.plan_request(
        amcas, pick(used, _is("faculty", "science"), _is("role", "pi")), category="science"
    )
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
    # A famous but distant writer says no: the page then suggests who to ask instead.
    a3 = services.plan_request(
        amcas, pick(used, _is("prominence", "chair", "national")), category="non_science"
    )
    _walk(
        a3,
        [
            ("asked", 15, {"ask_method": "email"}),
            ("declined", 13, {"answer_note": "Does not know my work well enough to write."}),
        ],
        today,
    )
    services.plan_request(
        amcas, pick(used, _is("faculty", "non_science")), status="candidate", category="non_science"
    )
