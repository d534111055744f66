from django.apps import AppConfig


class PortabilityConfig(AppConfig):
    name = "preceptor.portability"
    label = "portability"
    verbose_name = "Your data to take with you"
