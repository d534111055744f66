import contextlib
import io
import time
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter
from pypdf.generic import StreamObject

from preceptor.lib import pdfcheck
from preceptor.lib.pdf import MB, removed_sentence, validate_pdf
from tests.lib.pdfs import pdf_with_javascript, shared_stream_bomb


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
def test_random_or_truncated_bytes_get_an_answer_not_an_exception(junk: bytes, cut: int) -> None:
    # The child's parser, in-process: every input gets an answer (an error code or pages).
    for data in (junk, b"%PDF-1.4\n" + junk, make_pdf(2)[:cut]):
        answer, _ = pdfcheck.inspect(data)
        assert "error" in answer or answer["pages"] >= 1


@pytest.mark.parametrize("cut", [0, 9, 100, 300])
def test_truncated_files_raise_only_validation_error(cut: int) -> None:
    with contextlib.suppress(ValidationError):
        validate_pdf(make_pdf(2)[:cut])


def test_it_refuses_a_file_that_inflates_to_more_than_it_can_check(settings: Any) -> None:
    # 300 pages sharing one 70 MB stream of path operators: about 60 s of CPU for a parse
    # in the web process; here refused by the content limit without parsing it.
    settings.PDF_CHECK_SECONDS = 3
    started = time.monotonic()
    with pytest.raises(ValidationError) as exc:
        validate_pdf(shared_stream_bomb(), what="Your CV")
    assert exc.value.code == "too_complex"
    assert "Your CV is too complex to check" in exc.value.messages[0]
    assert time.monotonic() - started < 3 + 5


def test_it_stops_a_check_that_runs_past_its_budget(settings: Any) -> None:
    # 2 MB of text operators is under the content limit, so reading it starts (it would
    # take about 12 s); the CPU and wall-clock budget end it.
    settings.PDF_CHECK_SECONDS = 1
    started = time.monotonic()
    with pytest.raises(ValidationError) as exc:
        validate_pdf(shared_stream_bomb(pages=50, content_mb=2, text=True))
    assert exc.value.code == "too_complex"
    assert time.monotonic() - started < 1 + 5


def everything_in(data: bytes) -> str:
    """Every object of the file, decoded, as text: what a lenient reader could find."""
    reader = PdfReader(io.BytesIO(data))
    parts = []
    for num in range(1, 64):
        with contextlib.suppress(Exception):
            obj = reader.get_object(num)
            parts.append(repr(obj))
            if isinstance(obj, StreamObject):
                parts.append(repr(obj.get_data()))
    return " ".join(parts)


def test_it_strips_javascript_and_embedded_files() -> None:
    original = pdf_with_javascript("app.alert('pwned')")
    assert "app.alert" in everything_in(original)
    assert "not for the reader" in everything_in(original)
    info = validate_pdf(original)
    assert info.removed == ("embedded_files", "javascript")
    assert info.page_count == 1
    left = everything_in(info.data)
    assert "app.alert" not in left
    assert "/OpenAction" not in left
    assert "not for the reader" not in left
    assert info.size == len(info.data)
    assert removed_sentence(info.removed, "your CV") == (
        "We removed the embedded files and JavaScript from your CV before storing it."
    )


def test_a_file_without_active_content_is_stored_unchanged() -> None:
    data = make_pdf(2)
    info = validate_pdf(data)
    assert info.data == data
    assert info.removed == ()


def _one_page_with(**extra: Any) -> bytes:
    """A one-page PDF with a link annotation whose action is ``extra["link"]``, page
    additional actions ``extra["page_aa"]`` and an XFA form when ``extra["xfa"]``."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=612, height=792)
    if "link" in extra:
        annot = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): ArrayObject([]),
                NameObject("/A"): extra["link"],
            }
        )
        page[NameObject("/Annots")] = ArrayObject([writer._add_object(annot)])
    if "page_aa" in extra:
        page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): extra["page_aa"]})
    if extra.get("xfa"):
        writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
            {NameObject("/Fields"): ArrayObject([]), NameObject("/XFA"): TextStringObject("<x/>")}
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _action(kind: str, **keys: str) -> Any:
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    return DictionaryObject(
        {
            NameObject("/S"): NameObject(kind),
            **{NameObject(f"/{k}"): TextStringObject(v) for k, v in keys.items()},
        }
    )


@pytest.mark.parametrize(
    ("extra", "removed", "gone"),
    [
        ({"link": _action("/Launch", F="calc.exe")}, ("launch",), "calc.exe"),
        ({"page_aa": _action("/JavaScript", JS="this.print()")}, ("javascript",), "this.print"),
        ({"link": _action("/SubmitForm", F="https://evil.example/")}, ("form_actions",), "evil"),
        ({"xfa": True}, ("xfa",), "/XFA"),
    ],
)
def test_it_strips_each_kind_of_active_content(
    extra: dict[str, Any], removed: tuple[str, ...], gone: str
) -> None:
    data = _one_page_with(**extra)
    assert gone in everything_in(data)
    info = validate_pdf(data)
    assert info.removed == removed
    assert gone not in everything_in(info.data)


def test_an_ordinary_web_link_is_kept() -> None:
    data = _one_page_with(link=_action("/URI", URI="https://www.aamc.org/"))
    info = validate_pdf(data)
    assert info.removed == () and info.data == data
