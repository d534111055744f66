"""A background process's heartbeat for /healthz: a daemon thread that records the process
every few seconds, whatever the main loop is doing, and keeps trying while the database is
unavailable (a missed beat shows as a stale heartbeat, never as a dead process)."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

from preceptor.core import services
from preceptor.lib import queues as task_queues
from preceptor.lib.backoff import Backoff

logger = logging.getLogger(__name__)


class Heartbeat(threading.Thread):
    def __init__(
        self, worker_id: str, interval: float, *, role: str, queues: str = task_queues.URGENT
    ) -> None:
        super().__init__(name="heartbeat", daemon=True)
        self.worker_id = worker_id
        self.interval = interval
        self.role = role
        self.queues = queues
        self.started_at = timezone.now()
        self.stopped = threading.Event()

    def beat(self) -> None:
        services.beat(self.worker_id, self.started_at, role=self.role, queues=self.queues)

    def run(self) -> None:
        backoff = Backoff(base=1.0, cap=self.interval)
        while not self.stopped.is_set():
            wait = self.interval
            try:
                self.beat()
                backoff.reset()
            except Exception as e:
                # The database briefly locked or down: try again soon, never die of it.
                wait = backoff.next()
                logger.warning(
                    "heartbeat failed (%s: %s); retrying in %.1f s", type(e).__name__, e, wait
                )
            finally:
                close_old_connections()
            self.stopped.wait(wait)


@contextlib.contextmanager
def beating(worker_id: str, *, role: str, queues: str = "") -> Iterator[Heartbeat]:
    """Beat while the block runs; on the way out remove the row, so /healthz does not count
    a process that stopped cleanly. The first beat is in the thread: a locked database at
    start-up delays it instead of stopping the process."""
    heartbeat = Heartbeat(worker_id, settings.WORKER_HEARTBEAT_SECONDS, role=role, queues=queues)
    heartbeat.start()
    try:
        yield heartbeat
    finally:
        heartbeat.stopped.set()
        heartbeat.join(timeout=5)
        try:
            services.stop_beating(worker_id)
        except Exception:
            logger.exception("could not remove the heartbeat of %s", worker_id)
        finally:
            close_old_connections()
