from django.urls import path

from preceptor.mentors import views

app_name = "mentors"

urlpatterns = [
    path("", views.mentor_list, name="list"),
    path("add/", views.mentor_add, name="add"),
    path("network/", views.network_view, name="network"),
    path("import/", views.import_csv, name="import"),
    path("export.csv", views.export, name="export"),
    path("achievements/", views.achievements, name="achievements"),
    path("achievements/<uuid:pk>/edit/", views.achievement_edit, name="achievement_edit"),
    path("achievements/<uuid:pk>/delete/", views.achievement_delete, name="achievement_delete"),
    path("<uuid:pk>/", views.mentor_detail, name="detail"),
    path("<uuid:pk>/edit/", views.mentor_edit, name="edit"),
    path("<uuid:pk>/delete/", views.mentor_delete, name="delete"),
    path("<uuid:pk>/log/", views.log_interaction, name="log"),
    path("<uuid:pk>/periods/add/", views.period_add, name="period_add"),
    path("<uuid:pk>/actions/add/", views.action_add, name="action_add"),
    path("<uuid:pk>/snooze/", views.snooze, name="snooze"),
    path("<uuid:pk>/drafts/<slug:kind>/", views.draft, name="draft"),
    path("interactions/<uuid:pk>/edit/", views.interaction_edit, name="interaction_edit"),
    path("interactions/<uuid:pk>/delete/", views.interaction_delete, name="interaction_delete"),
    path("periods/<uuid:pk>/edit/", views.period_edit, name="period_edit"),
    path("periods/<uuid:pk>/delete/", views.period_delete, name="period_delete"),
    path("actions/<uuid:pk>/", views.action_update, name="action_update"),
]
