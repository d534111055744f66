"""Read-side helpers for pages, the API and the dashboard (no writes here)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from preceptor.letters import (
    drafts,
    lifecycle,
    mentorlink,
    outcomes,
    practice,
    rulebook,
    timeline,
)
from preceptor.letters.models import Application, LetterRequest
from preceptor.letters.rules import Coverage, RuleSet

if TYPE_CHECKING:
    from preceptor.accounts.models import User

# Board columns: a phone shows them stacked, a laptop side by side.
BOARD_COLUMNS: list[tuple[str, str, tuple[str, ...]]] = [
    ("to_ask", "To ask", ("candidate", "planned")),
    ("waiting", "Waiting for an answer", ("asked", "hesitant")),
    ("in_progress", "Agreed: follow up", ("agreed", "packet_sent", "form_sent", "reminded")),
    ("submitted", "Submitted: say thanks", ("submitted",)),
    ("closed", "Thanked", ("thanked", "outcome_shared")),
    ("declined", "Declined", ("declined",)),
]


def applications_for(user: User) -> Any:
    return Application.objects.filter(user=user).prefetch_related("requests__mentor")


def requests_for(user: User) -> Any:
    return (
        LetterRequest.objects.filter(application__user=user)
        .select_related("application", "mentor")
        .order_by("application__official_deadline", "created")
    )


def plan_for(
    request: LetterRequest,
    today: dt.date,
    *,
    rules: RuleSet | None = None,
    with_writer: bool = True,
) -> timeline.Plan:
    """The request's timeline with the warnings its application and writer call for."""
    app = request.application
    rules = rules or rulebook.rules_for(app)
    limit = rules.max_letters
    if app.max_letters_override and (limit is None or app.max_letters_override < limit):
        limit = app.max_letters_override
    active = sum(1 for r in app.requests.all() if r.status in lifecycle.ACTIVE)
    writer = mentorlink.writer_facts(request.mentor, today) if with_writer else None
    return timeline.plan(
        official_deadline=app.official_deadline,
        personal_deadline_days=app.personal_deadline_days,
        today=today,
        status=request.status,
        asked_on=request.asked_on,
        answered_on=request.answered_on,
        submitted_on=request.submitted_on,
        thanked_on=request.thanked_on,
        outcome_shared_on=request.outcome_shared_on,
        reminders_sent=request.reminders_sent,
        service=app.service,
        cycle=app.cycle,
        results_on=app.results_on,
        writer=writer,
        letters_planned=active,
        max_letters=limit,
    )


def outcome_summary(application: Application) -> str:
    """How the application went, in a sentence ("" while nothing is recorded)."""
    facts = [outcomes.ProgramFacts(o.program, o.stage, o.rank) for o in application.outcomes.all()]
    return outcomes.summary(facts, match=application.service in timeline.MATCH_SERVICES)


def draft_context(request: LetterRequest, *, outcome: str | None = None) -> drafts.DraftContext:
    app = request.application
    user = app.user
    profile = getattr(user, "profile", None)
    rules = rulebook.rules_for(app)
    worked_on, moment = mentorlink.ask_facts(request.mentor)
    how_to_submit, portal_url = rulebook.submission(app)
    return drafts.DraftContext(
        applicant=getattr(profile, "full_name", "") or user.email,
        writer=mentorlink.salutation_for(request.mentor),
        writer_email=mentorlink.email_for(request.mentor),
        service=rules.name,
        specialty=app.specialty,
        personal_deadline=app.personal_deadline,
        official_deadline=app.official_deadline,
        programs=app.program_list,
        instructions=how_to_submit,
        portal_url=portal_url,
        letter_id=request.letter_id,
        strengths=list(request.strengths or []),
        worked_on=worked_on,
        moment=moment,
        saw_closely=mentorlink.saw_work_closely(request.mentor),
        outcome=outcome_summary(app) if outcome is None else outcome,
        school=getattr(profile, "school", "") or "",
    )


