from django.apps import AppConfig


class SmartpickConfig(AppConfig):
    name = "preceptor.smartpick"
    label = "smartpick"
    verbose_name = "SmartPick"
