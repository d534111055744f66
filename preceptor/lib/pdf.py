"""Checking uploaded PDFs by parsing them, not by trusting a file name or a content type."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

MB = 1024 * 1024


@dataclass(frozen=True)
class PdfInfo:
    size: int
    page_count: int


def _megabytes(n: int) -> str:
    return f"{n / MB:g} MB"


def validate_pdf(data: bytes, *, max_bytes: int = 10 * MB, what: str = "The file") -> PdfInfo:
    """Return the PDF's size and page count, or raise ``ValidationError`` saying what is wrong.

    The file must be at most ``max_bytes``, start like a PDF, parse completely, not be
    encrypted, and have at least one page.
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
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                f"{what} is password-protected or encrypted; upload an unprotected PDF.",
                code="encrypted",
            )
        pages = len(reader.pages)
        for page in reader.pages:
            page.extract_text()  # forces every page's content stream to be read
    except ValidationError:
        raise
    except (
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        OSError,
        IndexError,
        RecursionError,
        AssertionError,
        ZeroDivisionError,
    ) as e:
        raise ValidationError(
            f"{what} could not be read as a PDF (it may be damaged or truncated).", code="corrupt"
        ) from e
    if pages < 1:
        raise ValidationError(f"{what} has no pages.", code="no_pages")
    return PdfInfo(size=len(data), page_count=pages)
