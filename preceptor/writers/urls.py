from django.urls import URLPattern

app_name = "writers"

urlpatterns: list[URLPattern] = []
