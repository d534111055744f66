from django.urls import URLPattern

app_name = "smartpick"

urlpatterns: list[URLPattern] = []
