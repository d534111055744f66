"""The simulation task's former home.

``run_simulation`` is defined in :mod:`preceptor.smartpick.services`, beside the
``start_simulation`` that queues it, so the two modules no longer import each other. Runs
queued before the move name this path; the worker still finds the task here.
"""

from __future__ import annotations

from .services import run_simulation

__all__ = ["run_simulation"]
