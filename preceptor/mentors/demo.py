"""Demo mentors for the demo account: varied states, so a newcomer sees overdue mentors,
open and unreported action items, and clear differences in readiness for an Internal
Medicine residency (the demo user's specialty of interest)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from preceptor.mentors import services


def seed(user: Any) -> None:
    today = services.today_for(user)

    def ago(days: int) -> dt.date:
        return today - dt.timedelta(days=days)

    def log(mentor: Any, days: int, kind: str = "meeting", **kw: Any) -> Any:
        return services.log_interaction(mentor, occurred_on=ago(days), kind=kind, today=today, **kw)

    # 1. The clerkship attending: known well, supervised directly, a loop left open.
    ortiz = services.create_mentor(
        user,
        today=today,
        full_name="Ana Ortiz",
        title="Associate Professor of Medicine",
        degree="MD",
        role="attending",
        specialty="Internal Medicine",
        department="Department of Medicine",
        institution="State University Hospital",
        email="ana.ortiz@example.edu",
        how_we_met="She was my attending on the medicine clerkship",
        met_on=ago(430),
        faculty="not_faculty",
        network_role="clinical",
        status="active",
        accessibility_notes="Answers email within a day or two; prefers short messages.",
        tags="clinical, internal medicine",
    )
    services.add_period(
        ortiz,
        today=today,
        kind="clinical",
        title="the internal medicine clerkship",
        start=ago(230),
        end=ago(174),
        description="Carried four patients a day; presented on rounds; wrote a discharge plan "
        "she used as an example for the team.",
    )
    log(
        ortiz,
        300,
        "rotation_day",
        summary="Rounds on the wards; first patient presentation.",
        example="Caught a missed potassium result on pre-rounds.",
    )
    log(
        ortiz,
        180,
        summary="End-of-clerkship feedback.",
        advice="Do a sub-internship in medicine; read NEJM Journal Watch weekly.",
        action_items=["Apply for the medicine sub-internship", "Read Journal Watch weekly"],
        example="She said my presentations were the most organized on the team.",
    )
    log(ortiz, 24, "email", initiated_by="mentor", summary="She asked how Step 2 went.")
    items = list(ortiz.action_items.all())
    services.complete_action(items[0], on=ago(90))
    services.report_back(items[0], on=ago(24))
    services.complete_action(items[1], on=ago(40))  # done, not yet told
    services.add_action_item(
        ortiz,
        text="Send her my CV and personal statement draft",
        due_on=today + dt.timedelta(days=10),
    )

    # 2. The research PI: working together now, so weekly; overdue after two weeks.
    chen = services.create_mentor(
        user,
        today=today,
        full_name="Marcus Chen",
        title="Professor of Medicine (Cardiology)",
        degree="MD, PhD",
        role="pi",
        specialty="Internal Medicine",
        department="Cardiology",
        institution="State University Hospital",
        email="marcus.chen@example.edu",
        how_we_met="Cold email about his heart-failure readmissions project",
        met_on=ago(300),
        faculty="science",
        prominence="national",
        network_role="research",
        status="active",
        tags="research, cardiology",
    )
    services.add_period(
        chen,
        today=today,
        kind="research",
        title="the heart-failure readmissions study",
        start=ago(290),
        end=None,
        description="Built the chart-review database; ran the survival analysis; first author "
        "on the regional abstract.",
    )
    log(
        chen,
        250,
        "lab_meeting",
        summary="Joined the lab meeting; took on data collection.",
        gave_back="Collected data for 120 charts for his grant renewal.",
    )
    log(
        chen,
        120,
        summary="Reviewed the first analysis.",
        advice="Submit to the ACP chapter meeting.",
        action_items=["Submit the abstract to the ACP chapter meeting"],
        example="Found the coding error in the readmission flag.",
    )
    log(chen, 17, "lab_meeting", summary="Presented the survival curves.")
    services.complete_action(chen.action_items.get(), on=ago(60))
    services.report_back(chen.action_items.get(), on=ago(17))

    # 3. The clerkship director: a suggestion declined and never explained; overdue.
    natarajan = services.create_mentor(
        user,
        today=today,
        full_name="Priya Natarajan",
        title="Clerkship Director, Medicine",
        degree="MD",
        role="course_director",
        specialty="Internal Medicine",
        institution="State University School of Medicine",
        email="p.natarajan@example.edu",
        how_we_met="Small-group facilitator in second year",
        met_on=ago(600),
        faculty="not_faculty",
        prominence="program_director",
        network_role="career",
        status="active",
    )
    services.add_period(
        natarajan,
        today=today,
        kind="course",
        title="second-year small group",
        start=ago(600),
        end=ago(420),
    )
    log(
        natarajan,
        400,
        summary="Career conversation about internal medicine.",
        advice="Consider an away rotation at a university program.",
        action_items=["Apply for an away rotation at a university program"],
    )
    log(natarajan, 75, "call", summary="Talked about the residency timeline.")
    services.decline_action(
        natarajan.action_items.get(),
        reason="Chose the sub-internship at home to work with Dr. Ortiz's team.",
        on=ago(70),
    )

    # 4. The famous surgeon: contact only around asks, long silence.
    hayes = services.create_mentor(
        user,
        today=today,
        full_name="Robert Hayes",
        title="Chair of Surgery",
        degree="MD",
        role="attending",
        specialty="General Surgery",
        institution="State University Hospital",
        email="rhayes@example.edu",
        how_we_met="Surgery grand rounds",
        met_on=ago(500),
        prominence="chair",
        status="dormant",
    )
    log(hayes, 480, "email", summary="Asked about shadowing in the OR.", was_ask=True)
    log(hayes, 250, "email", summary="Asked whether he would write a letter.", was_ask=True)
    services.update_mentor(hayes, status="dormant", today=today)

    # 5. The career advisor: snoozed while she is on sabbatical.
    fischer = services.create_mentor(
        user,
        today=today,
        full_name="Lena Fischer",
        title="Assistant Dean for Career Advising",
        degree="PhD",
        role="advisor",
        institution="State University School of Medicine",
        email="lena.fischer@example.edu",
        met_on=ago(700),
        faculty="non_science",
        network_role="career",
        status="active",
    )
    services.add_period(
        fischer, today=today, kind="advising", title="career advising", start=ago(700), end=None
    )
    log(
        fischer,
        70,
        summary="Reviewed my program list strategy.",
        advice="Write a first draft of the personal statement by the end of the month.",
        action_items=["Draft the personal statement"],
    )
    services.snooze(fischer, until=today + dt.timedelta(days=12), today=today)

    # 6. A senior resident: due soon.
    okafor = services.create_mentor(
        user,
        today=today,
        full_name="James Okafor",
        title="PGY-3, Internal Medicine",
        degree="DO",
        role="resident",
        specialty="Internal Medicine",
        institution="State University Hospital",
        email="james.okafor@example.edu",
        met_on=ago(220),
        network_role="clinical",
        status="active",
    )
    services.add_period(
        okafor, today=today, kind="clinical", title="the wards month", start=ago(220), end=ago(190)
    )
    log(
        okafor,
        26,
        "call",
        summary="Talked about sub-internship expectations.",
        gave_back="Helped set up the interest-group residency panel he ran.",
    )

    # 7. A prospect: met once at a talk, not contacted yet.
    services.create_mentor(
        user,
        today=today,
        full_name="Sofia Alvarez",
        title="Hospitalist",
        degree="MD",
        role="attending",
        specialty="Internal Medicine",
        institution="Riverside Medical Center",
        email="sofia.alvarez@example.org",
        how_we_met="I heard her talk on hospital medicine at the interest group",
        network_role="clinical",
        status="prospect",
    )

    # 8. A physician shadowed in college: former.
    services.create_mentor(
        user,
        today=today,
        full_name="Daniel Kim",
        title="Family physician",
        degree="MD",
        role="shadowed",
        specialty="Family Medicine",
        institution="Northside Family Practice",
        met_on=ago(1500),
        status="former",
    )

    # The applicant's own log, for update emails and brag sheets.
    for kind, title, days, description, share in [
        (
            "presentation",
            "Poster accepted at the ACP state chapter meeting",
            30,
            "Heart-failure readmissions after discharge",
            True,
        ),
        (
            "leadership",
            "Elected co-president of the Internal Medicine Interest Group",
            45,
            "",
            True,
        ),
        ("exam", "Passed Step 2 CK", 20, "", False),
        (
            "volunteering",
            "Led Saturday shifts at the student-run free clinic",
            100,
            "Twelve Saturdays; trained six first-year students",
            True,
        ),
    ]:
        services.add_achievement(
            user,
            today=today,
            kind=kind,
            title=title,
            achieved_on=ago(days),
            description=description,
            share_in_updates=share,
        )
