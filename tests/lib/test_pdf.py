import contextlib
import io

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfWriter

from preceptor.lib.pdf import MB, validate_pdf


def make_pdf(pages: int = 2, password: str | None = None) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_valid_pdf_reports_its_pages() -> None:
    info = validate_pdf(make_pdf(3))
    assert info.page_count == 3


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"hello, not a pdf", "not_pdf"),
        (make_pdf(1, password="secret"), "encrypted"),
        (make_pdf(4)[:200], "corrupt"),
        (b"%PDF-1.7\n" + b"\0" * 100, "corrupt"),
    ],
)
def test_bad_files_get_a_clear_error(data: bytes, code: str) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_pdf(data, what="Your CV")
    assert exc.value.code == code
    assert exc.value.messages[0].startswith("Your CV")


def test_size_limit() -> None:
    with pytest.raises(ValidationError, match="the limit is 1 MB"):
        validate_pdf(make_pdf(1) + b"%" * MB, max_bytes=MB)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000), st.integers(min_value=0, max_value=2000))
def test_random_or_truncated_bytes_raise_only_validation_error(junk: bytes, cut: int) -> None:
    for data in (junk, b"%PDF-1.4\n" + junk, make_pdf(2)[:cut]):
        with contextlib.suppress(ValidationError):
            validate_pdf(data)
