"""Signals other apps listen to (the notify app schedules and cancels reminders with them).

``request_transitioned`` — sender ``LetterRequest``; kwargs ``request``, ``from_status``,
``to_status``, ``actor``. Sent after the transaction that made the move commits, once per move.

``deadlines_changed`` — sender ``Application``; kwargs ``application``. Sent after commit when
an application is created or its official deadline or personal deadline days change.
"""

from __future__ import annotations

from django.dispatch import Signal

request_transitioned = Signal()
deadlines_changed = Signal()
