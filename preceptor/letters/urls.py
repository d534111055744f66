from django.urls import path

from preceptor.letters import views

app_name = "letters"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("board/", views.board, name="board"),
    path("applications/new/", views.application_new, name="application_new"),
    path("applications/<uuid:app_id>/", views.application_detail, name="application"),
    path("applications/<uuid:app_id>/edit/", views.application_edit, name="application_edit"),
    path("applications/<uuid:app_id>/delete/", views.application_delete, name="application_delete"),
    path("applications/<uuid:app_id>/requests/", views.request_add, name="request_add"),
    path("applications/<uuid:app_id>/documents/", views.document_upload, name="document_upload"),
    path(
        "applications/<uuid:app_id>/documents/<str:kind>/delete/",
        views.document_delete,
        name="document_delete",
    ),
    path("applications/<uuid:app_id>/documents/use/", views.document_use, name="document_use"),
    path("documents/", views.library_page, name="library"),
    path("documents/new/", views.library_add, name="library_add"),
    path(
        "documents/<uuid:doc_id>/versions/", views.library_version_add, name="library_version_add"
    ),
    path("documents/<uuid:doc_id>/rename/", views.library_rename, name="library_rename"),
    path(
        "versions/<uuid:version_id>/delete/",
        views.library_version_delete,
        name="library_version_delete",
    ),
    path("applications/<uuid:app_id>/outcomes/", views.outcome_set, name="outcome_set"),
    path("applications/<uuid:app_id>/tell/", views.tell_writers, name="tell_writers"),
    path("outcomes/<uuid:outcome_id>/delete/", views.outcome_delete, name="outcome_delete"),
    path("requests/<uuid:req_id>/", views.request_detail, name="request"),
    path("requests/<uuid:req_id>/told/", views.request_told, name="request_told"),
    path("requests/<uuid:req_id>/practice/", views.request_practice, name="request_practice"),
    path("requests/<uuid:req_id>/move/", views.request_transition, name="request_transition"),
    path("requests/<uuid:req_id>/edit/", views.request_edit, name="request_edit"),
    path("requests/<uuid:req_id>/waiver/", views.request_waiver, name="request_waiver"),
    path("requests/<uuid:req_id>/delete/", views.request_delete, name="request_delete"),
    path("requests/<uuid:req_id>/form/", views.request_form_upload, name="request_form_upload"),
    path(
        "requests/<uuid:req_id>/form/delete/",
        views.request_form_delete,
        name="request_form_delete",
    ),
    path("requests/<uuid:req_id>/packet.pdf", views.packet_pdf, name="packet_pdf"),
    path("requests/<uuid:req_id>/packet.zip", views.packet_zip, name="packet_zip"),
]
