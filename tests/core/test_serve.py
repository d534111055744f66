"""``manage.py serve`` keeps its processes running: a child that is killed or exits with an
error is started again (with waits that grow in a crash loop), said in the log and on
/healthz; and its two workers keep email ahead of simulations. Real processes throughout."""

from __future__ import annotations

import os
import re
import signal
import socket
from pathlib import Path

import pytest

from tests.core.serving import all_up, health, mails_to, process, queue_email, shell, stop, wait_for
from tests.processes import manage
from tests.smtp import free_port

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("processes")]


def test_serve_restarts_a_killed_or_stopped_worker_and_says_so_in_the_log_and_healthz(
    tmp_path: Path,
) -> None:
    manage(tmp_path, "migrate", "--noinput")
    port = free_port()
    with process(tmp_path, "serve.log", "serve", f"127.0.0.1:{port}", "--no-reload") as (
        proc,
        log,
    ):
        report = wait_for(lambda: all_up(port), 90)
        assert report, log.read_text()
        assert report["serve"]["restarts"] == 0
        killed = report["serve"]["processes"]["worker"]["pid"]
        os.kill(killed, signal.SIGKILL)

        def restarted() -> dict | None:  # type: ignore[type-arg]
            serve = health(port)["serve"]
            worker = serve["processes"]["worker"]
            return serve if worker["running"] and worker["pid"] != killed else None

        serve = wait_for(restarted, 30)
        assert serve, log.read_text()
        assert serve["restarts"] == 1
        assert serve["last_restart"]["process"] == "worker"
        assert serve["last_restart"]["exit_code"] == -signal.SIGKILL
        assert serve["processes"]["worker"]["restarts"] == 1
        # The new worker does the work: an email queued now goes out.
        queue_email(tmp_path, "after-the-kill@example.org")
        assert wait_for(lambda: mails_to(tmp_path, "after-the-kill@example.org"), 60)
        # Everything else kept running all along.
        assert all(p["restarts"] == 0 for name, p in serve["processes"].items() if name != "worker")
        # A worker that stops by itself (here: told to by someone else) is started again too.
        os.kill(serve["processes"]["simulation worker"]["pid"], signal.SIGTERM)

        def sim_restarted() -> dict | None:  # type: ignore[type-arg]
            serve = health(port)["serve"]
            sim = serve["processes"]["simulation worker"]
            return serve if sim["restarts"] and sim["running"] else None

        serve = wait_for(sim_restarted, 30)
        assert serve, log.read_text()
        assert serve["restarts"] == 2
        assert serve["last_restart"]["process"] == "simulation worker"
        assert serve["last_restart"]["exit_code"] == 0
        assert stop(proc) == 0
    text = log.read_text()
    assert re.search(
        r"The worker was killed by SIGKILL; restarting it in 1\.\d s \(restart 1\)", text
    )
    assert "Restarted the worker" in text
    assert "The simulation worker exited with code 0; restarting it in" in text


def _bind(sock: socket.socket, port: int) -> bool:
    try:
        sock.bind(("127.0.0.1", port))
    except OSError:
        return False
    sock.listen()
    return True


def test_serve_restarts_a_web_server_that_exits_with_an_error_waiting_longer_each_time(
    tmp_path: Path,
) -> None:
    manage(tmp_path, "migrate", "--noinput")
    port = free_port()
    with process(tmp_path, "serve.log", "serve", f"127.0.0.1:{port}", "--no-reload") as (
        proc,
        log,
    ):
        report = wait_for(lambda: all_up(port), 90)
        assert report, log.read_text()
        os.kill(report["serve"]["processes"]["web server"]["pid"], signal.SIGKILL)
        # Another program takes the port: each new web server exits with an error.
        blocker = socket.socket()
        blocker.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            assert wait_for(lambda: _bind(blocker, port), 5, every=0.01)
            failures = "The web server exited with code 1"
            assert wait_for(lambda: log.read_text().count(failures) >= 2, 60), log.read_text()
            assert proc.poll() is None  # serve itself carries on
        finally:
            blocker.close()
        # The port is free again: the next start succeeds and /healthz tells the story.
        serve = wait_for(lambda: health(port)["serve"], 90)
        assert serve, log.read_text()
        assert serve["last_restart"]["process"] == "web server"
        assert serve["last_restart"]["exit_code"] == 1
        assert serve["processes"]["web server"]["restarts"] >= 3
        assert serve["restarts"] == serve["processes"]["web server"]["restarts"]
        assert stop(proc) == 0
    text = log.read_text()
    assert "That port is already in use" in text
    waits = [
        float(w)
        for w in re.findall(r"The web server exited with code 1; restarting it in ([\d.]+) s", text)
    ]
    # 1 s after the kill, then about 2 s, 4 s …: a crash loop does not spin.
    assert len(waits) >= 2 and waits[0] >= 1.9 and waits[1] >= 3.9, waits


QUEUE_SIMULATIONS = """
from preceptor.accounts import services as accounts
from preceptor.smartpick import panels, services
user = accounts.sign_up(email="busy@example.org", password="busy-user-password")
panels.seed_demo(user)
for _ in range({n}):
    services.start_simulation(user)
"""


SIMULATION_TASKS = """
from django_tasks_db.models import DBTaskResult
rows = DBTaskResult.objects.filter(task_path__endswith="run_simulation")
print(sorted(rows.values_list("status", flat=True)))
"""


def test_an_email_queued_after_many_simulations_goes_out_before_them(tmp_path: Path) -> None:
    manage(tmp_path, "migrate", "--noinput")
    # As many as one user could queue before there was a limit (each takes a second or two).
    shell(tmp_path, QUEUE_SIMULATIONS.format(n=12), SIMULATIONS_PER_OWNER="100")
    queue_email(tmp_path, "waiting@example.org")
    port = free_port()
    with process(tmp_path, "serve.log", "serve", f"127.0.0.1:{port}", "--no-reload") as (
        proc,
        log,
    ):
        assert wait_for(lambda: mails_to(tmp_path, "waiting@example.org"), 90), log.read_text()
        statuses = shell(tmp_path, SIMULATION_TASKS)
        stop(proc)
    # The email did not wait its turn behind the simulations queued before it.
    assert statuses.count("READY") >= 8, statuses


QUEUE_BOTH = """
from preceptor.smartpick.tasks import run_simulation  # the old path still works
for i in range(3):
    run_simulation.enqueue(run_id=f"run-{i}")
"""


def test_one_worker_of_every_queue_runs_the_email_before_earlier_simulations(
    tmp_path: Path,
) -> None:
    manage(tmp_path, "migrate", "--noinput")
    shell(tmp_path, QUEUE_BOTH)
    queue_email(tmp_path, "first@example.org")
    manage(
        tmp_path,
        "worker",
        "--batch",
        "--no-startup-delay",
        "--no-reload",
        "--queue-name",
        "*",
        "--max-tasks",
        "1",
    )
    assert mails_to(tmp_path, "first@example.org")
    assert shell(tmp_path, SIMULATION_TASKS) == "['READY', 'READY', 'READY']"
