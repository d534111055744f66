from django.urls import path

from preceptor.writers import views

app_name = "writers"
urlpatterns = [
    # The writer, through their link (no account).
    path("writer/<str:token>/", views.writer, name="writer"),
    path("writer/<str:token>/answer/", views.writer_answer, name="writer_answer"),
    path("writer/<str:token>/submitted/", views.writer_submitted, name="writer_submitted"),
    path("writer/<str:token>/upload/", views.writer_upload, name="writer_upload"),
    path("writer/<str:token>/packet/", views.writer_packet, name="writer_packet"),
    # A recipient of a delivered letter, through their own link.
    path("d/<str:token>/", views.recipient, name="recipient"),
    path("d/<str:token>/download/", views.recipient_download, name="recipient_download"),
    # The applicant.
    path("vault/", views.overview, name="overview"),
    path("vault/requests/<uuid:public_id>/", views.request_page, name="request"),
    path("vault/requests/<uuid:public_id>/links/", views.link_create, name="link_create"),
    path("vault/requests/<uuid:public_id>/deliver/", views.deliver, name="deliver"),
    path("vault/links/<uuid:public_id>/revoke/", views.link_revoke, name="link_revoke"),
    path(
        "vault/deliveries/<uuid:public_id>/revoke/", views.delivery_revoke, name="delivery_revoke"
    ),
    path("vault/letters/<uuid:public_id>/copy/", views.letter_copy, name="letter_copy"),
]
