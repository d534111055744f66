from django.urls import path

from preceptor.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard_view, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
]
