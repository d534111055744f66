"""``python -m preceptor.match solve DIR`` / ``simulate DIR --draws N --seed S``."""

from __future__ import annotations

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
