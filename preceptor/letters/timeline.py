"""The dated steps of one letter request, and the warnings the rules call for (pure).

:func:`plan` is the contract the notify app schedules reminders from. Its steps, by key:

``ask_by_ideal``      six weeks before the personal deadline (the writer's date)
``ask_by_latest``     four weeks before the personal deadline
``follow_up``         two days (48 hours) after a yes, with the packet (only once answered yes)
``reminder_1``        three weeks before the personal deadline    } only while not submitted,
``reminder_2``        one week before the personal deadline       } and only after the ask
``personal_deadline`` the date writers are given (7 to 14 days before the official one)
``official_deadline`` the service's deadline
``thank_you``         two days after submission (or the personal deadline while not submitted)
``outcome_update``    when results arrive (ERAS residency: Match Day, the third Friday of March)

A cycle is named as the services name it: ERAS 2027 is the season that opens in June 2026
and ends with the Match on the third Friday of March 2027 (:func:`match_day`); AMCAS,
AACOMAS and TMDSAS 2027 are for the class entering in 2027. :func:`cycle_problem` refuses an
ERAS deadline that falls after its own Match Day (a cycle entered one year off).

Deadlines are counted from the **personal** deadline because it is the date the writer is
given: "four weeks before the deadline" must hold for the deadline the writer works to.

Examples
--------
>>> import datetime as dt
>>> p = plan(official_deadline=dt.date(2027, 9, 15), today=dt.date(2027, 6, 1))
>>> [(s.key, s.on.isoformat()) for s in p.steps][:3]
[('ask_by_ideal', '2027-07-21'), ('ask_by_latest', '2027-08-04'), ('reminder_1', '2027-08-11')]
>>> match_day(2027)
datetime.date(2027, 3, 19)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from preceptor.lib import text as words

__all__ = [
    "Plan",
    "Step",
    "Warning",
    "WriterFacts",
    "cycle_problem",
    "fitted_margin",
    "match_cycle",
    "match_day",
    "personal_deadline",
    "plan",
]

IDEAL_ASK_WEEKS = 6
LATEST_ASK_WEEKS = 4
FOLLOW_UP_DAYS = 2
REMINDER_DAYS = (21, 7)
THANK_YOU_DAYS = 2
MIN_MONTHS_KNOWN = 3
MATCH_SERVICES = frozenset({"eras"})
_SUBMITTED = frozenset({"submitted", "thanked", "outcome_shared"})
_YES = frozenset(
    {
        "agreed",
        "hesitant",
        "packet_sent",
        "form_sent",
        "reminded",
        "submitted",
        "thanked",
        "outcome_shared",
    }
)


@dataclass(frozen=True)
class Step:
    key: str
    on: dt.date
    label: str
    done: bool = False


@dataclass(frozen=True)
class Warning:
    key: str
    message: str


@dataclass(frozen=True)
class WriterFacts:
    """What the applicant's record says about a writer (from the mentors app)."""

    name: str = "This writer"
    months_known: float | None = None
    supervised_directly: bool | None = None
    interactions: int | None = None


@dataclass(frozen=True)
class Plan:
    steps: list[Step]
    warnings: list[Warning] = field(default_factory=list)

    def step(self, key: str) -> Step | None:
        return next((s for s in self.steps if s.key == key), None)


def match_day(year: int) -> dt.date:
    """The NRMP Main Match Day of ``year``: the third Friday of March.

    >>> match_day(2026)
    datetime.date(2026, 3, 20)
    """
    first = dt.date(year, 3, 1)
    first_friday = first + dt.timedelta(days=(4 - first.weekday()) % 7)
    return first_friday + dt.timedelta(weeks=2)


def cycle_problem(service: str, cycle: int | None, official_deadline: dt.date | None) -> str:
    """Why ``cycle`` cannot hold a letter deadline of ``official_deadline`` ("" when it can).

    >>> cycle_problem("eras", 2027, dt.date(2026, 9, 15))
    ''
    >>> print(cycle_problem("eras", 2027, dt.date(2027, 9, 15)))  # doctest: +NORMALIZE_WHITESPACE
    ERAS 2027 ends with the Match on March 19, 2027, before this deadline; letters due in
    September 2027 belong to ERAS 2028.
    """
    # An impossible year is the form's or the model's to refuse, with its own message.
    if service not in MATCH_SERVICES or official_deadline is None or not 1 < (cycle or 0) < 9999:
        return ""
    day = match_day(cycle or 0)
    if official_deadline < day:
        return ""
    return (
        f"ERAS {cycle} ends with the Match on {day:%B %-d, %Y}, before this deadline; "
        f"letters due in {official_deadline:%B %Y} belong to ERAS {match_cycle(official_deadline)}."
    )


