from __future__ import annotations

from typing import Any

from django.apps import AppConfig


def _week_panel(user: Any) -> dict[str, Any]:
    from preceptor.letters import queries, services

    today = services.today_for(user)
    return {"todo": queries.week_todo(user, today)[:8], "today": today}


class LettersConfig(AppConfig):
    name = "preceptor.letters"
    label = "letters"
    verbose_name = "Letters"

    def ready(self) -> None:
        from preceptor.core import checklist, dashboard, demo
        from preceptor.letters.demo import seed

        dashboard.register(
            dashboard.Panel("letters_week", "letters/panel_week.html", _week_panel, order=30)
        )
        checklist.register(
            checklist.Step(
                "letters_plan",
                "Add an application and plan who will write your letters",
                "letters:overview",
                order=40,
                done_when_any=("letters.LetterRequest", "application__user"),
            )
        )
        demo.register(seed, order=40)

        from django.db.models.signals import post_delete, post_save

        from preceptor.letters import rulebook
        from preceptor.letters.models import ServiceRule

        post_save.connect(rulebook.rules_changed, sender=ServiceRule, dispatch_uid="rules-saved")
        post_delete.connect(rulebook.rules_changed, sender=ServiceRule, dispatch_uid="rules-gone")
