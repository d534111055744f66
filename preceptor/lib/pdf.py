"""Checking uploaded PDFs by parsing them, not by trusting a file name or a content type.

The parse runs in a child process with a CPU, memory and wall-clock budget
(``preceptor.lib.pdfcheck``): a small file crafted to keep a parser busy for minutes costs
its sender a "too complex" error after a few seconds and costs everyone else nothing. Call
:func:`validate_pdf` before opening a database transaction, never inside one: the check can
take seconds, and on SQLite an open write transaction blocks every other writer.

The check also removes active content (JavaScript, launch actions, embedded files, XFA
forms, rich media): the stored file is ``PdfInfo.data``, and ``PdfInfo.removed`` says in
words what was taken out so the page can tell the person who uploaded it.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError

log = logging.getLogger(__name__)

MB = 1024 * 1024

# Budgets for one check; settings.PDF_CHECK_SECONDS / PDF_CHECK_MEMORY_MB override them.
CHECK_SECONDS = 10
CHECK_MEMORY_MB = 1024

# What each kind of removed content is called in a sentence.
REMOVED_WORDS = {
    "javascript": "JavaScript",
    "launch": "actions that open other programs or files",
    "embedded_files": "embedded files",
    "form_actions": "form actions that send or load data",
    "xfa": "XFA form code",
    "rich_media": "embedded media (video, sound or Flash)",
}


@dataclass(frozen=True)
class PdfInfo:
    size: int
    page_count: int
    # The bytes to store: the upload itself, or the upload without its active content.
    data: bytes = b""
    removed: tuple[str, ...] = field(default=())


def removed_sentence(kinds: Sequence[str], what: str = "the document") -> str:
    """ "We removed the JavaScript and embedded files from the document before storing it." """
    if not kinds:
        return ""
    return f"We removed the {removed_words(kinds)} from {what} before storing it."


def removed_words(kinds: Sequence[str]) -> str:
    """ "JavaScript and embedded files" """
    words = [REMOVED_WORDS.get(k, k) for k in kinds]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _megabytes(n: int) -> str:
    return f"{n / MB:g} MB"


def _budget() -> tuple[int, int]:
    seconds = int(getattr(settings, "PDF_CHECK_SECONDS", CHECK_SECONDS))
    memory = int(getattr(settings, "PDF_CHECK_MEMORY_MB", CHECK_MEMORY_MB))
    return max(1, seconds), memory * MB


def _too_complex(what: str) -> ValidationError:
    return ValidationError(
        f"{what} is too complex to check in the time we allow; nothing was stored. "
        "Save it again as a simpler PDF (for example with “Print to PDF”) and upload that.",
        code="too_complex",
    )


def _run_check(data: bytes, what: str) -> tuple[dict[str, Any], bytes]:
    """Run ``pdfcheck`` on ``data`` in a budgeted child; return its answer and any output."""
    seconds, memory = _budget()
    root = str(Path(__file__).resolve().parents[2])
    paths = [root, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    try:
        proc = subprocess.run(  # noqa: S603 - our own module; the file goes in on stdin
            [sys.executable, "-m", "preceptor.lib.pdfcheck", str(seconds), str(memory)],
            input=data,
            capture_output=True,
            # Wall clock: the CPU limit alone would let a child that waits run forever.
            timeout=seconds + 2,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as e:  # run() has killed the child already
        raise _too_complex(what) from e
    head, _, rest = proc.stdout.partition(b"\n")
    if proc.returncode != 0 or not head:
        # Killed by its CPU or memory limit (SIGXCPU, SIGKILL, MemoryError at start-up).
        # Logged: a child that cannot even start would otherwise look like a hostile file.
        log.warning(
            "PDF check stopped (exit %s): %s",
            proc.returncode,
            proc.stderr[-300:].decode(errors="replace"),
        )
        raise _too_complex(what)
    return json.loads(head), rest


def validate_pdf(data: bytes, *, max_bytes: int = 10 * MB, what: str = "The file") -> PdfInfo:
    """Return the PDF's size, page count and the bytes to store, or raise ``ValidationError``.

    The file must be at most ``max_bytes``, start like a PDF, parse completely within the
    budget, not be encrypted, and have at least one page. Active content is removed.
    """
    if not data:
        raise ValidationError(f"{what} is empty.", code="empty")
    if len(data) > max_bytes:
        raise ValidationError(
            f"{what} is {_megabytes(len(data))}; the limit is {_megabytes(max_bytes)}.",
            code="too_large",
        )
    if not data.lstrip(b"\r\n\t \x00")[:5].startswith(b"%PDF-"):
        raise ValidationError(f"{what} is not a PDF.", code="not_pdf")
    answer, rewritten = _run_check(data, what)
    error = answer.get("error")
    if error == "encrypted":
        raise ValidationError(
            f"{what} is password-protected or encrypted; upload an unprotected PDF.",
            code="encrypted",
        )
    if error == "no_pages":
        raise ValidationError(f"{what} has no pages.", code="no_pages")
    if error == "too_many_pages":
        from preceptor.lib.pdfcheck import MAX_PAGES

        raise ValidationError(
            f"{what} has {answer['pages']:,} pages; the limit is {MAX_PAGES:,}.",
            code="too_many_pages",
        )
    if error == "too_complex":
        raise _too_complex(what)
    if error:
        raise ValidationError(
            f"{what} could not be read as a PDF (it may be damaged or truncated).", code="corrupt"
        )
    stored = rewritten if answer.get("rewritten") else data
    removed = tuple(str(k) for k in answer.get("removed", []))
    return PdfInfo(size=len(stored), page_count=int(answer["pages"]), data=stored, removed=removed)
