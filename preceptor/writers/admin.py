"""Admin views of metadata only: no admin page reads or offers a letter's bytes."""

from __future__ import annotations

from django.contrib import admin

from preceptor.writers.models import AuditEvent, Delivery, VaultLetter, WriterLink


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WriterLink)
class WriterLinkAdmin(ReadOnly):
    list_display = ("request", "created", "expires_at", "revoked_at", "sent_to", "last_used_at")
    exclude = ("token_hash",)


@admin.register(VaultLetter)
class VaultLetterAdmin(ReadOnly):
    list_display = ("request", "version", "received_at", "page_count", "size", "waived")
    exclude = ("stored_name",)


@admin.register(Delivery)
class DeliveryAdmin(ReadOnly):
    list_display = ("recipient_name", "recipient_email", "created", "downloads", "max_downloads")
    exclude = ("token_hash",)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnly):
    list_display = ("request", "kind", "detail", "at")
