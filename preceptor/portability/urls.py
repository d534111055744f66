from django.urls import path

from preceptor.portability import views

app_name = "portability"
urlpatterns = [
    path("", views.data, name="data"),
    path("export/", views.export, name="export"),
    path("import/", views.import_, name="import"),
]
