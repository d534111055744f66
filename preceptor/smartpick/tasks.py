"""Background work: the Match simulation of one applicant's list."""

from __future__ import annotations

from django_tasks import task


@task()
def run_simulation(*, run_id: str) -> None:
    """Simulate the list recorded on the run; progress and outcome go on the run row."""
    from .services import execute_run

    execute_run(run_id)
