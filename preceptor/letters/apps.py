from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "preceptor.letters"
    label = "letters"
    verbose_name = "Letters"
