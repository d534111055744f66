from django.urls import path

from . import views

app_name = "smartpick"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("profile/", views.profile, name="profile"),
    path("budget/", views.budget, name="budget"),
    path("wish/", views.wish, name="wish"),
    path("states/", views.by_state, name="states"),
    path("export.csv", views.export, name="export"),
    path("simulate/", views.simulate, name="simulate"),
    path("simulations/<uuid:run_id>/", views.run_status, name="run"),
    path("calibration/", views.calibration, name="calibration"),
]
