from __future__ import annotations

from django.contrib import admin

from preceptor.notify.models import Interview, Notification, Preferences, Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin[Reminder]):
    list_display = ("kind", "recipient", "send_at", "status", "attempts", "channel", "sent_at")
    list_filter = ("status", "kind", "channel", "audience")
    search_fields = ("recipient", "key")
    readonly_fields = ("claimed_by", "claimed_at", "handed_off_at", "sent_at", "last_error")


@admin.register(Preferences)
class PreferencesAdmin(admin.ModelAdmin[Preferences]):
    list_display = ("user", "delivery", "digest_weekday", "digest_hour", "paused", "unsubscribed")


admin.site.register(Notification)
admin.site.register(Interview)
