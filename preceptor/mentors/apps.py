from __future__ import annotations

from typing import Any

from django.apps import AppConfig


def _reach_out_panel(user: Any) -> dict[str, Any]:
    """Whom to contact this week, most urgent first, with the reason."""
    import datetime as dt

    from preceptor.mentors import services

    today = services.today_for(user)
    week = today + dt.timedelta(days=7)
    tracked = services.cadence_states(user, today)
    states = [
        s
        for s in tracked
        if s.state in ("overdue", "due_soon") or (s.state == "ok" and s.due_on <= week)
    ]
    unreported = list(services.unreported_action_items(user)[:5])
    return {
        "today": today,
        "states": states[:6],
        "more": max(0, len(states) - 6),
        "unreported": unreported,
        # A tracked mentor answers it without a query; only former mentors need one.
        "has_mentors": bool(tracked) or services.mentors_of(user).exists(),
    }


class MentorsConfig(AppConfig):
    name = "preceptor.mentors"
    label = "mentors"
    verbose_name = "Mentors"

    def ready(self) -> None:
        from preceptor.core import checklist, dashboard, demo
        from preceptor.mentors.demo import seed

        dashboard.register(
            dashboard.Panel("mentors_reach_out", "mentors/panel.html", _reach_out_panel, order=20)
        )
        checklist.register(
            checklist.Step(
                "mentors_first",
                "Add your first mentor",
                "mentors:add",
                order=30,
                done_when_any=("mentors.Mentor", "user"),
            )
        )
        demo.register(seed, order=20)
