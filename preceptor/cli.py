"""The ``preceptor`` command: ``preceptor match ...`` and the Django management commands.

``preceptor match solve DIR`` runs the pure Match engine (no database needed); any other
first word is passed to Django's ``manage.py`` (``preceptor migrate``, ``preceptor serve``).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "match":
        from preceptor.match.cli import main as match_main

        return int(match_main(args[1:]) or 0)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "preceptor.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["preceptor", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
