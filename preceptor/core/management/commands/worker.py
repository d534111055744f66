"""``manage.py worker``: the django-tasks database worker, with a heartbeat for /healthz,
that outlives a database briefly locked or unreachable.

It accepts every option of ``db_worker`` (``--queue-name simulations`` for SmartPick's
queue; see ``preceptor/lib/queues.py``). django-tasks' own loop exits on most database
errors, and on SQLite even on "database is locked" when it begins its claim; here such an
error is logged and the loop starts again after a back-off (0.5 s, doubling, at most
30 s), so one long write elsewhere never stops the worker. The heartbeat thread keeps
beating throughout; its row is removed on a clean exit so /healthz does not count a worker
that has stopped.
"""

from __future__ import annotations

import logging
import os
import time
from typing import Any

from django.core.management.base import CommandError
from django.db import connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from preceptor.core.heartbeat import beating
from preceptor.core.models import WorkerHeartbeat
from preceptor.lib.backoff import TRANSIENT_DB_ERRORS, Backoff

logger = logging.getLogger("django_tasks_db")

# A loop that ran this long before failing starts its back-off afresh.
HEALTHY_SECONDS = 60.0


class ResilientWorker(Worker):
    """django-tasks' worker loop, begun again after a transient database error."""

    unrecorded: DBTaskResult | None = None

    def run_task(self, db_task_result: DBTaskResult) -> None:
        try:
            super().run_task(db_task_result)
        except TRANSIENT_DB_ERRORS:
            # The task ran but its outcome could not be saved: save it once we can, so it
            # is not left "running" for ever.
            self.unrecorded = db_task_result
            raise

    def run(self) -> None:
        backoff = Backoff(base=0.5, cap=30.0)
        while True:
            began = time.monotonic()
            try:
                self._record_outcome()
                super().run()
                return
            except TRANSIENT_DB_ERRORS as e:
                if not self.running:
                    return
                if time.monotonic() - began > HEALTHY_SECONDS:
                    backoff.reset()
                wait = backoff.next()
                logger.warning(
                    "worker %s: database error (%s: %s); retrying in %.1f s",
                    self.worker_id,
                    type(e).__name__,
                    e,
                    wait,
                )
                self.startup_delay = False
                connections.close_all()
                time.sleep(wait)

    def _record_outcome(self) -> None:
        if self.unrecorded is not None:
            self.unrecorded.save()
            self.unrecorded = None


class Command(DbWorkerCommand):
    help = (
        "Run a background worker (django-tasks database backend) with a health heartbeat; "
        "it retries after database errors instead of exiting."
    )

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options: Any,
    ) -> None:
        # db_worker's own handle, with the resilient worker and the heartbeat.
        self.configure_logging(verbosity)
        if reload and batch:
            reload = False
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ResilientWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        with beating(worker_id, role=WorkerHeartbeat.Role.WORKER, queues=queue_name):
            if reload:
                if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                    worker.configure_signals()
                run_with_reloader(worker.run)
            else:
                worker.configure_signals()
                worker.run()
