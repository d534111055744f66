"""Packets: uploads checked, the merged PDF and the ZIP opened and read back."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from preceptor.letters import packets, services
from preceptor.letters.models import DocumentVersion
from tests.letters.factories import encrypted_pdf, make_request, pdf_bytes

pytestmark = pytest.mark.django_db


def _text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def request_with_docs(alice):  # type: ignore[no-untyped-def]
    r = make_request(
        alice, "agreed", strengths=["Clinical reasoning", "Teaching", "Grit", "Kindness"]
    )
    services.update_request(r, summary="Inpatient medicine clerkship, March to April 2026.")
    services.upload_document(r.application, "cv", pdf_bytes(2, "CVTEXT"), filename="cv.pdf")
    services.upload_document(r.application, "statement", pdf_bytes(1, "PSTEXT"))
    return r


def test_merged_pdf_has_cover_sheets_and_uploads(request_with_docs) -> None:  # type: ignore[no-untyped-def]
    data = packets.build_packet_pdf(request_with_docs)
    reader = PdfReader(io.BytesIO(data))
    assert not reader.is_encrypted
    text = _text(data)
    assert "Letter packet for Dr. Patel" in text
    assert "Alice Owner" in text
    for expected in (
        "Brag sheet",
        "Clinical reasoning",
        "Summary of our work together",
        "Inpatient medicine clerkship",
        "Owner Program One",
        "CVTEXT page 2",
        "PSTEXT page 1",
    ):
        assert expected in text, expected
    # Cover + brag sheet pages, then 2 CV pages and 1 statement page, in that order.
    assert len(reader.pages) >= 5
    assert "CVTEXT page 1" in reader.pages[-3].extract_text()
    assert "PSTEXT" in reader.pages[-1].extract_text()


def test_zip_names_files_lastname_firstname(request_with_docs) -> None:  # type: ignore[no-untyped-def]
    data = packets.build_packet_zip(request_with_docs)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = sorted(z.namelist())
        assert names == [
            "Owner_Alice_CV.pdf",
            "Owner_Alice_LetterPacket_Summary.pdf",
            "Owner_Alice_PersonalStatement_Draft.pdf",
        ]
        assert "CVTEXT" in _text(z.read("Owner_Alice_CV.pdf"))


def test_packet_without_uploads_still_builds(alice) -> None:  # type: ignore[no-untyped-def]
    r = make_request(alice, "planned")
    text = _text(packets.build_packet_pdf(r))
    assert "No strengths chosen yet" in text


def test_a_page_renders_to_png(request_with_docs, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed")
    pdf = tmp_path / "packet.pdf"
    pdf.write_bytes(packets.build_packet_pdf(request_with_docs))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "2", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    pngs = sorted(tmp_path.glob("page*.png"))
    assert len(pngs) == 2 and all(p.stat().st_size > 1000 for p in pngs)
    out = Path("var/test-artifacts")
    out.mkdir(parents=True, exist_ok=True)
    for p in pngs:
        shutil.copy(p, out / f"letters-packet-{p.name}")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"hello, not a pdf", "is not a PDF"),
        (b"", "is empty"),
        (None, "password-protected"),
        (b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), "the limit is 10 MB"),
        (b"%PDF-1.4\n1 0 obj<<>>endobj\n", "could not be read"),
    ],
)
def test_bad_uploads_are_refused_and_change_nothing(alice, data, message) -> None:  # type: ignore[no-untyped-def]
    r = make_request(alice)
    services.upload_document(r.application, "cv", pdf_bytes(1, "ORIGINAL"))
    with pytest.raises(ValidationError, match=message):
        services.upload_document(r.application, "cv", encrypted_pdf() if data is None else data)
    doc = DocumentVersion.objects.get(document__uses__application=r.application)
    assert "ORIGINAL" in _text(bytes(doc.data))


def test_file_stem() -> None:
    assert packets.file_stem("Jordan Rivera") == "Rivera_Jordan"
    assert packets.file_stem("  Zoë  O'Brien ") == "Brien_Zoe_O"


def test_brag_sheet_leaves_out_private_achievements_unless_chosen(alice) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from preceptor.mentors.models import Achievement

    r = make_request(alice, "agreed")
    shared = Achievement.objects.create(
        user=alice, title="Poster at the state meeting", achieved_on=dt.date(2026, 10, 1)
    )
    private = Achievement.objects.create(
        user=alice, title="Step 2 CK 262", achieved_on=dt.date(2026, 11, 1), share_in_updates=False
    )
    text = _text(packets.build_packet_pdf(r))
    assert shared.title in text and private.title not in text
    services.update_request(r, achievement_ids=[private.pk])
    text = _text(packets.build_packet_pdf(r))
    assert private.title in text and shared.title not in text


def test_the_writers_request_form_goes_first_in_their_packet(alice, alice_client) -> None:  # type: ignore[no-untyped-def]
    import io

    from django.urls import reverse
    from pypdf import PdfReader

    from preceptor.letters import packets
    from tests.letters.factories import make_request, pdf_bytes

    r = make_request(alice, "form_sent")
    before = len(PdfReader(io.BytesIO(packets.build_packet_pdf(r))).pages)
    url = reverse("letters:request_form_upload", args=[r.public_id])
    form = io.BytesIO(pdf_bytes(pages=1))
    form.name = "ERAS_Letter_Request_Form.pdf"
    response = alice_client.post(url, {"file": form})
    assert response.status_code == 302
    r.refresh_from_db()
    assert r.request_form_pages == 1 and r.request_form_name == "ERAS_Letter_Request_Form.pdf"
    after = len(PdfReader(io.BytesIO(packets.build_packet_pdf(r))).pages)
    assert after == before + 1
    names = zipfile.ZipFile(io.BytesIO(packets.build_packet_zip(r))).namelist()
    assert any(n.endswith("_LetterRequestForm.pdf") for n in names)
    # Not a PDF: a clear error, nothing replaced.
    bad = io.BytesIO(b"not a pdf at all")
    bad.name = "form.pdf"
    response = alice_client.post(url, {"file": bad})
    assert response.status_code == 400
    r.refresh_from_db()
    assert r.request_form_pages == 1
    alice_client.post(reverse("letters:request_form_delete", args=[r.public_id]))
    r.refresh_from_db()
    assert r.request_form is None
    assert len(PdfReader(io.BytesIO(packets.build_packet_pdf(r))).pages) == before
