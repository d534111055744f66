from django.apps import AppConfig


class WritersConfig(AppConfig):
    name = "preceptor.writers"
    label = "writers"
    verbose_name = "Letter writers"
