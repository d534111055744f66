from __future__ import annotations

from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "preceptor.notify"
    label = "notify"
    verbose_name = "Reminders and calendar"

    def ready(self) -> None:
        from preceptor.notify import integration, signals

        signals.connect()
        integration.register_all()
