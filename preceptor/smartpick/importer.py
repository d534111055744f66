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
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import figures
from .catalogue import (
    LOCATION_ACGME,
    LOCATION_INSTITUTION_CITY,
    LOCATION_PROGRAM_CITY,
    LOCATION_STATE,
    POSITIONS_ESTIMATED,
    POSITIONS_FLORIDA,
    POSITIONS_RESULTS,
    ProgramRow,
)

__all__ = [
    "BuildReport",
    "ImportProblem",
    "ImportReport",
    "build_catalogue",
    "read_program_results",
]

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


@dataclass
class ResultsRow:
    """One checked line of a Program Results file."""

    line: int
    code: str
    state: str
    institution: str
    city: str
    program: str
    history: dict[str, list[int]]  # only the years with positions: year -> [quota, matched]


def parse_results(path: Path) -> tuple[list[int], list[ResultsRow]]:
    """The file's years and every row, checked; raises ImportProblem listing each bad row."""
    errors: list[str] = []
    header, data = _read(
        path,
        {"state", "institution", "city", "program", "program_code", "specialty_code", "track"},
        "the program results file",
    )
    years = sorted({int(m.group(1)) for h in header if (m := re.fullmatch(r"quota_(\d{4})", h))})
    if not years:
        raise ImportProblem([f"{path.name}: no quota_YYYY columns"])
    out: list[ResultsRow] = []
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
        st = figures.STATE_BY_NAME.get((r["state"] or "").strip().upper())
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
            if q > 0:
                history[str(y)] = [q, q if mt is None else mt]
        if bad:
            continue
        out.append(
            ResultsRow(
                line=line,
                code=code,
                state=st,
                institution=(r["institution"] or "").strip(),
                city=(r["city"] or "").strip(),
                program=(r["program"] or "").strip(),
                history=history,
            )
        )
    if errors:
        raise ImportProblem(errors)
    return years, out


def city_key(city: str) -> str:
    """A city's name for matching: letters only, "Saint" as "St".

    >>> city_key("Winston-Salem") == city_key("Winston Salem"), city_key("Saint Louis")
    (True, 'stlouis')
    """
    letters = re.sub(r"[^a-z]+", " ", city.lower()).split()
    return "".join("st" if w == "saint" else w for w in letters)


def read_program_codes(path: Path, warnings: list[str]) -> dict[str, str]:
    """NRMP code -> program name; a line without a valid code is skipped with a warning."""
    names: dict[str, str] = {}
    _, rows = _read(path, {"name", "code"}, "the program code list")
    for i, r in enumerate(rows, start=2):
        code = (r["code"] or "").strip()
        if not CODE_RE.match(code):
            warnings.append(f"{path.name} line {i}: “{code}” is not an NRMP code")
        elif code in names:
            warnings.append(f"{path.name} line {i}: {code} is listed twice (first kept)")
        else:
            names[code] = (r["name"] or "").strip()
    return names


def read_institutions(path: Path, warnings: list[str]) -> dict[str, str]:
    """Institution code -> name (which usually ends with ``-ST``)."""
    institutions: dict[str, str] = {}
    _, rows = _read(path, {"name", "institutionCode"}, "the institution list")
    for i, r in enumerate(rows, start=2):
        code = (r["institutionCode"] or "").strip()
        if not re.fullmatch(r"\d{4}", code):
            warnings.append(f"{path.name} line {i}: “{code}” is not a 4-digit code")
        else:
            institutions.setdefault(code, (r["name"] or "").strip())
    return institutions


def read_cities(path: Path, warnings: list[str]) -> dict[tuple[str, str], tuple[float, float]]:
    """(state code, lower-case city) -> (latitude, longitude); the state by its full name
    (the city table) or its two-letter code (the ACGME list)."""
    places: dict[tuple[str, str], tuple[float, float]] = {}
    _, rows = _read(path, {"state", "city", "latitude", "longitude"}, "the city table")
    for i, r in enumerate(rows, start=2):
        name = (r["state"] or "").strip().upper()
        st = name if name in figures.STATE_CODES else figures.STATE_BY_NAME.get(name)
        try:
            lat, lon = float(r["latitude"]), float(r["longitude"])
        except ValueError:
            warnings.append(f"{path.name} line {i}: latitude/longitude are not numbers")
            continue
        if st and -90 <= lat <= 90 and -180 <= lon <= 180:
            places.setdefault((st, city_key(r["city"] or "")), (lat, lon))
    return places


