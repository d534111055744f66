"""What checking an uploaded PDF costs, honest and hostile; prints each figure.

Usage: python bench/pdf_check_bench.py [--quick]

- an ordinary 3-page letter: the whole check (child process start included);
- the crafted file of issue 19: 300 pages sharing one compressed stream that inflates to
  70 MB of path operators (about 0.2 MB on the wire), refused by the content cap;
- 300 pages sharing 2 MB of text operators (under the cap): the budget stops it;
- with ``--old``, the same files through the check as it was before (in-process, every
  page's stream read again): minutes for the first, so not part of ``--quick``.
Target: no file keeps the check longer than its budget (PDF_CHECK_SECONDS, default 10 s,
plus 2 s of wall clock).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "preceptor.settings")

import django  # noqa: E402

django.setup()

from django.core.exceptions import ValidationError  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from preceptor.lib.pdf import validate_pdf  # noqa: E402
from tests.lib.pdfs import shared_stream_bomb  # noqa: E402


def letter(pages: int = 3) -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out)
    for n in range(pages):
        for line in range(40):
            c.drawString(72, 740 - line * 16, f"Page {n + 1}, line {line + 1}: I recommend her.")
        c.showPage()
    c.save()
    return out.getvalue()


def old_check(data: bytes) -> None:
    """The check before issue 19: in-process, every page's text extracted."""
    reader = PdfReader(io.BytesIO(data), strict=False)
    for page in reader.pages:
        page.extract_text()


def timed(label: str, data: bytes, check: object = validate_pdf) -> None:
    started = time.perf_counter()
    try:
        check(data)  # type: ignore[operator]
        outcome = "accepted"
    except ValidationError as e:
        outcome = f"refused ({e.code})"
    seconds = time.perf_counter() - started
    print(f"{label:<58} {len(data) / 1024:8.0f} KB {seconds:7.2f} s  {outcome}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the default run (it is short)")
    parser.add_argument("--old", action="store_true", help="also time the old in-process check")
    args = parser.parse_args()
    files = [
        ("ordinary 3-page letter", letter()),
        ("300 pages sharing 70 MB of path operators", shared_stream_bomb(300, 70)),
        ("300 pages sharing 2 MB of text operators", shared_stream_bomb(300, 2, text=True)),
    ]
    for label, data in files:
        timed(label, data)
    if args.old:
        for label, data in files[:2]:
            timed(f"old check: {label}", data, old_check)


if __name__ == "__main__":
    main()
