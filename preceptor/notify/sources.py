"""What there is to remind: dated items computed from the other apps' data.

A *source* is a function ``(user, today) -> iterable of Item``. The built-in sources read
the letters app (applications, letter requests and their timelines), the mentors app
(cadence and unreported action items) and this app's interviews. Each is guarded: an app
whose models are not there yet contributes nothing, so notify works whatever is installed.
:mod:`preceptor.notify.sync` turns the items into reminder rows and calendar events.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.urls import NoReverseMatch, reverse

from preceptor.accounts.models import User
from preceptor.accounts.services import local_date_for
from preceptor.notify.kinds import KIND_LABELS

logger = logging.getLogger(__name__)

__all__ = ["KIND_LABELS", "Item", "collect", "register"]


@dataclass(frozen=True)
class Item:
    """One dated thing that matters to the user."""

    key: str  # stable across recomputation: the reminder's dedupe key and the event UID
    kind: str
    on: date
    title: str
    detail: str = ""
    url: str = ""
    urgent: bool = False  # emailed on the day even in digest mode
    remind: bool = True  # becomes a reminder (email or in-app) on that day
    calendar: bool = True  # shows on the calendar page and in the feed
    group: str = ""  # the application it belongs to (for its own .ics download)
    # Writer reminders: sent to the writer, about one letter request.
    writer_email: str = ""
    writer_request: str = ""


Source = Callable[[User, date], Iterable[Item]]
_SOURCES: list[Source] = []


def register(source: Source) -> Source:
    _SOURCES.append(source)
    return source


def collect(user: User, today: date) -> list[Item]:
    """Every item of every source, in date order; a source that fails is logged and
    skipped, so one app's bug cannot stop everyone's reminders."""
    items: dict[str, Item] = {}
    for source in _SOURCES:
        try:
            for item in source(user, today):
                items[item.key] = item
        except Exception:
            logger.exception("reminder source %s failed for user %s", source.__name__, user.pk)
    return sorted(items.values(), key=lambda i: (i.on, i.key))


def _url(name: str, **kwargs: Any) -> str:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


# --- letters -------------------------------------------------------------------------

# Statuses after which the writer has nothing left to do.
DONE = {"submitted", "thanked", "outcome_shared", "declined"}
# The writer said yes and the letter is not in yet: reminders apply.
WAITING = {"agreed", "hesitant", "packet_sent", "form_sent", "reminded"}


def _writer_name(req: Any) -> str:
    mentor = getattr(req, "mentor", None)
    return str(getattr(mentor, "full_name", "") or "your writer")


def _writer_email(req: Any) -> str:
    from preceptor.letters import mentorlink

    return str(mentorlink.email_for(req.mentor) or "")


# timeline.plan step key -> (our kind, urgent, title template). {name} is the writer.
PLAN_STEPS: dict[str, tuple[str, bool, str]] = {
    "ask_by_ideal": ("ask_by", False, "Ask {name} for a letter (ideal: six weeks ahead)"),
    "ask_by_latest": ("ask_by", True, "Last good day to ask {name} for a letter"),
    "follow_up": ("follow_up", True, "Send {name} your thanks and the letter packet"),
    "reminder_1": ("remind_writer", False, "Check in with {name}: is the letter on its way?"),
    "reminder_2": ("remind_writer", True, "Last reminder to {name} if the letter is not in"),
    "thank_you": ("thank_you", True, "Thank {name} for the letter"),
    "outcome_update": ("outcome_update", False, "Tell {name} how it went"),
}
WRITER_STEPS = {"reminder_1": 3, "reminder_2": 1}


def _plan_steps(req: Any, today: date, rules: Any = None) -> list[Any]:
    """The request's dated steps from the letters app's planner (``rules``: its
    application's, when the caller has them)."""
    from preceptor.letters import queries

    return list(queries.plan_for(req, today, rules=rules, with_writer=False).steps)


def letter_steps(app: Any, req: Any, today: date, rules: Any = None) -> Iterator[Item]:
    """Reminders for one letter request (DOMAIN.md section 3), from its timeline."""
    name = _writer_name(req)
    pid = str(req.public_id)
    group = str(app.public_id)
    url = _url("letters:request", req_id=req.public_id)
    personal = req.personal_deadline
    for step in _plan_steps(req, today, rules):
        if step.done or step.key not in PLAN_STEPS:
            continue
        if step.key in WRITER_STEPS and req.status not in WAITING:
            # Reminding a writer only makes sense once they said yes.
            continue
        kind, urgent, title = PLAN_STEPS[step.key]
        yield Item(
            key=f"req:{pid}:{step.key}",
            kind=kind,
            on=step.on,
            title=title.format(name=name),
            detail=f"{step.label}. {app.display_title}: writers were given {personal:%B %-d}.",
            url=url,
            urgent=urgent,
            group=group,
        )
        weeks = WRITER_STEPS.get(step.key)
        email = _writer_email(req)
        if weeks and getattr(req, "writer_reminders", False) and email:
            yield Item(
                key=f"req:{pid}:writer_{step.key}",
                kind="writer_reminder",
                on=step.on,
                title=f"Reminder to {name} ({weeks} week{'s' if weeks > 1 else ''} out)",
                url=url,
                calendar=False,
                group=group,
                writer_email=email,
                writer_request=pid,
            )


def installed(app: str) -> bool:
    from django.apps import apps

    return apps.is_installed(f"preceptor.{app}")


def letters_source(user: User, today: date) -> Iterator[Item]:
    if not installed("letters"):
        return
    try:
        from preceptor.letters import rulebook
        from preceptor.letters.models import Application
    except ImportError:
        return
    apps = Application.objects.filter(user=user).prefetch_related("requests__mentor")
    # The services' rules, read once for every application rather than once per request.
    all_rules = rulebook.all_rules()
    for app in apps:
        group = str(app.public_id)
        url = _url("letters:application", app_id=app.public_id)
        label = app.display_title
        if app.official_deadline:
            yield Item(
                key=f"app:{group}:deadline",
                kind="deadline",
                on=app.official_deadline,
                title=f"Deadline: {label}",
                detail="The service's official date for letters.",
                url=url,
                remind=False,
                group=group,
            )
        personal = app.personal_deadline
        if personal:
            yield Item(
                key=f"app:{group}:personal_deadline",
                kind="personal_deadline",
                on=personal,
                title=f"Personal deadline: {label}",
                detail="The date your writers were given, ahead of the official one.",
                url=url,
                group=group,
            )
        rules = rulebook.rules_for(app, all_rules)
        for req in app.requests.all():
            yield from letter_steps(app, req, today, rules)


register(letters_source)


# --- mentors --------------------------------------------------------------------------


def mentors_source(user: User, today: date) -> Iterator[Item]:
    if not installed("mentors"):
        return
    try:
        from preceptor.mentors import services as mentors
    except ImportError:
        return
    if not hasattr(mentors, "cadence_states"):
        return
    for state in mentors.cadence_states(user, today):
        if state.state == "snoozed":
            continue
        mentor = state.mentor
        name = mentor.full_name
        url = _url("mentors:detail", pk=mentor.public_id)
        if state.due_on:
            yield Item(
                key=f"mentor:{mentor.public_id}:due",
                kind="mentor_due",
                on=state.due_on,
                title=f"Time for an update to {name}",
                detail="Two or three lines of news since you last spoke, a question, thanks.",
                url=url,
                remind=False,
            )
        if state.overdue_on:
            yield Item(
                key=f"mentor:{mentor.public_id}:overdue",
                kind="mentor_overdue",
                on=state.overdue_on,
                title=f"{name} is overdue for an update",
                detail="Mentors drift away when they only hear from you when you need a letter.",
                url=url,
            )
    if hasattr(mentors, "unreported_action_items"):
        for action in mentors.unreported_action_items(user):
            owner: Any = getattr(action, "mentor", None)
            name = getattr(owner, "full_name", "your mentor")
            closed_on = getattr(action, "closed_on", None)
            created = getattr(action, "created", None)
            # A few days after the advice was acted on is the moment to tell them.
            on = (
                closed_on + timedelta(days=3)
                if closed_on
                else getattr(action, "due_on", None)
                or (local_date_for(user, created) + timedelta(days=14) if created else today)
            )
            text = getattr(action, "text", None) or getattr(action, "title", None) or str(action)
            yield Item(
                key=f"action:{action.public_id}:report",
                kind="report_back",
                on=on,
                title=f"Report back to {name}: {text}"[:300],
                detail="Tell them what you did with their advice, even if you decided against it.",
                url=_url("mentors:detail", pk=owner.public_id) if owner else "",
            )


register(mentors_source)


# --- timing the guides stress -----------------------------------------------------------

# How close to the end of a supervision period the ask belongs: the final feedback session,
# a few days before the last day; and how far back an ended period still prompts.
ASK_BEFORE_END = timedelta(days=3)
STILL_FRESH = timedelta(days=21)


def timing_source(user: User, today: date) -> Iterator[Item]:
    """The moments the guides name: ask at the end of a rotation while the work is fresh;
    tell likely writers early; build relationships 9 to 12 months before letters are due."""
    from preceptor.accounts.services import get_profile
    from preceptor.letters.models import LetterRequest
    from preceptor.mentors.models import SupervisionPeriod

    asked = set(
        LetterRequest.objects.filter(application__user=user).values_list("mentor_id", flat=True)
    )
    periods = SupervisionPeriod.objects.filter(
        mentor__user=user, end__isnull=False, end__gte=today - STILL_FRESH
    ).select_related("mentor")
    for p in periods:
        mentor = p.mentor
        if mentor.pk in asked or mentor.status == "former" or p.end is None:
            continue
        what = p.title or p.get_kind_display().lower()
        yield Item(
            key=f"period:{p.public_id}:ask_now",
            kind="ask_now",
            on=max(p.end - ASK_BEFORE_END, p.start),
            title=f"Ask {mentor.full_name} for a letter now, while they remember your work",
            detail=f"{what[:1].upper()}{what[1:]} ends {p.end:%B %-d}: ask in the final feedback "
            "session, or soon after by email. Plan the letter on one of your applications: "
            "the letter's page has the ask draft and talking points to practise.",
            url=_url("mentors:detail", pk=mentor.public_id),
            urgent=True,
        )
    cycle = get_profile(user).target_cycle
    if not cycle:
        return
    # A cycle is named by its Match or entering year (ERAS 2027 ends with the March 2027
    # Match); its letters are needed from the season's opening the June before.
    opens = date(cycle - 1, 6, 1)
    prompts = [
        Item(
            key=f"cycle:{cycle}:build_relationships",
            kind="build_relationships",
            on=opens - timedelta(days=365),
            title="Build relationships with your likely writers now: letters are needed "
            f"from June {cycle - 1}",
            detail="Meet each likely writer every four to eight weeks from now: letters from "
            "people who know your work well take months of working together.",
            url=_url("mentors:list"),
        ),
        Item(
            key=f"cycle:{cycle}:heads_up",
            kind="heads_up",
            on=opens - timedelta(days=90),
            title="Let your likely writers know you will ask for a letter this season",
            detail="A short heads-up now gives them time: say what you are applying for and "
            "when, and offer to send your CV.",
            url=_url("mentors:list"),
        ),
    ]
    # A prompt whose moment passed long ago would only be noise.
    yield from (p for p in prompts if p.on >= today - STILL_FRESH)


register(timing_source)


# --- interviews -----------------------------------------------------------------------


def interviews_source(user: User, today: date) -> Iterator[Item]:
    from preceptor.notify.models import Interview

    for interview in Interview.objects.filter(user=user):
        where = f" ({interview.location})" if interview.location else ""
        yield Item(
            key=f"interview:{interview.public_id}",
            kind="interview",
            on=interview.on,
            title=f"Interview: {interview.program}{where}",
            detail=interview.notes,
            url=reverse("notify:calendar"),
            remind=False,
        )
        yield Item(
            key=f"interview:{interview.public_id}:prep",
            kind="interview_prep",
            on=interview.on - timedelta(days=1),
            title=f"Tomorrow: interview with {interview.program}",
            detail="Re-read your application and the program's page; prepare two questions.",
            url=reverse("notify:calendar"),
            urgent=True,
            calendar=False,
        )


register(interviews_source)