def read_program_results(
    path: Path,
    *,
    program_codes: Path | None = None,
    institution_codes: Path | None = None,
    cities: Path | None = None,
) -> ImportReport:
    """Parse and check a Program Results CSV; raises ImportProblem on any bad row."""
    # The code lists and the city table only name and place programs: a bad line there
    # is skipped and reported, while any bad line of the results file stops the import.
    warnings: list[str] = []
    years, parsed = parse_results(path)
    names = read_program_codes(program_codes, warnings) if program_codes else {}
    institutions = read_institutions(institution_codes, warnings) if institution_codes else {}
    places = read_cities(cities, warnings) if cities else {}
    report = ImportReport(latest_year=years[-1], warnings=warnings)
    for p in parsed:
        recent = sorted(p.history)
        # A program without positions in the latest year was not in that Match.
        if not recent or recent[-1] != str(years[-1]):
            report.skipped_no_positions += 1
            continue
        coords = places.get((p.state, city_key(p.city)))
        if coords:
            report.geocoded_city += 1
            basis = LOCATION_PROGRAM_CITY
        else:
            coords = figures.STATE_COORDS[p.state]
            report.geocoded_state += 1
            basis = LOCATION_STATE
        if p.code in names:
            report.in_code_list += 1
        inst_code, spec_code, track = p.code[:4], p.code[4:7], p.code[7]
        institution = p.institution
        if inst_code in institutions:
            report.institutions_named += 1
            institution = institution or institutions[inst_code]
        specialty = _specialty_name(spec_code, track, p.program)
        report.rows.append(
            ProgramRow(
                nrmp_code=p.code,
                institution_code=inst_code,
                institution=institution or inst_code,
                specialty=specialty,
                specialty_code=spec_code,
                track=track,
                city=p.city,
                state=p.state,
                latitude=coords[0],
                longitude=coords[1],
                quota=p.history[recent[-1]][0],
                fill_history=p.history,
                name=names.get(p.code) or p.program or specialty,
                positions_year=years[-1],
                positions_basis=POSITIONS_RESULTS,
                location_basis=basis,
            )
        )
    return report


_BY_CODE_TRACK = {(s.code, s.track): s.name for s in figures.SPECIALTIES}
# The preliminary years most programs offer, as NRMP names them.
_PRELIMINARY = {"140": "Medicine-Preliminary", "440": "Surgery-Preliminary"}


def _specialty_name(
    code: str, track: str, program: str, acgme: dict[str, str] | None = None
) -> str:
    """The catalogue's specialty name for a code and track: SmartPick's own name where it
    has figures for it, else from the ACGME code list (``acgme``) or the file's name."""
    if (code, track) in _BY_CODE_TRACK:
        return _BY_CODE_TRACK[(code, track)]
    named = program.split("/")[0].strip()
    base = _BY_CODE_TRACK.get((code, "C")) or (acgme or {}).get(code) or named
    if acgme is not None and track == "P":
        return _PRELIMINARY.get(code) or f"{base or f'Specialty {code}'}-Preliminary"
    if acgme is not None and track == "M":
        return f"{base or f'Specialty {code}'}-Primary"
    if track in ("P", "M") and named:
        return named  # "Medicine-Preliminary", "Surgery-Preliminary", ...
    base = base or f"Specialty {code}"
    if track == "A":
        return f"{base} (PGY-2)"
    if track == "R":
        return f"{base} (reserved PGY-2)"
    if track == "M":
        return f"{base}-Primary"
    return base


# ------------------------------------------------------- building the shipped catalogue

# The public files ``build_catalogue`` reads (``../shared/data`` in this project).
PROGRAM_CODES = "nrmp_program_codes_2024.csv"
INSTITUTION_CODES = "nrmp_institution_codes_2024.csv"
SPECIALTY_CODES = "acgme_specialty_codes.csv"
RESULTS = "nrmp_program_results_2014_2020.csv"
FLORIDA = "nrmp_program_results_florida_2020_2026.csv"
ACGME_PROGRAMS = "acgme_programs_geocoded_2019.csv"
CITIES = "us_city_latlong.csv"


def public_data_dir() -> Path | None:
    """The public files' folder: ``$PRECEPTOR_SHARED_DATA`` if set (as the Match
    engine's tests read it), else ``../shared/data`` next to the repository (or next to
    the main checkout, for a git worktree one level further down); None if absent."""
    repo = Path(__file__).resolve().parents[2]
    folders = [repo.parent / "shared" / "data", repo.parent.parent / "shared" / "data"]
    if os.environ.get("PRECEPTOR_SHARED_DATA"):
        folders.insert(0, Path(os.environ["PRECEPTOR_SHARED_DATA"]))
    for folder in folders:
        if (folder / PROGRAM_CODES).is_file():
            return folder
    return None


