from __future__ import annotations

from django.contrib import admin

from preceptor.letters.models import Application, LetterRequest, RequestTransition, ServiceRule


@admin.register(ServiceRule)
class ServiceRuleAdmin(admin.ModelAdmin):
    """Service rules change every cycle; staff keep them current here (with their source)."""

    list_display = ("name", "service", "specialty", "min_letters", "max_letters", "updated")
    list_filter = ("service",)
    search_fields = ("name", "specialty", "source")
    fieldsets = (
        (None, {"fields": ("service", "specialty", "name")}),
        ("Letters", {"fields": ("min_letters", "max_letters", "usual_mix", "requirements")}),
        ("Files", {"fields": ("max_file_mb", "file_notes")}),
        ("Notes and source", {"fields": ("notes", "source")}),
    )


class TransitionInline(admin.TabularInline):
    model = RequestTransition
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "actor", "note", "at")


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("__str__", "user", "service", "cycle", "official_deadline")
    list_filter = ("service", "cycle")
    search_fields = ("title", "specialty", "user__email")
    raw_id_fields = ("user",)


@admin.register(LetterRequest)
class LetterRequestAdmin(admin.ModelAdmin):
    list_display = ("__str__", "status", "kind", "reminders_sent", "submitted_on")
    list_filter = ("status", "kind")
    raw_id_fields = ("application", "mentor")
    # Letters are personal records; staff may look but the applicant's services change them.
    readonly_fields = ("status",)
    inlines = (TransitionInline,)