def match_cycle(on: dt.date) -> int:
    """The ERAS cycle (its Match year) that a letter deadline ``on`` belongs to.

    >>> match_cycle(dt.date(2026, 12, 6)), match_cycle(dt.date(2027, 3, 19))
    (2027, 2028)
    """
    return on.year + 1 if on >= match_day(on.year) else on.year


# The least time a writer should have between the day you ask and their deadline.
MIN_WRITER_DAYS = 7


def fitted_margin(official_deadline: dt.date, days: int, today: dt.date) -> int:
    """The margin (7 to ``days``) that still leaves the writer a week from ``today``.

    With the official deadline 15 days away, a 14-day margin would ask the writer for the
    letter tomorrow; the margin shrinks toward 7 days instead (never below it).

    >>> fitted_margin(dt.date(2027, 9, 30), 14, dt.date(2027, 9, 1))
    14
    >>> fitted_margin(dt.date(2027, 9, 16), 14, dt.date(2027, 9, 1))
    8
    >>> fitted_margin(dt.date(2027, 9, 5), 14, dt.date(2027, 9, 1))
    7
    """
    left = (official_deadline - today).days
    return max(7, min(days, left - MIN_WRITER_DAYS))


def personal_deadline(official_deadline: dt.date, days: int = 14) -> dt.date:
    """The date writers are given: ``days`` (7 to 14) before the official deadline."""
    if not 7 <= days <= 14:
        raise ValueError(
            f"The personal deadline is 7 to 14 days before the official one, not {days}."
        )
    return official_deadline - dt.timedelta(days=days)


def plan(
    *,
    official_deadline: dt.date,
    today: dt.date,
    personal_deadline_days: int = 14,
    status: str = "planned",
    asked_on: dt.date | None = None,
    answered_on: dt.date | None = None,
    submitted_on: dt.date | None = None,
    thanked_on: dt.date | None = None,
    outcome_shared_on: dt.date | None = None,
    reminders_sent: int = 0,
    service: str = "",
    cycle: int | None = None,
    results_on: dt.date | None = None,
    writer: WriterFacts | None = None,
    letters_planned: int | None = None,
    max_letters: int | None = None,
) -> Plan:
    """Plan one letter request.

    Parameters
    ----------
    official_deadline, personal_deadline_days
        The application's deadline and the margin (7 to 14 days) before it.
    today
        The applicant's today (decides which asks are late).
    status, asked_on, answered_on, submitted_on, thanked_on, outcome_shared_on, reminders_sent
        Where the request stands.
    service, cycle, results_on
        When outcomes arrive: ``results_on`` if given, else Match Day after an ERAS
        residency cycle; otherwise there is no outcome step yet.
    writer
        Facts about the writer, for the "does this writer meet the criteria" warnings.
    letters_planned, max_letters
        Active requests on the application and the strictest limit (service or program).

    Returns
    -------
    Plan
        ``steps`` sorted by date (ties in the order above) and ``warnings``.
    """
    personal = personal_deadline(official_deadline, personal_deadline_days)
    submitted = status in _SUBMITTED or submitted_on is not None
    asked = asked_on is not None or status not in ("candidate", "planned")
    said_yes = status in _YES
    steps: list[Step] = [
        Step(
            "ask_by_ideal",
            personal - dt.timedelta(weeks=IDEAL_ASK_WEEKS),
            "Ask by this date (ideal: six weeks before your deadline)",
            asked,
        ),
        Step(
            "ask_by_latest",
            personal - dt.timedelta(weeks=LATEST_ASK_WEEKS),
            "Ask by this date at the latest (four weeks before)",
            asked,
        ),
    ]
    if said_yes:
        base = answered_on or asked_on or today
        steps.append(
            Step(
                "follow_up",
                base + dt.timedelta(days=FOLLOW_UP_DAYS),
                "Clarify timing and expectations; line up a backup"
                if status == "hesitant"
                else "Send the follow-up: thanks, packet, deadline, how to submit",
                status not in ("agreed", "hesitant"),
            )
        )
    if not submitted:
        # A reminder before the ask (or before the yes) would make no sense.
        anchors = [d for d in (asked_on, answered_on) if d is not None]
        started = max(anchors) if anchors else today
        for n, days in enumerate(REMINDER_DAYS, start=1):
            on = personal - dt.timedelta(days=days)
            if on > started:
                steps.append(
                    Step(
                        f"reminder_{n}",
                        on,
                        "Polite reminder: restate the deadline, offer anything needed"
                        if n == 1
                        else "Last reminder, if the letter is not in yet",
                        reminders_sent >= n,
                    )
                )
    steps.append(Step("personal_deadline", personal, "Your deadline for writers", submitted))
    steps.append(
        Step("official_deadline", official_deadline, "Official letter deadline", submitted)
    )
    if submitted:
        steps.append(
            Step(
                "thank_you",
                (submitted_on or today) + dt.timedelta(days=THANK_YOU_DAYS),
                "Send a thank-you note",
                thanked_on is not None or status in ("thanked", "outcome_shared"),
            )
        )
    outcome = results_on
    if outcome is None and service in MATCH_SERVICES and cycle:
        outcome = match_day(cycle)
    if outcome is not None and status != "declined":
        steps.append(
            Step(
                "outcome_update",
                max(outcome, official_deadline),
                "Tell your writer how it went",
                outcome_shared_on is not None or status == "outcome_shared",
            )
        )
    if status == "declined":
        steps = [
            s
            for s in steps
            if s.key in ("ask_by_ideal", "ask_by_latest", "personal_deadline", "official_deadline")
        ]
    order = {
        k: i
        for i, k in enumerate(
            [
                "ask_by_ideal",
                "ask_by_latest",
                "follow_up",
                "reminder_1",
                "reminder_2",
                "personal_deadline",
                "official_deadline",
                "thank_you",
                "outcome_update",
            ]
        )
    }
    steps.sort(key=lambda s: (s.on, order[s.key]))
    return Plan(
        steps=steps,
        warnings=_warnings(
            personal=personal,
            official=official_deadline,
            today=today,
            status=status,
            asked_on=asked_on,
            submitted=submitted,
            writer=writer,
            letters_planned=letters_planned,
            max_letters=max_letters,
        ),
    )


