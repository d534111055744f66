"""``manage.py worker``: the django-tasks database worker plus a heartbeat for /healthz.

It accepts every option of ``db_worker``. A daemon thread writes this process's heartbeat
every few seconds; the row is removed on a clean exit so /healthz does not count a worker
that has stopped.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from preceptor.core import services

logger = logging.getLogger(__name__)


class Heartbeat(threading.Thread):
    def __init__(self, worker_id: str, interval: float) -> None:
        super().__init__(name="heartbeat", daemon=True)
        self.worker_id = worker_id
        self.interval = interval
        self.started_at = timezone.now()
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                services.beat(self.worker_id, self.started_at)
            except Exception:
                # A failed beat (database briefly locked or down) must not kill the worker;
                # /healthz reports the stale heartbeat instead.
                logger.exception("worker heartbeat failed")
            finally:
                close_old_connections()
            self.stopped.wait(self.interval)


class Command(DbWorkerCommand):
    help = "Run the background worker (django-tasks database backend) with a health heartbeat"

    def handle(self, *args: Any, **options: Any) -> None:
        worker_id = options["worker_id"]
        # Beat once before starting, so /healthz knows about the worker straight away.
        services.beat(worker_id, timezone.now())
        heartbeat = Heartbeat(worker_id, settings.WORKER_HEARTBEAT_SECONDS)
        heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:
            heartbeat.stopped.set()
            heartbeat.join(timeout=5)
            try:
                services.stop_beating(worker_id)
            except Exception:
                logger.exception("could not remove the worker heartbeat")
