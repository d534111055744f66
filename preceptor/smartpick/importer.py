"""Read NRMP Program Results files and the code lists into catalogue rows.

Pure Python (no Django): :func:`read_program_results` checks every row and raises
:class:`ImportProblem` listing each bad one with its line number, so the caller can
import all or nothing.

Formats (as in ``../shared/data``):

- program results: ``state, institution, city, program, program_code, specialty_code,
  track`` and, per year, ``quota_YYYY, matched_YYYY, unfilled_flag_YYYY``;
- program codes: ``name, code``; institution codes: ``name, institutionCode`` (the name
  ends with ``-ST``);
- cities (optional, for coordinates): ``state, city, latitude, longitude`` with the
  state's full name. Without it, or for a city not in it, a program gets the
  coordinates of its state's largest city (shipped in :mod:`.figures`).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import figures
from .catalogue import ProgramRow

__all__ = ["ImportProblem", "ImportReport", "read_program_results"]

CODE_RE = re.compile(r"^(\d{4})(\d{3})([CPARM])(\d)$")
MAX_LISTED = 50


class ImportProblem(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        shown = errors[:MAX_LISTED]
        more = f"\n... and {len(errors) - MAX_LISTED} more" if len(errors) > MAX_LISTED else ""
        super().__init__("\n".join(shown) + more)


@dataclass
class ImportReport:
    rows: list[ProgramRow] = field(default_factory=list)
    skipped_no_positions: int = 0
    geocoded_city: int = 0
    geocoded_state: int = 0
    in_code_list: int = 0
    institutions_named: int = 0
    latest_year: int = 0
    warnings: list[str] = field(default_factory=list)


def _read(path: Path, required: set[str], what: str) -> tuple[list[str], list[dict[str, str]]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            header = list(reader.fieldnames or [])
            missing = required - set(header)
            if missing:
                raise ImportProblem([f"{path.name}: {what} is missing columns {sorted(missing)}"])
            return header, list(reader)
    except FileNotFoundError as e:
        raise ImportProblem([f"{path}: no such file"]) from e
    except UnicodeDecodeError as e:
        raise ImportProblem([f"{path.name}: not a UTF-8 text file ({e.reason})"]) from e
    except csv.Error as e:
        raise ImportProblem([f"{path.name}: not a readable CSV file ({e})"]) from e


def _int(value: str) -> int | None:
    value = value.strip()
    if value == "":
        return None
    return int(value)


def read_program_results(
    path: Path,
    *,
    program_codes: Path | None = None,
    institution_codes: Path | None = None,
    cities: Path | None = None,
) -> ImportReport:
    """Parse and check a Program Results CSV; raises ImportProblem on any bad row."""
    errors: list[str] = []
    # The code lists and the city table only name and place programs: a bad line there
    # is skipped and reported, while any bad line of the results file stops the import.
    warnings: list[str] = []
    header, data = _read(
        path,
        {"state", "institution", "city", "program", "program_code", "specialty_code", "track"},
        "the program results file",
    )
    years = sorted({int(m.group(1)) for h in header if (m := re.fullmatch(r"quota_(\d{4})", h))})
    if not years:
        raise ImportProblem([f"{path.name}: no quota_YYYY columns"])

    names: dict[str, str] = {}
    if program_codes:
        _, rows = _read(program_codes, {"name", "code"}, "the program code list")
        for i, r in enumerate(rows, start=2):
            code = (r["code"] or "").strip()
            if not CODE_RE.match(code):
                warnings.append(f"{program_codes.name} line {i}: “{code}” is not an NRMP code")
            else:
                names[code] = (r["name"] or "").strip()
    institutions: dict[str, str] = {}
    if institution_codes:
        _, rows = _read(institution_codes, {"name", "institutionCode"}, "the institution list")
        for i, r in enumerate(rows, start=2):
            code = (r["institutionCode"] or "").strip()
            if not re.fullmatch(r"\d{4}", code):
                warnings.append(
                    f"{institution_codes.name} line {i}: “{code}” is not a 4-digit code"
                )
            else:
                institutions[code] = (r["name"] or "").strip()
    places: dict[tuple[str, str], tuple[float, float]] = {}
    if cities:
        _, rows = _read(cities, {"state", "city", "latitude", "longitude"}, "the city table")
        for i, r in enumerate(rows, start=2):
            st = figures.STATE_BY_NAME.get((r["state"] or "").strip().upper())
            try:
                lat, lon = float(r["latitude"]), float(r["longitude"])
            except ValueError:
                warnings.append(f"{cities.name} line {i}: latitude/longitude are not numbers")
                continue
            if st and -90 <= lat <= 90 and -180 <= lon <= 180:
                places.setdefault((st, (r["city"] or "").strip().lower()), (lat, lon))

    report = ImportReport(latest_year=years[-1], warnings=warnings)
    seen: dict[str, int] = {}
    for line, r in enumerate(data, start=2):
        where = f"{path.name} line {line}"
        code = (r["program_code"] or "").strip()
        m = CODE_RE.match(code)
        if not m:
            errors.append(f"{where}: program code “{code}” is not of the form IIIISSSTN")
            continue
        if code in seen:
            errors.append(f"{where}: program code {code} already on line {seen[code]}")
            continue
        seen[code] = line
        track = (r["track"] or "").strip()
        if track != m.group(3):
            errors.append(f"{where}: track “{track}” differs from the code's letter {m.group(3)}")
            continue
        if (r["specialty_code"] or "").strip() != m.group(2):
            errors.append(f"{where}: specialty code differs from the program code's {m.group(2)}")
            continue
        state_name = (r["state"] or "").strip().upper()
        st = figures.STATE_BY_NAME.get(state_name)
        if st is None:
            errors.append(f"{where}: unknown state “{r['state']}”")
            continue
        history: dict[str, list[int]] = {}
        bad = False
        for y in years:
            try:
                q = _int(r.get(f"quota_{y}") or "")
                mt = _int(r.get(f"matched_{y}") or "")
            except ValueError:
                errors.append(f"{where}: quota or matched for {y} is not a whole number")
                bad = True
                break
            if q is None:
                continue
            if q < 0 or (mt is not None and (mt < 0 or mt > q)):
                errors.append(f"{where}: {y} has quota {q} and matched {mt} (impossible)")
                bad = True
                break
            history[str(y)] = [q, q if mt is None else mt]
        if bad:
            continue
        recent = [y for y in sorted(history) if history[y][0] > 0]
        # A program without positions in the latest year was not in that Match.
        if not recent or recent[-1] != str(years[-1]):
            report.skipped_no_positions += 1
            continue
        quota = history[recent[-1]][0]
        city = (r["city"] or "").strip()
        coords = places.get((st, city.lower()))
        if coords:
            report.geocoded_city += 1
        else:
            coords = figures.STATE_COORDS[st]
            report.geocoded_state += 1
        if code in names:
            report.in_code_list += 1
        inst_code = m.group(1)
        institution = (r["institution"] or "").strip()
        if inst_code in institutions:
            report.institutions_named += 1
            institution = institution or institutions[inst_code]
        program = (r["program"] or "").strip()
        specialty = _specialty_name(m.group(2), track, program)
        report.rows.append(
            ProgramRow(
                nrmp_code=code,
                institution_code=inst_code,
                institution=institution or inst_code,
                specialty=specialty,
                specialty_code=m.group(2),
                track=track,
                city=city,
                state=st,
                latitude=coords[0],
                longitude=coords[1],
                quota=quota,
                fill_history={y: history[y] for y in recent},
                name=names.get(code) or program or specialty,
            )
        )
    if errors:
        raise ImportProblem(errors)
    return report


_BY_CODE_TRACK = {(s.code, s.track): s.name for s in figures.SPECIALTIES}


def _specialty_name(code: str, track: str, program: str) -> str:
    """The catalogue's specialty name for a code and track (or the file's, if unknown)."""
    if (code, track) in _BY_CODE_TRACK:
        return _BY_CODE_TRACK[(code, track)]
    named = program.split("/")[0].strip()
    if track in ("P", "M") and named:
        return named  # "Medicine-Preliminary", "Surgery-Preliminary", ...
    base = _BY_CODE_TRACK.get((code, "C")) or named or f"Specialty {code}"
    if track == "A":
        return f"{base} (PGY-2)"
    if track == "R":
        return f"{base} (reserved PGY-2)"
    return base