def _warnings(
    *,
    personal: dt.date,
    official: dt.date,
    today: dt.date,
    status: str,
    asked_on: dt.date | None,
    submitted: bool,
    writer: WriterFacts | None,
    letters_planned: int | None,
    max_letters: int | None,
) -> list[Warning]:
    out: list[Warning] = []
    latest = personal - dt.timedelta(weeks=LATEST_ASK_WEEKS)
    ask_day = (
        asked_on
        if asked_on is not None
        else (today if status in ("candidate", "planned") else None)
    )
    # Once the letter is in, a late ask is history, not something to act on.
    if ask_day is not None and ask_day > latest and status != "declined" and not submitted:
        left = words.count(max((personal - ask_day).days, 0), "day")
        when = (
            f"Asked on {asked_on:%B %-d}, the writer had {left}"
            if asked_on is not None
            else f"Asking today leaves the writer {left}"
        )
        out.append(
            Warning(
                "late_ask",
                f"{when} before your deadline of {personal:%B %-d}; give writers at least "
                "four weeks, and say so kindly if time is short.",
            )
        )
    if not submitted and status != "declined" and today > personal:
        out.append(
            Warning(
                "past_personal_deadline",
                f"Your personal deadline ({personal:%B %-d}) has passed and the letter is not in; "
                f"the official deadline is {official:%B %-d}.",
            )
        )
    if writer is not None and status != "declined":
        if writer.months_known is not None and writer.months_known < MIN_MONTHS_KNOWN:
            out.append(
                Warning(
                    "writer_little_contact",
                    f"{writer.name} has known you for under {MIN_MONTHS_KNOWN} months; a strong "
                    "letter needs several months of working together.",
                )
            )
        if writer.supervised_directly is False:
            out.append(
                Warning(
                    "writer_not_supervisor",
                    f"{writer.name} has not supervised your work directly, so the letter may lack "
                    "specific examples.",
                )
            )
        if writer.interactions is not None and writer.interactions < 2:
            out.append(
                Warning(
                    "writer_few_contacts",
                    f"You have logged {words.count(writer.interactions, 'contact', words=True)} "
                    f"with {writer.name}; "
                    "a writer who knows you well writes the stronger letter.",
                )
            )
    if max_letters is not None and letters_planned is not None and letters_planned > max_letters:
        out.append(
            Warning(
                "too_many_letters",
                f"{words.count(letters_planned, 'letter')} are planned but at most {max_letters} "
                "can be used; "
                "decide which to keep before you ask more writers.",
            )
        )
    return out
