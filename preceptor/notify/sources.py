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


KIND_LABELS = {
    "deadline": "Official deadline",
    "personal_deadline": "Personal deadline",
    "ask_by": "Ask by",
    "follow_up": "Follow up",
    "remind_writer": "Remind a writer",
    "writer_reminder": "Reminder to a writer",
    "thank_you": "Say thank you",
    "outcome_update": "Share the outcome",
    "mentor_due": "Mentor update due",
    "mentor_overdue": "Mentor overdue",
    "report_back": "Report back",
    "interview": "Interview",
    "interview_prep": "Interview tomorrow",
}

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
    mentor = getattr(req, "mentor", None)
    return str(getattr(mentor, "email", "") or "")


def letter_steps(app: Any, req: Any, today: date) -> Iterator[Item]:
    """The dated steps of one letter request (DOMAIN.md §3), from its status and dates."""
    status = req.status
    name = _writer_name(req)
    pid = str(req.public_id)
    group = str(app.public_id)
    url = _url("letters:request", pk=req.public_id) or _url("letters:application", pk=app.public_id)
    personal = req.personal_deadline or app.personal_deadline
    what = f"{app.get_service_display() if hasattr(app, 'get_service_display') else app.service}"
    if getattr(app, "specialty", ""):
        what += f" ({app.specialty})"
    if personal and status in {"candidate", "planned"}:
        # Ask at least 4 to 6 weeks before the deadline the writer is given.
        yield Item(
            key=f"req:{pid}:ask_by",
            kind="ask_by",
            on=personal - timedelta(weeks=6),
            title=f"Ask {name} for a letter",
            detail=f"For {what}: asking six weeks before {personal:%-d %B} gives them time.",
            url=url,
            urgent=True,
            group=group,
        )
    if status in {"agreed", "hesitant"}:
        answered = getattr(req, "answered_on", None) or getattr(req, "asked_on", None) or today
        yield Item(
            key=f"req:{pid}:follow_up",
            kind="follow_up",
            on=answered + timedelta(days=1),
            title=f"Send {name} your thanks and the letter packet",
            detail="Within 48 hours of a yes: thanks, the packet, the deadline and how to submit.",
            url=url,
            urgent=True,
            group=group,
        )
    if personal and status in WAITING:
        for weeks in (3, 1):
            on = personal - timedelta(weeks=weeks)
            yield Item(
                key=f"req:{pid}:remind_{weeks}w",
                kind="remind_writer",
                on=on,
                title=f"Check in with {name}: letter due {personal:%-d %B}",
                detail="If the letter is not in yet, a short, polite note restating the date.",
                url=url,
                group=group,
            )
            email = _writer_email(req)
            if getattr(req, "writer_reminders", False) and email:
                yield Item(
                    key=f"req:{pid}:writer_{weeks}w",
                    kind="writer_reminder",
                    on=on,
                    title=f"Reminder to {name} ({weeks} week{'s' if weeks > 1 else ''} out)",
                    url=url,
                    calendar=False,
                    group=group,
                    writer_email=email,
                    writer_request=pid,
                )
    submitted_on = getattr(req, "submitted_on", None)
    if status == "submitted" and submitted_on:
        yield Item(
            key=f"req:{pid}:thank_you",
            kind="thank_you",
            on=submitted_on + timedelta(days=1),
            title=f"Thank {name} for the letter",
            detail="A short, personal thank-you; tell them what happens next.",
            url=url,
            urgent=True,
            group=group,
        )


def letters_source(user: User, today: date) -> Iterator[Item]:
    try:
        from preceptor.letters.models import Application
    except ImportError:
        return
    apps = Application.objects.filter(user=user).prefetch_related("requests__mentor")
    for app in apps:
        group = str(app.public_id)
        url = _url("letters:application", pk=app.public_id)
        label = app.get_service_display() if hasattr(app, "get_service_display") else app.service
        if getattr(app, "specialty", ""):
            label += f" · {app.specialty}"
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
        for req in app.requests.all():
            yield from letter_steps(app, req, today)


register(letters_source)


# --- mentors --------------------------------------------------------------------------


def mentors_source(user: User, today: date) -> Iterator[Item]:
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
            mentor = getattr(action, "mentor", None)
            name = getattr(mentor, "full_name", "your mentor")
            on = getattr(action, "due_on", None) or (
                action.created.date() + timedelta(days=14)
                if getattr(action, "created", None)
                else today
            )
            text = getattr(action, "text", None) or getattr(action, "title", None) or str(action)
            yield Item(
                key=f"action:{action.public_id}:report",
                kind="report_back",
                on=on,
                title=f"Report back to {name}: {text}"[:300],
                detail="Tell them what you did with their advice, even if you decided against it.",
                url=_url("mentors:detail", pk=mentor.public_id) if mentor else "",
            )


register(mentors_source)


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
