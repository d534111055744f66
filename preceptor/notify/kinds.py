"""What each kind of reminder and calendar event is called (plain data).

Its own module so that the models (an event's label) and the sources (which make the
events) both read it without importing each other.
"""

from __future__ import annotations

__all__ = ["KIND_LABELS"]

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
    "ask_now": "Ask while they remember",
    "heads_up": "Heads-up to likely writers",
    "build_relationships": "Build relationships",
}
