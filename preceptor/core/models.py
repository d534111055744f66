from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    """One row per background process (a task worker or a reminder sender), touched every
    few seconds while it runs."""

    class Role(models.TextChoices):
        WORKER = "worker", "Task worker"
        SENDER = "sender", "Reminder sender"

    worker_id = models.CharField(max_length=64, primary_key=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.WORKER)
    # The task queues a worker serves, comma-separated ("*" for all); empty for a sender.
    queues = models.CharField(max_length=200, blank=True, default="")
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} on {self.hostname} (pid {self.pid})"


class RateCounter(models.Model):
    """Hits in one fixed time window for one key (a hashed scope and client, user or token).

    Used by ``preceptor.core.ratelimit`` for every rate limit in the project. The table
    keeps its first name: the model moved here from the writers app without a copy.
    """

    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "writers_ratecounter"
        constraints = [
            models.UniqueConstraint(fields=("key", "window_start"), name="writers_rate_window")
        ]

    def __str__(self) -> str:
        return f"{self.count} hits from {self.window_start:%H:%M}"
