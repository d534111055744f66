from django.urls import path

from preceptor.notify import views

app_name = "notify"

urlpatterns = [
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/feed/<str:token>.ics", views.feed, name="feed"),
    path("calendar/application/<uuid:pk>.ics", views.application_ics, name="application_ics"),
    path("calendar/interviews/add/", views.interview_add, name="interview_add"),
    path("calendar/interviews/<uuid:pk>/delete/", views.interview_delete, name="interview_delete"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("notifications/<uuid:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/settings/", views.settings_view, name="settings"),
    path("notifications/settings/feed/", views.feed_rotate, name="feed_rotate"),
    path("notifications/settings/resubscribe/", views.resubscribe, name="resubscribe"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
