from django.apps import AppConfig


class MentorsConfig(AppConfig):
    name = "preceptor.mentors"
    label = "mentors"
    verbose_name = "Mentors"
