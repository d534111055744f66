from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "preceptor.notify"
    label = "notify"
    verbose_name = "Reminders and calendar"
