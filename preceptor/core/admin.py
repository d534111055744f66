from django.contrib import admin

from preceptor.core.models import WorkerHeartbeat


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ("worker_id", "role", "queues", "hostname", "pid", "started_at", "seen_at")
    readonly_fields = list_display
