"""Log records as one JSON object per line, for log collectors (journald, docker, Loki…).

Each line has ``time`` (UTC, ISO 8601), ``level``, ``logger`` and ``message``, plus
``exception`` with the traceback when there is one, and any ``extra={...}`` fields the
caller gave. Gunicorn's access log records carry their request as a dict of "atoms"; those
become ``method``, ``path``, ``status``, ``bytes``, ``duration_ms``, ``remote`` and
``forwarded_for`` fields instead of a line to parse.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

# Attributes every LogRecord has: anything else on a record came from ``extra``.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "taskName"}

# Gunicorn access-log atoms and the field each becomes.
_ACCESS = {
    "m": "method",
    "U": "path",
    "s": "status",
    "B": "bytes",
    "M": "duration_ms",
    "h": "remote",
    "{x-forwarded-for}i": "forwarded_for",
}


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            for atom, name in _ACCESS.items():
                value = record.args[atom]  # gunicorn's SafeAtoms: "-" when missing
                if value not in (None, "-"):
                    line[name] = int(value) if name in ("status", "duration_ms") else value
        for key, value in record.__dict__.items():
            if key not in _STANDARD and key not in line and not key.startswith("_"):
                line[key] = _plain(value)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)
