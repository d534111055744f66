"""deploy/gunicorn.conf.py, loaded by gunicorn's own loader in a fresh process as gunicorn
loads it: before Django, from any working directory, through the project's env helper."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

CONF = Path(settings.BASE_DIR) / "deploy" / "gunicorn.conf.py"

# What gunicorn's command line does up to starting the arbiter: parse, load this file.
LOAD = """
import json, sys
from gunicorn.app.wsgiapp import WSGIApplication
sys.argv = ["gunicorn", "preceptor.wsgi", "-c", sys.argv[1]]
app = WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]")
from django.conf import settings
cfg = app.cfg
print(json.dumps({
    "bind": cfg.bind, "workers": cfg.workers, "timeout": cfg.timeout,
    "forwarded_allow_ips": cfg.forwarded_allow_ips,
    "log_format": cfg.logconfig_dict["handlers"]["stdout"]["formatter"],
    "django_configured": settings.configured,
    "env_helper": sys.modules["preceptor.lib.env"].__file__,
}))
"""

NAMES = (
    "GUNICORN_BIND",
    "WEB_CONCURRENCY",
    "GUNICORN_TIMEOUT",
    "FORWARDED_ALLOW_IPS",
    "LOG_FORMAT",
)


def load(tmp_path: Path, **environ: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k != "DJANGO_SETTINGS_MODULE" and k not in NAMES and not k.startswith(NAMES)
    }
    return subprocess.run(
        [sys.executable, "-c", LOAD, str(CONF)],
        cwd=tmp_path,  # not the checkout: the conf finds its own package
        env={**clean, **environ},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_has_defaults_and_needs_no_django_settings(tmp_path: Path) -> None:
    done = load(tmp_path)
    assert done.returncode == 0, done.stderr
    config = json.loads(done.stdout)
    assert config["bind"] == ["127.0.0.1:8000"]
    assert (config["workers"], config["timeout"]) == (2, 60)
    assert config["forwarded_allow_ips"] == ["127.0.0.1"]
    assert config["log_format"] == "json"
    assert config["django_configured"] is False
    # This checkout's helper, not another copy of the package on the path.
    assert Path(config["env_helper"]) == Path(settings.BASE_DIR) / "preceptor" / "lib" / "env.py"


def test_it_reads_the_environment_and_files_as_the_settings_do(tmp_path: Path) -> None:
    (tmp_path / "workers").write_text("5\n")
    done = load(
        tmp_path,
        GUNICORN_BIND="127.0.0.1:8621",
        WEB_CONCURRENCY_FILE=str(tmp_path / "workers"),
        GUNICORN_TIMEOUT="33",
        FORWARDED_ALLOW_IPS="10.0.0.1",
        LOG_FORMAT="text",
    )
    assert done.returncode == 0, done.stderr
    config = json.loads(done.stdout)
    assert config["bind"] == ["127.0.0.1:8621"]
    assert (config["workers"], config["timeout"]) == (5, 33)
    assert config["forwarded_allow_ips"] == ["10.0.0.1"]
    assert config["log_format"] == "text"


def test_a_value_that_is_not_a_number_stops_it_with_the_variables_name(tmp_path: Path) -> None:
    # (Not WEB_CONCURRENCY: gunicorn itself reads that one first, with a bare int().)
    done = load(tmp_path, GUNICORN_TIMEOUT="soon")
    assert done.returncode != 0
    assert "GUNICORN_TIMEOUT='soon' is not a whole number" in done.stderr