@dataclass
class BuildReport:
    rows: list[ProgramRow] = field(default_factory=list)
    listed: int = 0  # distinct valid codes in the code list
    left_out: list[str] = field(default_factory=list)  # codes whose state is unknown
    positions: dict[str, int] = field(default_factory=dict)  # basis -> programs
    location: dict[str, int] = field(default_factory=dict)  # basis -> programs
    city_not_placed: int = 0  # a city is known but neither list has its coordinates
    warnings: list[str] = field(default_factory=list)


def read_florida_results(path: Path, warnings: list[str]) -> dict[str, tuple[str, dict]]:
    """The Florida 2020-2026 file's Main Match rows: code -> (city, {year: [q, m]})."""
    header, rows = _read(path, {"Table", "City", "Program Code"}, "the Florida results file")
    years = sorted({int(m.group(1)) for h in header if (m := re.fullmatch(r"(\d{4}) Quota", h))})
    out: dict[str, tuple[str, dict]] = {}
    for i, r in enumerate(rows, start=2):
        if (r["Table"] or "").strip() != "Main":
            continue  # fellowship matches are not in the catalogue
        code = (r["Program Code"] or "").strip()
        if not CODE_RE.match(code) or code in out:
            warnings.append(f"{path.name} line {i}: “{code}” is not a new NRMP code (skipped)")
            continue
        history: dict[str, list[int]] = {}
        try:
            for y in years:
                q = _int(r.get(f"{y} Quota") or "") or 0
                mt = _int(r.get(f"{y} Matched") or "") or 0
                if 0 <= mt <= q and q > 0:
                    history[str(y)] = [q, mt]
        except ValueError:
            warnings.append(f"{path.name} line {i}: quota or matched is not a whole number")
            continue
        city = (r.get("City Cleaned") or r["City"] or "").strip()
        out[code] = (city, history)
    return out


_ABBREVIATIONS = {
    "med": "medical", "ctr": "center", "cntr": "center", "hosp": "hospital",
    "hosps": "hospitals", "reg": "regional", "st": "saint", "univ": "university",
    "u": "university", "hlth": "health", "sys": "system", "comm": "community",
    "mem": "memorial", "inst": "institute", "sch": "school", "coll": "college",
}  # fmt: skip
_NAME_STOP = {"program", "the", "of", "and", "at", "inc"}


def _name_tokens(name: str) -> frozenset[str]:
    words = re.findall(r"[a-z0-9]+", name.lower().replace("&", " and "))
    return frozenset(_ABBREVIATIONS.get(w, w) for w in words) - _NAME_STOP


def _state_of(institution: str) -> tuple[str, str]:
    """(state code, name without it) when the name ends with ``-ST``."""
    m = re.fullmatch(r"(.*)-([A-Z]{2})", institution.strip())
    if m and m.group(2) in figures.STATE_CODES:
        return m.group(2), m.group(1).strip()
    return "", institution.strip()


