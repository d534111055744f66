"""Signals this app sends, and the receivers that keep reminders in step with other apps.

``reminder_sent(reminder)`` fires after a reminder email was accepted by the mail server.
The receivers below re-run :func:`preceptor.notify.sync.sync_user` whenever something that
dates a reminder changes, *after* the surrounding transaction commits (so the sync sees
the committed data, and a rolled-back change reschedules nothing).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal

logger = logging.getLogger(__name__)

reminder_sent = Signal()


def _resync(user_id: int | None) -> None:
    if not user_id:
        return
    from preceptor.notify.sync import forget_in_step

    # At once, so that no visit trusts the old "in step" marker from here on; and again
    # at the commit, in case a visit compared the old data meanwhile and marked it.
    forget_in_step(user_id)

    def run() -> None:
        from preceptor.accounts.models import User
        from preceptor.notify.sync import sync_user

        forget_in_step(user_id)
        user = User.objects.filter(pk=user_id).select_related("profile").first()
        if user is None:
            return
        try:
            sync_user(user)
        except Exception:
            # A failed sync must never break the user's save; the next change retries,
            # and the next visit compares (the failed sync left no marker).
            logger.exception("reminder sync failed for user %s", user_id)

    transaction.on_commit(run)


def _owner_id(instance: Any) -> int | None:
    """The user a model instance belongs to, following the usual foreign keys."""
    for path in ("user_id", "application.user_id", "mentor.user_id", "request.application.user_id"):
        obj: Any = instance
        try:
            for part in path.split("."):
                obj = getattr(obj, part)
        except Exception:  # noqa: S112 - a missing relation just means "not this path"
            continue
        if isinstance(obj, int):
            return obj
    return None


def on_change(sender: Any, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return  # a fixture or a restore loading rows as they were: nothing to recompute
    _resync(_owner_id(instance))


def on_request_transitioned(sender: Any, request: Any, **kwargs: Any) -> None:
    from preceptor.notify import services

    user_id = _owner_id(request)
    if user_id:
        services.settle_notifications(user_id, request, kwargs.get("to_status"))
        services.notify_transition(
            user_id, request, kwargs.get("from_status"), kwargs.get("to_status")
        )
    _resync(user_id)


def on_deadlines_changed(sender: Any, application: Any, **kwargs: Any) -> None:
    _resync(_owner_id(application))


def on_letter_received(sender: Any, request: Any, **kwargs: Any) -> None:
    from preceptor.notify import services

    user_id = _owner_id(request)
    if user_id:
        services.notify_letter_received(user_id, request)
    _resync(user_id)


def on_reminder_sent(sender: Any, reminder: Any, **kwargs: Any) -> None:
    """A writer reminder went out: record it on the letter request (the letters app lets
    the "system" actor make exactly this move)."""
    if reminder.audience != "writer" or not reminder.context.get("request"):
        return
    try:
        from preceptor.letters import services as letters
        from preceptor.letters.models import LetterRequest
    except ImportError:
        return
    req = LetterRequest.objects.filter(
        public_id=reminder.context["request"], application__user_id=reminder.user_id
    ).first()
    if req is None:
        return
    try:
        letters.transition(
            req, "reminded", actor="system", note="Reminder email sent by Preceptor."
        )
    except Exception as e:
        # Not allowed from its current status (say, just submitted): nothing to record.
        logger.info("could not record reminder on request %s: %s", req.pk, e)


# Models whose saves and deletes can move a date: (app label, model name).
WATCHED = [
    ("letters", "Application"),
    ("letters", "LetterRequest"),
    ("mentors", "Mentor"),
    ("mentors", "Interaction"),
    ("mentors", "ActionItem"),
    ("mentors", "SupervisionPeriod"),
    ("notify", "Interview"),
    ("notify", "Preferences"),
    ("accounts", "Profile"),
]


def connect() -> list[str]:
    """Connect every receiver whose sender exists; returns what was wired (for the docs
    and the tests), so an app that lands later is picked up at the next start."""
    from django.apps import apps

    wired = []
    reminder_sent.connect(on_reminder_sent, dispatch_uid="notify-reminder-sent")
    for label, name in WATCHED:
        try:
            model = apps.get_model(label, name)
        except LookupError:
            continue
        post_save.connect(on_change, sender=model, dispatch_uid=f"notify-save-{label}.{name}")
        post_delete.connect(on_change, sender=model, dispatch_uid=f"notify-del-{label}.{name}")
        wired.append(f"{label}.{name}")
    try:
        from preceptor.letters import signals as letters_signals

        if hasattr(letters_signals, "request_transitioned"):
            letters_signals.request_transitioned.connect(
                on_request_transitioned, dispatch_uid="notify-transitioned"
            )
            wired.append("letters.request_transitioned")
        if hasattr(letters_signals, "deadlines_changed"):
            letters_signals.deadlines_changed.connect(
                on_deadlines_changed, dispatch_uid="notify-deadlines"
            )
            wired.append("letters.deadlines_changed")
    except ImportError:
        pass
    try:
        from preceptor.writers import signals as writers_signals

        if hasattr(writers_signals, "letter_received"):
            writers_signals.letter_received.connect(
                on_letter_received, dispatch_uid="notify-letter-received"
            )
            wired.append("writers.letter_received")
    except ImportError:
        pass
    return wired