def practice_for(request: LetterRequest) -> list[practice.Section]:
    """Talking points for asking ``request``'s writer in person, from the record."""
    ctx = draft_context(request, outcome="")
    mentor = request.mentor
    profile = getattr(request.application.user, "profile", None)
    stage = getattr(profile, "stage", "") or ""
    degree = str(getattr(mentor, "degree", "") or "")
    physician = degree in ("MD", "DO", "MD, PhD")
    facts = practice.PracticeFacts(
        writer=ctx.writer,
        goal=drafts.goal_of(ctx),
        worked_on=ctx.worked_on,
        moment=ctx.moment,
        strengths=tuple(ctx.strengths),
        deadline=ctx.personal_deadline,
        stage=stage,
        outside_medicine=not physician,
        img=stage == "graduate",
        us_physician=physician,
    )
    return practice.talking_points(facts)


def draft_for(request: LetterRequest, key: str | None = None) -> drafts.Draft:
    key = key if key in drafts.STEPS else drafts.DRAFT_FOR_STATUS[request.status]
    return drafts.draft(key, draft_context(request))


@dataclass(frozen=True)
class Todo:
    on: dt.date
    overdue: bool
    text: str
    request: LetterRequest | None
    application: Application


# Plan steps that are the applicant's to do (dates, not deadlines, are skipped).
_ACTION_STEPS = {
    "ask_by_latest": "Ask {writer} for a letter",
    "follow_up": "Send {writer} the follow-up and packet",
    "reminder_1": "Send {writer} a polite reminder",
    "reminder_2": "Send {writer} a last reminder",
    "thank_you": "Thank {writer}",
    "outcome_update": "Tell {writer} how it went",
}


def week_todo(
    user: User, today: dt.date, *, days: int = 7, apps: list[Application] | None = None
) -> list[Todo]:
    """What to do in the next ``days`` days (and what is overdue), soonest first
    (``apps``: the user's :func:`applications_for`, when the caller has read them)."""
    end = today + dt.timedelta(days=days)
    items: list[Todo] = []
    rules_list = rulebook.all_rules()
    for app in applications_for(user) if apps is None else apps:
        rules = rulebook.rules_for(app, rules_list)
        for r in app.requests.all():
            if r.status == "declined":
                continue
            plan = plan_for(r, today, rules=rules, with_writer=False)
            writer = mentorlink.salutation_for(r.mentor)
            for step in plan.steps:
                template = _ACTION_STEPS.get(step.key)
                if template is None or step.done or step.on > end:
                    continue
                if step.key == "ask_by_latest" and r.status not in lifecycle.PRE_ASK:
                    continue
                if step.key == "outcome_update" and r.status != "thanked":
                    continue
                if step.key == "follow_up" and r.status == "hesitant":
                    template = "Clarify timing and expectations with {writer}"
                text = template.format(writer=writer)
                items.append(Todo(step.on, step.on < today, text, r, app))
            if r.status == "hesitant":
                items.append(
                    Todo(today, False, f"Line up a backup in case {writer} cannot write", r, app)
                )
        coverage = rulebook.coverage(app, rules_list)
        if app.official_deadline >= today and not app.requests.exists():
            items.append(Todo(today, False, "Add the mentors you plan to ask", None, app))
        elif not coverage.complete and app.personal_deadline - dt.timedelta(weeks=6) <= end:
            items.append(Todo(today, False, coverage.missing[0], None, app))
    items.sort(key=lambda t: (t.on, t.text))
    return items


def coverage_for(app: Application, rules: list[RuleSet] | None = None) -> Coverage:
    return rulebook.coverage(app, rules)


def board(user: User) -> list[dict[str, Any]]:
    by_status: dict[str, list[LetterRequest]] = {s: [] for s in lifecycle.STATUSES}
    for r in requests_for(user):
        by_status[r.status].append(r)
    return [
        {"key": key, "label": label, "requests": [r for s in statuses for r in by_status[s]]}
        for key, label, statuses in BOARD_COLUMNS
    ]
