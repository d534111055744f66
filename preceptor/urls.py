from django.contrib import admin
from django.urls import include, path

from preceptor.api.urls import api

urlpatterns = [
    path("", include("preceptor.core.urls")),
    path("account/data/", include("preceptor.portability.urls")),
    path("account/", include("preceptor.accounts.urls")),
    path("mentors/", include("preceptor.mentors.urls")),
    path("letters/", include("preceptor.letters.urls")),
    path("programs/", include("preceptor.smartpick.urls")),
    # The writer link, vault and deliveries; the calendar, notifications and feed. Each app
    # chooses its own top-level paths (writer/, vault/, calendar/, notifications/, ...).
    path("", include("preceptor.writers.urls")),
    path("", include("preceptor.notify.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "Preceptor administration"
admin.site.site_title = "Preceptor admin"