def build_catalogue(data: Path) -> BuildReport:
    """The shipped catalogue from the public files in ``data`` (see docs/smartpick.md).

    Programs: the 2024 code list. Institution and state: the institution list (its
    name ends with the state), else the program's results row, else a state named in
    the institution's name. Specialty and track: the code. City: the program's results
    row (2014-2020, then the Florida file), else the institution's other programs
    there, else the ACGME list by institution name; coordinates from the ACGME list,
    then the city table; else the state's largest city (``location: state only``).
    Positions: the latest year with positions (Florida 2020-2026 first, then
    2014-2020), else the specialty's mean (``estimated``). Fill history: every year
    with positions in either file.
    """
    warnings: list[str] = []
    names = read_program_codes(data / PROGRAM_CODES, warnings)
    institutions = read_institutions(data / INSTITUTION_CODES, warnings)
    _, spec_rows = _read(data / SPECIALTY_CODES, {"acgmeSpecialtyCode", "name"}, "the codes")
    acgme = {(r["acgmeSpecialtyCode"] or "").strip(): (r["name"] or "").strip() for r in spec_rows}
    _, parsed = parse_results(data / RESULTS)
    results = {p.code: p for p in parsed}
    florida = read_florida_results(data / FLORIDA, warnings) if (data / FLORIDA).exists() else {}
    acgme_places = read_cities(data / ACGME_PROGRAMS, warnings)
    city_table = read_cities(data / CITIES, warnings)
    _, acgme_rows = _read(data / ACGME_PROGRAMS, {"program_name", "city", "state"}, "ACGME list")
    acgme_by_name: dict[tuple[str, frozenset[str]], str] = {}
    for a in acgme_rows:
        name_key = ((a["state"] or "").strip(), _name_tokens(a["program_name"] or ""))
        acgme_by_name.setdefault(name_key, (a["city"] or "").strip())
    # The cities of each institution's programs in the results files (most common).
    inst_cities: dict[str, dict[tuple[str, str], int]] = {}
    for p in parsed:
        c = inst_cities.setdefault(p.code[:4], {})
        c[(p.state, p.city)] = c.get((p.state, p.city), 0) + 1
    for code, (city, _) in florida.items():
        c = inst_cities.setdefault(code[:4], {})
        c[("FL", city)] = c.get(("FL", city), 0) + 1
    state_words = sorted(figures.STATE_BY_NAME, key=len, reverse=True)

    report = BuildReport(listed=len(names), warnings=warnings)
    pending: list[ProgramRow] = []
    for code in sorted(names):
        inst_code, spec_code, track = code[:4], code[4:7], code[7]
        res, fl = results.get(code), florida.get(code)
        state, institution = _state_of(institutions.get(inst_code, ""))
        best_inst = max(
            inst_cities.get(inst_code, {}).items(), key=lambda kv: (kv[1], kv[0]), default=None
        )
        if not state:
            if res:
                state = res.state
            elif fl:
                state = "FL"
            elif best_inst:
                state = best_inst[0][0]
            else:
                upper = institution.upper()
                state = next(
                    (
                        figures.STATE_BY_NAME[w]
                        for w in state_words
                        if re.search(rf"\b{w}\b", upper)
                    ),
                    "",
                )
        if not state:
            report.left_out.append(code)
            continue
        institution = institution or (res.institution if res else "") or inst_code
        # The city and how it was found.
        city, basis = "", LOCATION_STATE
        if res and res.state == state and res.city:
            city, basis = res.city, LOCATION_PROGRAM_CITY
        elif fl and state == "FL" and fl[0]:
            city, basis = fl[0], LOCATION_PROGRAM_CITY
        elif best_inst and best_inst[0][0] == state and best_inst[0][1]:
            city, basis = best_inst[0][1], LOCATION_INSTITUTION_CITY
        elif (found := acgme_by_name.get((state, _name_tokens(institution)))) is not None:
            city, basis = found, LOCATION_ACGME
        coords = None
        if city:
            key = (state, city_key(city))
            coords = acgme_places.get(key) or city_table.get(key)
            if coords is None:
                report.city_not_placed += 1
                basis = LOCATION_STATE
        if coords is None:
            coords = figures.STATE_COORDS[state]
        # Positions and fill history.
        history: dict[str, list[int]] = dict(res.history) if res else {}
        if fl:
            for y, qm in fl[1].items():
                history.setdefault(y, qm)
        if fl and fl[1]:
            year, positions_basis = max(fl[1]), POSITIONS_FLORIDA
            quota = fl[1][year][0]
        elif res and res.history:
            year, positions_basis = max(res.history), POSITIONS_RESULTS
            quota = res.history[year][0]
        else:
            year, positions_basis, quota = "", POSITIONS_ESTIMATED, 0
        program = names[code] or (res.program if res else "")
        specialty = _specialty_name(spec_code, track, program, acgme)
        pending.append(
            ProgramRow(
                nrmp_code=code,
                institution_code=inst_code,
                institution=institution,
                specialty=specialty,
                specialty_code=spec_code,
                track=track,
                city=city,
                state=state,
                latitude=round(coords[0], 4),
                longitude=round(coords[1], 4),
                quota=quota,
                fill_history=history,
                name=program or specialty,
                positions_year=int(year) if year else None,
                positions_basis=positions_basis,
                location_basis=basis,
            )
        )
    # A program without published positions gets its specialty's mean (else all programs').
    known: dict[str, list[int]] = {}
    for row in pending:
        if row.positions_basis != POSITIONS_ESTIMATED:
            known.setdefault(row.specialty, []).append(row.quota)
    every = [q for qs in known.values() for q in qs]
    for row in pending:
        if row.positions_basis == POSITIONS_ESTIMATED:
            qs = known.get(row.specialty) or every
            row.quota = max(1, int(sum(qs) / len(qs) + 0.5))
        report.positions[row.positions_basis] = report.positions.get(row.positions_basis, 0) + 1
        report.location[row.location_basis] = report.location.get(row.location_basis, 0) + 1
    report.rows = pending
    return report
