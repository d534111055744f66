"""Heartbeats of the background processes and the health report built on them."""

from __future__ import annotations

import json
import logging
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, Min, Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from preceptor.core.models import WorkerHeartbeat
from preceptor.lib import queues as task_queues

Role = WorkerHeartbeat.Role

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PartState:
    """A part's answer to /healthz: "ok" or a short reason that names no host, bucket, path
    or credential (/healthz is public). ``local``: the fault is this machine's alone (a
    vault directory it cannot write), so the balancer should route around it (a 503); a
    fault every machine shares (the object store down) only degrades the site, since taking
    every machine out would also stop the pages that need no letter."""

    state: str
    local: bool = False


# Parts other than the database that /healthz checks (the letter vault, registered by the
# writers app).
_PARTS: dict[str, Callable[[], PartState]] = {}


# /healthz is public: a burst of requests must not become a burst of probes (a HEAD on the
# object store each, up to 4 s of a web process when the store hangs). Each process asks
# each part at most once in this many seconds and answers with what it last heard.
PART_CHECK_SECONDS = 10.0
_heard: dict[str, tuple[float, PartState]] = {}


def register_part(name: str, check: Callable[[], PartState]) -> None:
    """Add a part to /healthz; ``check`` must be cheap and bounded in time."""
    _PARTS[name] = check


def forget_parts() -> None:
    """Ask every part again at the next /healthz (tests; a process starts with nothing)."""
    _heard.clear()


def _ask(name: str, check: Callable[[], PartState]) -> PartState:
    heard = _heard.get(name)
    if heard is not None and time.monotonic() - heard[0] < PART_CHECK_SECONDS:
        return heard[1]
    try:
        state = check()
    except Exception:  # a check's own bug must not hide the others
        log.exception("health check %s failed", name)
        state = PartState("failed")
    _heard[name] = (time.monotonic(), state)
    return state


def _parts() -> dict[str, PartState]:
    return {name: _ask(name, check) for name, check in _PARTS.items()}


def beat(
    worker_id: str,
    started_at: datetime,
    *,
    role: str = Role.WORKER,
    queues: str = task_queues.URGENT,
) -> None:
    """Record that this process is alive; ``queues`` are the task queues a worker serves
    (comma-separated, ``*`` for all; empty for a reminder sender)."""
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "role": role,
            "queues": queues[:200],
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


def forget_process(pid: int) -> None:
    """Remove the heartbeat of a process of this machine that has died (killed, it could not
    remove its own), so /healthz stops counting it at once."""
    WorkerHeartbeat.objects.filter(hostname=socket.gethostname()[:255], pid=pid).delete()


@dataclass(frozen=True)
class Beats:
    """The heartbeats of one role: ``ok`` (some alive), ``stale`` or ``never seen``."""

    status: str
    alive: int
    last_seen: datetime | None

    def as_dict(self) -> dict[str, object]:
        seen = self.last_seen
        return {
            "status": self.status,
            "alive": self.alive,
            "last_seen": seen.isoformat() if seen else None,
            "age_seconds": round((timezone.now() - seen).total_seconds(), 1) if seen else None,
        }


@dataclass(frozen=True)
class QueueState:
    """One task queue: tasks waiting and running, how long the oldest has waited, and how
    many live workers serve it."""

    waiting: int
    running: int
    oldest_wait_seconds: float | None
    workers: int

    @property
    def stuck(self) -> bool:
        return self.waiting > 0 and self.workers == 0

    def as_dict(self) -> dict[str, object]:
        return {
            "waiting": self.waiting,
            "running": self.running,
            "oldest_wait_seconds": self.oldest_wait_seconds,
            "workers": self.workers,
        }


