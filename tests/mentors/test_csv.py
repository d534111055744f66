"""CSV import (mapping, dry-run preview, all or nothing, limits) and export (escaped)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from preceptor.accounts.models import User
from preceptor.mentors import csvio, services
from preceptor.mentors.models import Mentor

TODAY = dt.date(2026, 3, 2)
GOOD = (
    "Mentor Name,E-mail,Hospital,Specialty,Role,Degree,Since,Tags\n"
    "Ana Ortiz,ana@example.edu,State Hospital,Internal Medicine,Attending physician,MD,"
    '2025-01-15,"clinical, im"\n'
    "Marcus Chen,marcus@example.edu,State Hospital,Cardiology,pi,MD,03/01/2024,research\n"
)


def parse(text: str) -> csvio.Parsed:
    return csvio.read(text.encode())


def test_read_rejects_what_it_cannot_read() -> None:
    # Bytes that are neither UTF-8 nor Windows-1252 (0x81 is undefined in both here).
    with pytest.raises(csvio.CsvError, match=r"not UTF-8 text .*position 6"):
        csvio.read(b"Name\nJ\x81\xc3\n")
    with pytest.raises(csvio.CsvError, match="UTF-16"):
        csvio.read(b"\xff\xfeN\x00a\x00\x00\xd8")  # a lone surrogate
    with pytest.raises(csvio.CsvError, match="empty"):
        csvio.read(b"  \n")
    with pytest.raises(csvio.CsvError, match="no rows"):
        csvio.read(b"Name,Email\n")
    with pytest.raises(csvio.CsvError, match="NUL"):
        csvio.read(b"Name\nA\x00B\n")
    with pytest.raises(csvio.CsvError, match="MB"):
        csvio.read(b"Name\n" + b"x" * (csvio.MAX_BYTES + 1))
    with pytest.raises(csvio.CsvError, match="not valid CSV"):
        csvio.read(b'Name,Email\n"unterminated,quote\nx,y\n')


def test_ten_thousand_rows_is_the_limit() -> None:
    ok = "Name\n" + "".join(f"Person {i}\n" for i in range(csvio.MAX_ROWS))
    assert len(csvio.read(ok.encode()).rows) == csvio.MAX_ROWS
    with pytest.raises(csvio.CsvError, match="more than 10,000 rows"):
        csvio.read((ok + "One more\n").encode())


def test_a_byte_order_mark_and_semicolons_are_fine() -> None:
    p = csvio.read("\ufeffName;Email\nAna;a@x.org\n".encode())
    assert p.headers == ["Name", "Email"] and p.rows == [["Ana", "a@x.org"]]


def test_guess_mapping_uses_aliases() -> None:
    m = csvio.guess_mapping(parse(GOOD).headers)
    assert (m["full_name"], m["email"], m["institution"], m["met_on"], m["tags"]) == (0, 1, 2, 6, 7)
    assert m["notes"] is None


def test_import_is_all_or_nothing(alice: User) -> None:
    services.create_mentor(alice, today=TODAY, full_name="Existing Person")
    text = GOOD + (
        "Existing Person,,,,,,,\n"
        "Ana  Ortiz,,,,,,,\n"
        "Future Person,,,,,,2030-01-01,\n"
        "Bad Role,,,,wizard,,,\n"
        "Bad Email,not-an-email,,,,,,\n"
        ",,,,,,,\n"  # blank line: skipped
        ",x@example.org,,,,,,\n"
    )
    p = parse(text)
    result = services.import_mentors(alice, p, csvio.guess_mapping(p.headers), today=TODAY)
    assert result.created == 0
    errors = {r.line: " ".join(r.errors) for r in result.errors}
    assert "already in your network" in errors[4]
    assert "Same name as line 2" in errors[5]
    assert "future" in errors[6]
    assert "wizard" in errors[7] and "Attending physician" in errors[7]
    assert "not an email" in errors[8]
    assert "name is empty" in errors[9]
    assert Mentor.objects.filter(user=alice).count() == 1


def test_a_clean_file_imports_every_row(alice: User) -> None:
    p = parse(GOOD)
    result = services.import_mentors(alice, p, csvio.guess_mapping(p.headers), today=TODAY)
    assert result.created == 2 and not result.errors
    ana = Mentor.objects.get(user=alice, full_name="Ana Ortiz")
    assert (ana.role, ana.degree, ana.met_on) == ("attending", "MD", dt.date(2025, 1, 15))
    assert sorted(t.name for t in ana.tags.all()) == ["clinical", "im"]
    chen = Mentor.objects.get(user=alice, full_name="Marcus Chen")
    assert chen.role == "pi" and chen.met_on == dt.date(2024, 3, 1)


def test_the_name_column_is_required(alice: User) -> None:
    p = parse(GOOD)
    with pytest.raises(csvio.CsvError, match="Name"):
        services.check_import(alice, p, {**csvio.guess_mapping(p.headers), "full_name": None})


def test_export_escapes_formulas(alice: User) -> None:
    services.create_mentor(
        alice,
        today=TODAY,
        full_name='=HYPERLINK("http://evil")',
        institution="+1 Hospital",
        notes="@SUM(A1)",
        tags="-x",
    )
    text = services.export_csv(alice)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "Name"
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Name"].startswith("'=") and row["Institution"] == "'+1 Hospital"
    assert row["Notes"] == "'@SUM(A1)" and row["Tags"] == "'-x"


def test_export_then_import_round_trips(alice: User, bob: User) -> None:
    services.create_mentor(
        alice,
        today=TODAY,
        full_name="Ana Ortiz",
        degree="MD",
        role="pi",
        met_on=dt.date(2024, 5, 1),
        tags="a, b",
    )
    p = csvio.read(services.export_csv(alice).encode())
    result = services.import_mentors(bob, p, csvio.guess_mapping(p.headers), today=TODAY)
    assert result.created == 1
    m = Mentor.objects.get(user=bob)
    assert (m.full_name, m.degree, m.role, m.met_on) == (
        "Ana Ortiz",
        "MD",
        "pi",
        dt.date(2024, 5, 1),
    )


def _upload(client: Client, text: bytes, name: str = "m.csv") -> Any:
    return client.post(
        reverse("mentors:import"),
        {"step": "upload", "file": SimpleUploadedFile(name, text, "text/csv")},
    )


def test_the_import_pages_preview_then_import(alice: User, alice_client: Client) -> None:
    r = _upload(alice_client, GOOD.encode())
    assert r.status_code == 200
    body = r.content.decode()
    assert "Nothing has been saved yet" in body and "Marcus Chen" in body
    assert not Mentor.objects.exists()
    mapping = {
        f"map_{k}": "" if v is None else v
        for k, v in csvio.guess_mapping(parse(GOOD).headers).items()
    }
    r = alice_client.post(reverse("mentors:import"), {"step": "import", **mapping})
    assert r.status_code == 302
    assert Mentor.objects.filter(user=alice).count() == 2


def test_the_import_page_shows_row_errors_and_saves_nothing(alice_client: Client) -> None:
    r = _upload(alice_client, (GOOD + "Ana Ortiz,,,,,,,\n").encode())
    assert "1 row to fix" in r.content.decode()
    mapping = {
        f"map_{k}": "" if v is None else v
        for k, v in csvio.guess_mapping(parse(GOOD).headers).items()
    }
    r = alice_client.post(reverse("mentors:import"), {"step": "import", **mapping})
    assert r.status_code == 400
    assert "Same name as line 2" in r.content.decode()
    assert not Mentor.objects.exists()


def test_the_import_page_explains_a_wrong_encoding(alice_client: Client) -> None:
    r = _upload(alice_client, b"Name\nJ\x81\xc3\n")
    assert r.status_code == 400
    assert "CSV UTF-8" in r.content.decode()


def test_a_windows_csv_is_previewed_with_a_notice_and_imported(
    alice: User, alice_client: Client
) -> None:
    r = _upload(alice_client, "Name,Email\r\nJosé Núñez,jn@example.org\r\n".encode("cp1252"))
    page = r.content.decode()
    assert r.status_code == 200
    assert 'data-testid="csv-encoding"' in page and "Windows-1252" in page
    assert "José Núñez" in page
    # The encoding stays with the upload through the next steps.
    r = alice_client.post(reverse("mentors:import"), {"step": "preview", "map_full_name": "0"})
    assert "Windows-1252" in r.content.decode()
    r = alice_client.post(
        reverse("mentors:import"), {"step": "import", "map_full_name": "0", "map_email": "1"}
    )
    assert r.status_code == 302
    assert list(alice.mentors.values_list("full_name", flat=True)) == ["José Núñez"]


def test_a_utf8_csv_has_no_encoding_notice(alice_client: Client) -> None:
    page = _upload(alice_client, "Name\nJosé Núñez\n".encode()).content.decode()
    assert "José Núñez" in page and 'data-testid="csv-encoding"' not in page


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("Name,Email\nJosé Núñez,jn@example.org\n".encode(), "UTF-8"),
        ("\ufeffName,Email\nJosé Núñez,jn@example.org\n".encode(), "UTF-8"),
        ("Name,Email\r\nJosé Núñez,jn@example.org\r\n".encode("cp1252"), "Windows-1252"),
        ("Name\tEmail\r\nJosé Núñez\tjn@example.org\r\n".encode("utf-16"), "UTF-16"),
    ],
)
def test_read_takes_what_spreadsheets_save(data: bytes, encoding: str) -> None:
    parsed = csvio.read(data)
    assert parsed.encoding == encoding
    assert parsed.headers == ["Name", "Email"]
    assert parsed.rows == [["José Núñez", "jn@example.org"]]
