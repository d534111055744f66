"""Gunicorn settings for Preceptor's web processes (``gunicorn preceptor.wsgi -c THIS``).

Read by every web process however it is supervised (deploy/supervisord.conf,
deploy/systemd/preceptor-web@.service, deploy/compose.yaml). ``--bind`` on the command line
overrides ``GUNICORN_BIND``; ``WEB_CONCURRENCY`` is the number of worker processes of
this one gunicorn (docs/deploy.md says how to choose it).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Plain synchronous workers: each request holds one process; PDF checks run in a child
# process with their own time limit (PDF_CHECK_SECONDS), well inside this timeout.
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 20
# Start fresh workers now and then, so that a slow leak never grows.
max_requests = 2000
max_requests_jitter = 200
# The proxy in front (nginx on this machine) may set X-Forwarded-*; Django reads them
# through SECURE_PROXY_SSL_HEADER and PROXY_COUNT.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Logs: access and errors on standard output, one JSON object per line like the app's
# (preceptor/lib/logformat.py), unless LOG_FORMAT=text.
_format = "json" if os.environ.get("LOG_FORMAT", "json").lower() == "json" else "text"
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
