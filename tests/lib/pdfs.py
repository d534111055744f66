"""Hostile PDFs built byte by byte, for the tests of the upload checks."""

from __future__ import annotations

import io
import zlib

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject


def _assemble(objs: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for o in offsets:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def shared_stream_bomb(pages: int = 300, content_mb: int = 70, *, text: bool = False) -> bytes:
    """Many pages sharing one small compressed content stream that inflates to
    ``content_mb`` MB of path operators (or, with ``text``, of text in a standard font):
    cheap to send, minutes to read naively."""
    unit = (
        b"BT /F1 9 Tf 72 700 Td (All work and no play) Tj ET\n"
        if text
        else b"10 10 m 20 20 l h S\n"
    )
    stream = zlib.compress(unit * (content_mb * 1024 * 1024 // len(unit)), 9)
    kids = " ".join(f"{5 + i} 0 R" for i in range(pages))
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R "
        b"/Resources << /Font << /F1 4 0 R >> >> >>"
    )
    objs += [page] * pages
    return _assemble(objs)


def pdf_with_javascript(script: str = "app.alert('hello from the PDF');") -> bytes:
    """A one-page PDF that runs ``script`` when opened (OpenAction) and holds it in the
    document-level JavaScript name tree too, plus an embedded file."""
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    action = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Action"),
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject(script),
            }
        )
    )
    writer._root_object[NameObject("/OpenAction")] = action
    writer.add_attachment("payload.txt", b"not for the reader")
    names = writer._root_object["/Names"].get_object()
    names[NameObject("/JavaScript")] = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("greeting"), action])}
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
