"""Worker heartbeats and the health report built on them."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from preceptor.core.models import WorkerHeartbeat


def beat(worker_id: str, started_at: datetime) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "seen_at": now,
        },
    )
    # Rows of workers gone for a day only clutter the admin.
    WorkerHeartbeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()


def stop_beating(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


@dataclass(frozen=True)
class Health:
    database: str
    worker: str
    worker_last_seen: datetime | None
    workers_alive: int

    @property
    def status(self) -> str:
        if self.database != "ok":
            return "error"
        return "ok" if self.worker == "ok" else "degraded"

    def as_dict(self) -> dict[str, object]:
        seen = self.worker_last_seen
        return {
            "status": self.status,
            "database": self.database,
            "worker": {
                "status": self.worker,
                "alive": self.workers_alive,
                "last_seen": seen.isoformat() if seen else None,
                "age_seconds": round((timezone.now() - seen).total_seconds(), 1) if seen else None,
            },
        }


def health() -> Health:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        newest = WorkerHeartbeat.objects.order_by("-seen_at").first()
        cutoff = timezone.now() - timedelta(seconds=settings.WORKER_STALE_SECONDS)
        alive = WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).count()
    except DatabaseError:
        return Health(
            database="unavailable", worker="unknown", worker_last_seen=None, workers_alive=0
        )
    if newest is None:
        worker = "never seen"
    elif alive:
        worker = "ok"
    else:
        worker = "stale"
    return Health(
        database="ok",
        worker=worker,
        worker_last_seen=newest.seen_at if newest else None,
        workers_alive=alive,
    )
