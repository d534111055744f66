"""The importer: real NRMP files, bad rows, idempotence, all or nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from preceptor.smartpick import services
from preceptor.smartpick.catalogue import SHIPPED_PREFIX
from preceptor.smartpick.importer import ImportProblem, read_program_results
from preceptor.smartpick.models import Program
from tests.smartpick.conftest import SHARED

HEADER = (
    "state,institution,city,program,program_code,specialty_code,track,"
    "quota_2019,matched_2019,unfilled_flag_2019,quota_2020,matched_2020,unfilled_flag_2020\n"
)
GOOD = (
    "NEW YORK,Mercy Hospital,Buffalo,Internal Medicine,1234140C0,140,C,10,10,0,12,11,1\n"
    "OHIO,Lake Clinic,Cleveland,Pediatrics,2345320C0,320,C,6,6,0,6,6,0\n"
    "OHIO,Lake Clinic,Cleveland,Pediatrics/Rural,2345320C1,320,C,2,2,0,,,\n"
)


def _write(tmp_path: Path, text: str, name: str = "results.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_it_reads_the_format(tmp_path: Path) -> None:
    cities = _write(
        tmp_path, "state,city,latitude,longitude\nNew York,Buffalo,42.9,-78.9\n", "c.csv"
    )
    report = read_program_results(_write(tmp_path, HEADER + GOOD), cities=cities)
    assert [r.nrmp_code for r in report.rows] == ["1234140C0", "2345320C0"]
    mercy = report.rows[0]
    assert (mercy.state, mercy.quota, mercy.specialty) == ("NY", 12, "Internal Medicine")
    assert mercy.fill_history == {"2019": [10, 10], "2020": [12, 11]}
    assert (mercy.latitude, mercy.longitude) == (42.9, -78.9)
    assert report.rows[1].latitude is not None  # the state's largest city
    assert (report.geocoded_city, report.geocoded_state) == (1, 1)
    assert report.skipped_no_positions == 1  # not in the 2020 Match


def test_bad_rows_are_reported_with_line_numbers(tmp_path: Path) -> None:
    bad = (
        HEADER
        + GOOD
        + "OHIO,X,Y,Surgery,99440C0,440,C,1,1,0,1,1,0\n"
        + "OHIO,X,Y,Surgery,3456440P0,440,C,1,1,0,1,1,0\n"
        + "ATLANTIS,X,Y,Surgery,4567440C0,440,C,1,1,0,1,1,0\n"
        + "OHIO,X,Y,Surgery,5678440C0,440,C,1,1,0,4,5,0\n"
        + "OHIO,X,Y,Surgery,6789440C0,440,C,1,1,0,four,4,0\n"
        + "OHIO,Lake Clinic,Cleveland,Pediatrics,2345320C0,320,C,6,6,0,6,6,0\n"
    )
    with pytest.raises(ImportProblem) as e:
        read_program_results(_write(tmp_path, bad))
    text = str(e.value)
    assert "line 5: program code “99440C0” is not of the form IIIISSSTN" in text
    assert "line 6: track “C” differs from the code's letter P" in text
    assert "line 7: unknown state “ATLANTIS”" in text
    assert "line 8: 2020 has quota 4 and matched 5 (impossible)" in text
    assert "line 9: quota or matched for 2020 is not a whole number" in text
    assert "line 10: program code 2345320C0 already on line 3" in text
    assert len(e.value.errors) == 6


def test_missing_columns_and_files(tmp_path: Path) -> None:
    with pytest.raises(ImportProblem, match="missing columns"):
        read_program_results(_write(tmp_path, "state,city\nOHIO,X\n"))
    with pytest.raises(ImportProblem, match="no such file"):
        read_program_results(tmp_path / "absent.csv")
    binary = tmp_path / "b.csv"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(ImportProblem, match="not a UTF-8"):
        read_program_results(binary)


def test_command_imports_idempotently_and_replaces_the_shipped(db: None, tmp_path: Path) -> None:
    services.ensure_catalogue()
    assert Program.objects.filter(source__startswith=SHIPPED_PREFIX).count() > 6000
    path = _write(tmp_path, HEADER + GOOD)
    out = io.StringIO()
    call_command("import_programs", str(path), stdout=out)
    assert "Imported 2 programs of the 2020 Match: 2 new" in out.getvalue()
    assert Program.objects.count() == 2
    services.ensure_catalogue()  # an imported catalogue is never replaced
    mercy = Program.objects.get(nrmp_code="1234140C0")
    assert (mercy.positions_year, mercy.positions_basis) == (2020, "results")
    first = list(Program.objects.order_by("nrmp_code").values())
    out = io.StringIO()
    call_command("import_programs", str(path), stdout=out)
    assert "0 new, 0 changed, 2 unchanged" in out.getvalue()
    again = list(Program.objects.order_by("nrmp_code").values())
    assert [(p["nrmp_code"], p["public_id"], p["quota"]) for p in again] == [
        (p["nrmp_code"], p["public_id"], p["quota"]) for p in first
    ]


def test_a_bad_file_imports_nothing(db: None, tmp_path: Path) -> None:
    services.ensure_catalogue()
    before = Program.objects.count()
    path = _write(tmp_path, HEADER + GOOD + "OHIO,X,Y,Surgery,bad,440,C,1,1,0,1,1,0\n")
    with pytest.raises(CommandError, match=r"Nothing was imported: 1 problem\(s\)[\s\S]*line 5"):
        call_command("import_programs", str(path))
    assert Program.objects.count() == before
    assert Program.objects.filter(source__startswith=SHIPPED_PREFIX).count() == before


REAL = SHARED / "nrmp_program_results_2014_2020.csv"


@pytest.mark.skipif(
    not REAL.exists(),
    reason=f"the real NRMP files are not at {SHARED} (see ../shared/data/README.md)",
)
def test_the_real_nrmp_files(db: None) -> None:
    args = [
        str(REAL),
        "--program-codes", str(SHARED / "nrmp_program_codes_2024.csv"),
        "--institution-codes", str(SHARED / "nrmp_institution_codes_2024.csv"),
        "--cities", str(SHARED / "us_city_latlong.csv"),
    ]  # fmt: skip
    out, err = io.StringIO(), io.StringIO()
    call_command("import_programs", *args, stdout=out, stderr=err)
    # NRMP 2020: 37,256 positions [README of the data]; every program has a place.
    assert sum(Program.objects.values_list("quota", flat=True)) == 37_256
    assert not Program.objects.filter(latitude__isnull=True).exists()
    assert not Program.objects.filter(synthetic=True).exists()
    assert Program.objects.filter(specialty="Internal Medicine", track="C").count() > 400
    assert "placed by city" in out.getvalue()
    # The crowd-built code list has a malformed code; it is skipped and reported.
    assert "is not an NRMP code" in err.getvalue()
    # A second import changes nothing.
    out = io.StringIO()
    call_command("import_programs", *args, stdout=out, stderr=io.StringIO())
    assert " 0 new, 0 changed" in out.getvalue()
