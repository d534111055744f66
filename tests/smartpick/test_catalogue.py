"""The shipped program catalogue: its build from the public files, provenance, fresh installs."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from preceptor.smartpick import services
from preceptor.smartpick.catalogue import (
    CATALOGUE_PATH,
    SHIPPED_PREFIX,
    Provenance,
    provenance,
    read_catalogue,
    write_catalogue,
)
from preceptor.smartpick.importer import build_catalogue
from preceptor.smartpick.models import Program
from tests.smartpick.conftest import SHARED

needs_public_files = pytest.mark.skipif(
    not (SHARED / "nrmp_program_codes_2024.csv").exists(),
    reason=f"the public NRMP and ACGME files are not at {SHARED} (see ../shared/data/README.md)",
)


@needs_public_files
def test_the_shipped_catalogue_is_exactly_what_the_public_files_give() -> None:
    built = write_catalogue(build_catalogue(SHARED).rows)
    shipped = CATALOGUE_PATH.read_text(encoding="utf-8")
    assert built.splitlines() == shipped.splitlines()  # row for row first, for a readable diff
    assert built == shipped


@needs_public_files
def test_the_build_command_writes_the_same_bytes_and_says_what_it_did(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "programs.csv"
    call_command(
        "build_catalogue", "--data", str(SHARED), "--out", str(target), stdout=out, stderr=err
    )
    assert target.read_bytes() == CATALOGUE_PATH.read_bytes()
    text = out.getvalue()
    assert "Wrote 6252 programs" in text and "estimated (specialty mean)" in text
    # The crowd-built code list has a malformed code: skipped and reported.
    assert "“1516400C10” is not an NRMP code" in err.getvalue()
    call_command(
        "build_catalogue", "--data", str(SHARED), "--out", str(target), "--check", stdout=out
    )
    target.write_text("changed\n", encoding="utf-8")
    with pytest.raises(CommandError, match="differs"):
        call_command("build_catalogue", "--data", str(SHARED), "--out", str(target), "--check")


def test_the_build_command_refuses_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such folder"):
        call_command(
            "build_catalogue", "--data", str(tmp_path / "absent"), "--out", str(tmp_path / "x")
        )
    assert not (tmp_path / "x").exists()


def _files(folder: Path) -> Path:
    """A small set of public files in the shipped formats."""
    files = {
        "nrmp_program_codes_2024.csv": (
            "name,code\n"
            "Internal Medicine,1111140C0\n"  # in the 2014-2020 results
            "Internal Medicine,2222140C0\n"  # Florida only, newer positions
            "Internal Medicine,1111140C1\n"  # no results: its institution's city, estimated
            "Internal Medicine,3333140C0\n"  # nothing known but the state
            "Internal Medicine,4444140C0\n"  # no state anywhere: left out
            "Psychiatry,1111400C10\n"  # malformed
        ),
        "nrmp_institution_codes_2024.csv": (
            "name,institutionCode\nMercy Hosp-OH,1111\nSun Med Ctr-FL,2222\nLone Clinic-WY,3333\n"
            "Mystery Hospital,4444\n"
        ),
        "acgme_specialty_codes.csv": "acgmeSpecialtyCode,name\n140,Internal Medicine\n",
        "nrmp_program_results_2014_2020.csv": (
            "state,institution,city,program,program_code,specialty_code,track,"
            "quota_2019,matched_2019,unfilled_flag_2019,quota_2020,matched_2020,unfilled_flag_2020\n"
            "OHIO,Mercy Hosp,Dayton,Internal Medicine,1111140C0,140,C,10,9,1,12,12,0\n"
            "FLORIDA,Sun Med Ctr,Tampa,Internal Medicine,2222140C0,140,C,6,6,0,6,6,0\n"
        ),
        "nrmp_program_results_florida_2020_2026.csv": (
            "Table,Sponsoring Institution,City,City Cleaned,Program Code,"
            "2026 Quota,2026 Matched,2025 Quota,2025 Matched,2020 Quota,2020 Matched\n"
            "Main,Sun,Tampa,Tampa,2222140C0,8,7,7,7,6,6\n"
            "Specialty,Sun,Tampa,Tampa,2222999C0,2,2,0,0,0,0\n"
        ),
        "acgme_programs_geocoded_2019.csv": (
            "program_name,acgme_id,city,state,latitude,longitude\n"
            "Some Program,1,Dayton,OH,39.7589,-84.1916\n"
        ),
        "us_city_latlong.csv": "state,city,latitude,longitude\nFlorida,Tampa,27.9506,-82.4572\n",
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_every_figure_keeps_its_source_and_year(tmp_path: Path) -> None:
    report = build_catalogue(_files(tmp_path))
    rows = {r.nrmp_code: r for r in report.rows}
    assert sorted(rows) == ["1111140C0", "1111140C1", "2222140C0", "3333140C0"]
    assert report.left_out == ["4444140C0"]
    mercy, sun = provenance(rows["1111140C0"]), provenance(rows["2222140C0"])
    assert (mercy.positions_note, mercy.location_note) == (
        "positions: 12 (2020)",
        "location: city centroid",
    )
    assert (rows["1111140C0"].latitude, rows["1111140C0"].city) == (39.7589, "Dayton")  # ACGME list
    assert mercy.history_note == "fill history: 2019-2020"
    # The Florida file is newer: its 2026 positions, and a history to 2026.
    assert sun.positions_note == "positions: 8 (2026)" and sun.positions_basis == "florida"
    assert rows["2222140C0"].fill_history == {
        "2019": [6, 6],
        "2020": [6, 6],
        "2025": [7, 7],
        "2026": [8, 7],
    }
    assert (rows["2222140C0"].latitude, rows["2222140C0"].longitude) == (27.9506, -82.4572)
    # Unknown positions: the specialty's mean of the known ones, (12 + 8) / 2, marked.
    other = rows["1111140C1"]
    assert provenance(other).positions_note == "positions: 10 (estimated: specialty mean)"
    assert (other.city, other.location_basis) == ("Dayton", "institution_city")
    lone = provenance(rows["3333140C0"])
    assert lone.location_note == "location: state only" and rows["3333140C0"].state == "WY"
    assert lone.history_note == "fill history: none published"
    # Written and read back unchanged.
    path = tmp_path / "out.csv"
    path.write_text(write_catalogue(report.rows), encoding="utf-8")
    assert {r.nrmp_code: r for r in read_catalogue(path)} == rows


def test_the_shipped_catalogue_says_where_every_figure_comes_from() -> None:
    rows = read_catalogue()
    assert len(rows) > 6000 and not any(r.synthetic for r in rows)
    for r in rows:
        p = provenance(r)
        assert p.positions_basis in ("results", "florida", "estimated"), r.nrmp_code
        assert (r.positions_year is None) == (p.positions_basis == "estimated"), r.nrmp_code
        assert p.location_basis in ("program_city", "institution_city", "acgme", "state")
        assert r.latitude is not None and r.longitude is not None and r.quota >= 1


def test_a_fresh_database_lists_the_shipped_programs(db: None) -> None:
    services.ensure_catalogue()
    assert Program.objects.count() == len(read_catalogue())
    assert not Program.objects.filter(synthetic=True).exists()
    assert not Program.objects.exclude(source__startswith=SHIPPED_PREFIX).exists()
    cat = services.load_catalogue()
    assert all(isinstance(p, Provenance) and p.positions_basis for p in cat.provenance)


def test_a_database_with_the_old_synthetic_catalogue_gets_the_real_one(db: None) -> None:
    services.store_synthetic_catalogue()
    assert Program.objects.filter(synthetic=True).count() > 4000
    services.ensure_catalogue()
    assert not Program.objects.filter(synthetic=True).exists()
    assert Program.objects.count() == len(read_catalogue())