@dataclass(frozen=True)
class Health:
    database: str
    worker: Beats
    sender: Beats
    queues: dict[str, QueueState] = field(default_factory=dict)
    serve: dict[str, Any] | None = None
    cache: str = "ok"
    parts: dict[str, PartState] = field(default_factory=dict)

    @property
    def status(self) -> str:
        failing = [p for p in self.parts.values() if p.state != "ok"]
        if self.database != "ok" or any(p.local for p in failing):
            return "error"
        if failing or self.cache != "ok" or self.worker.status != "ok":
            return "degraded"
        if self.sender.status == "stale":
            return "degraded"
        return "degraded" if any(q.stuck for q in self.queues.values()) else "ok"

    def as_dict(self) -> dict[str, object]:
        report: dict[str, object] = {
            "status": self.status,
            "database": self.database,
            "cache": self.cache,
            **{name: part.state for name, part in self.parts.items()},
            "worker": self.worker.as_dict(),
            "sender": self.sender.as_dict(),
            "queues": {name: q.as_dict() for name, q in self.queues.items()},
        }
        if self.serve is not None:
            report["serve"] = self.serve
        return report


UNKNOWN = Beats(status="unknown", alive=0, last_seen=None)


def _beats(role: str, cutoff: datetime) -> tuple[Beats, list[str]]:
    rows = list(WorkerHeartbeat.objects.filter(role=role).values_list("seen_at", "queues"))
    if not rows:
        return Beats("never seen", 0, None), []
    live = [q for seen, q in rows if seen >= cutoff]
    newest = max(seen for seen, _ in rows)
    return Beats("ok" if live else "stale", len(live), newest), live


def _queues(live_queues: list[str]) -> dict[str, QueueState]:
    now = timezone.now()
    ready = Q(status="READY") & (Q(run_after=get_date_max()) | Q(run_after__lte=now))
    rows = (
        DBTaskResult.objects.filter(ready | Q(status="RUNNING"))
        .values("queue_name")
        .annotate(
            waiting=Count("id", filter=ready),
            running=Count("id", filter=Q(status="RUNNING")),
            oldest=Min("enqueued_at", filter=ready),
        )
        .order_by()
    )
    found = {row["queue_name"]: row for row in rows}
    served = [set(q.split(",")) for q in live_queues]
    states = {}
    for name in dict.fromkeys([*task_queues.ALL, *found]):
        row = found.get(name, {})
        oldest = row.get("oldest")
        states[name] = QueueState(
            waiting=row.get("waiting", 0),
            running=row.get("running", 0),
            oldest_wait_seconds=round((now - oldest).total_seconds(), 1) if oldest else None,
            workers=sum(1 for s in served if name in s or "*" in s),
        )
    return states


def serve_state() -> dict[str, Any] | None:
    """What ``manage.py serve`` records about its children (restarts), when this process
    runs under it; None otherwise."""
    path = settings.SERVE_STATE_FILE
    if not path:
        return None
    try:
        state: dict[str, Any] = json.loads(Path(path).read_text())
        return state
    except (OSError, ValueError):
        return None


def cache_state() -> str:
    """One read from the shared cache: "ok", or "unavailable" (no table, server down)."""
    try:
        # In a savepoint: a failed query must not spoil an enclosing transaction.
        with transaction.atomic():
            cache.get("preceptor:healthz")
    except Exception:  # any backend's own error (database, Redis, memcached)
        return "unavailable"
    return "ok"


def health() -> Health:
    """Cheap enough for a load balancer to ask every few seconds: a handful of small
    queries (SELECT 1, the heartbeats, one aggregate over the waiting tasks, a cache read)
    and the registered parts' checks (the vault: one HEAD request or one tiny file)."""
    parts = _parts()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        cutoff = timezone.now() - timedelta(seconds=settings.WORKER_STALE_SECONDS)
        worker, live_queues = _beats(Role.WORKER, cutoff)
        sender, _ = _beats(Role.SENDER, cutoff)
        queues = _queues(live_queues)
    except DatabaseError:
        return Health(
            database="unavailable",
            worker=UNKNOWN,
            sender=UNKNOWN,
            serve=serve_state(),
            parts=parts,
        )
    return Health(
        database="ok",
        worker=worker,
        sender=sender,
        queues=queues,
        serve=serve_state(),
        cache=cache_state(),
        parts=parts,
    )
