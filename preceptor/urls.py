from django.contrib import admin
from django.urls import include, path

from preceptor.api.urls import api

urlpatterns = [
    path("", include("preceptor.core.urls")),
    path("account/", include("preceptor.accounts.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "Preceptor administration"
admin.site.site_title = "Preceptor admin"
