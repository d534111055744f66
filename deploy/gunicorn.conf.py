"""Gunicorn settings for Preceptor's web processes (``gunicorn preceptor.wsgi -c THIS``).

Read by every web process however it is supervised (deploy/supervisord.conf,
deploy/systemd/preceptor-web@.service, deploy/compose.yaml). ``--bind`` on the command line
overrides ``GUNICORN_BIND``; ``WEB_CONCURRENCY`` is the number of worker processes of
this one gunicorn (docs/deploy.md says how to choose it).

Every variable is read as the settings read theirs (``preceptor/lib/env.py``), so each may
also be given as ``NAME_FILE`` and a value that is not a number stops gunicorn with the
variable's name. Gunicorn loads this file before Django: the helper needs no settings.
"""

import sys
from pathlib import Path

# This checkout's package, whatever the working directory (gunicorn puts that first, and
# in every deploy file it is this checkout).
_HOME = str(Path(__file__).resolve().parent.parent)
if _HOME not in sys.path:
    sys.path.insert(0, _HOME)

from preceptor.lib.env import env, env_int  # noqa: E402 - needs the path above

bind = env("GUNICORN_BIND") or "127.0.0.1:8000"
workers = env_int("WEB_CONCURRENCY", 2)
# Plain synchronous workers: each request holds one process; PDF checks run in a child
# process with their own time limit (PDF_CHECK_SECONDS), well inside this timeout.
worker_class = "sync"
timeout = env_int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 20
# Start fresh workers now and then, so that a slow leak never grows.
max_requests = 2000
max_requests_jitter = 200
# The proxy in front (nginx on this machine) may set X-Forwarded-*; Django reads them
# through SECURE_PROXY_SSL_HEADER and PROXY_COUNT.
forwarded_allow_ips = env("FORWARDED_ALLOW_IPS") or "127.0.0.1"

# Logs: access and errors on standard output, one JSON object per line like the app's
# (preceptor/lib/logformat.py), unless LOG_FORMAT=text.
_format = "json" if (env("LOG_FORMAT") or "json").lower() == "json" else "text"
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms'
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "preceptor.lib.logformat.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": _format,
        }
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["stdout"], "level": "WARNING"},
}
