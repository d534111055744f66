from django.urls import URLPattern

app_name = "mentors"

urlpatterns: list[URLPattern] = []
