from django.contrib import admin

from preceptor.mentors.models import Achievement, ActionItem, Interaction, Mentor, SupervisionPeriod


class PeriodInline(admin.TabularInline):
    model = SupervisionPeriod
    extra = 0


@admin.register(Mentor)
class MentorAdmin(admin.ModelAdmin):
    list_display = ("full_name", "user", "role", "specialty", "status")
    list_filter = ("status", "role")
    search_fields = ("full_name", "user__email", "institution")
    raw_id_fields = ("user",)
    inlines = [PeriodInline]


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin):
    list_display = ("mentor", "occurred_on", "kind")
    raw_id_fields = ("mentor",)


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ("text", "mentor", "status", "reported_back")
    raw_id_fields = ("mentor", "interaction")


@admin.register(Achievement)
class AchievementAdmin(admin.ModelAdmin):
    list_display = ("title", "user", "kind", "achieved_on")
    raw_id_fields = ("user",)
