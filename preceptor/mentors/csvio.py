"""Mentors to and from CSV. Pure: bytes and plain values in, checked rows out.

Import is two steps: :func:`read` decodes and splits the file (UTF-8, UTF-16 with its
byte-order mark, else Windows-1252; clear errors for an unreadable file, a missing header,
too many rows), :func:`check_rows` maps the columns and checks
every row, collecting all the errors so the preview can show them at once. The service
saves the rows in one transaction only when there is no error at all.

Export escapes cells a spreadsheet would run as a formula (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

__all__ = [
    "FIELDS",
    "MAX_BYTES",
    "MAX_ROWS",
    "CsvError",
    "Parsed",
    "Row",
    "check_rows",
    "escape_cell",
    "guess_mapping",
    "read",
    "write",
]

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 10_000

# field -> (label, header aliases)
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "full_name": ("Name", ("name", "full name", "mentor", "mentor name", "full_name")),
    "title": ("Title", ("title", "position", "job title")),
    "degree": ("Degree", ("degree", "degrees", "credentials")),
    "role": ("Role", ("role", "type", "relationship")),
    "specialty": ("Specialty", ("specialty", "speciality", "field")),
    "department": ("Department", ("department", "dept", "division")),
    "institution": (
        "Institution",
        ("institution", "hospital", "university", "school", "organization"),
    ),
    "email": ("Email", ("email", "e-mail", "email address")),
    "phone": ("Phone", ("phone", "telephone", "mobile")),
    "how_we_met": ("How we met", ("how we met", "how_we_met", "met through", "context")),
    "met_on": (
        "Working together since",
        ("met on", "met_on", "since", "start", "date met", "known since"),
    ),
    "faculty": ("Science or non-science", ("faculty", "science", "science faculty")),
    "prominence": ("Prominence", ("prominence",)),
    "network_role": ("Role in my network", ("network role", "network_role")),
    "status": ("Status", ("status",)),
    "tags": ("Tags", ("tags", "labels")),
    "notes": ("Notes", ("notes", "comments")),
}
REQUIRED = ("full_name",)

# Characters that make a spreadsheet treat a cell as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

_DATE_FORMATS = (
    "%Y-%m-%d",
    "%m/%d/%Y",
    "%m/%d/%y",
    "%d.%m.%Y",
    "%B %Y",
    "%b %Y",
    "%Y-%m",
    "%B %d, %Y",
)


class CsvError(ValueError):
    """The file as a whole cannot be read; the message says why and what to do."""


@dataclass(frozen=True)
class Parsed:
    headers: list[str]
    rows: list[list[str]]
    # How the bytes were read: "UTF-8", "UTF-16" (with its byte-order mark) or
    # "Windows-1252" (what Excel for Windows saves as plain "CSV"); the preview says
    # so when it is not UTF-8, so the user checks the accented names before importing.
    encoding: str = "UTF-8"


def _decode(data: bytes) -> tuple[str, str]:
    """The text of an upload and the name of its encoding (see :class:`Parsed`)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as e:
            raise CsvError(
                f"The file starts as UTF-16 text but has an unreadable byte at position "
                f"{e.start}. In your spreadsheet, save it as “CSV UTF-8” and upload it again."
            ) from e
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError as e:
        utf8_error = e
    try:
        # Windows-1252 leaves five byte values undefined; anything else decodes, so a
        # file in another legacy encoding may read wrongly: the preview asks to check.
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        raise CsvError(
            f"The file is not UTF-8 text (unreadable byte at position {utf8_error.start}). "
            "In your spreadsheet, save it as “CSV UTF-8” and upload it again."
        ) from utf8_error


@dataclass
class Row:
    line: int  # line number in the file, header = 1
    values: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def read(data: bytes) -> Parsed:
    if len(data) > MAX_BYTES:
        raise CsvError(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is "
            f"{MAX_BYTES // 1024 // 1024} MB. Split it into smaller files."
        )
    if not data.strip():
        raise CsvError("The file is empty.")
    text, encoding = _decode(data)
    if "\x00" in text:
        raise CsvError("The file contains NUL bytes; it looks like a binary file, not a CSV.")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        headers = next(reader, None)
        if not headers or not any(h.strip() for h in headers):
            raise CsvError("The first line should name the columns (for example Name, Email).")
        rows = []
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            rows.append(row)
            if len(rows) > MAX_ROWS:
                raise CsvError(
                    f"The file has more than {MAX_ROWS:,} rows; "
                    f"import at most {MAX_ROWS:,} at a time."
                )
    except csv.Error as e:
        raise CsvError(f"The file is not valid CSV (line {reader.line_num}: {e}).") from e
    if not rows:
        raise CsvError("The file has a header but no rows.")
    return Parsed([h.strip() for h in headers], rows, encoding)


def _norm(header: str) -> str:
    return re.sub(r"[\s_]+", " ", header.strip().lower())


def guess_mapping(headers: Sequence[str]) -> dict[str, int | None]:
    """Field -> column index, guessed from the header names.

    >>> guess_mapping(["E-mail", "Mentor Name", "Hospital"])["full_name"]
    1
    """
    normalized = [_norm(h) for h in headers]
    mapping: dict[str, int | None] = {}
    used: set[int] = set()
    for name, (label, aliases) in FIELDS.items():
        mapping[name] = None
        for alias in (_norm(label), *aliases):
            if alias in normalized and normalized.index(alias) not in used:
                mapping[name] = normalized.index(alias)
                used.add(normalized.index(alias))
                break
    return mapping


def parse_date(text: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"“{text[:40]}” is not a date we can read; use YYYY-MM-DD.")


def _choice(text: str, choices: Iterable[tuple[str, str]], what: str) -> str:
    key = text.strip().lower()
    if not key:
        return ""
    for value, label in choices:
        if key in (str(value).lower(), str(label).lower()):
            return str(value)
    options = ", ".join(str(label) for value, label in choices if value)
    raise ValueError(f"“{text[:40]}” is not a {what} we know ({options}).")


def _name_key(name: str) -> str:
    return " ".join(name.split()).lower()


def check_rows(
    parsed: Parsed,
    mapping: dict[str, int | None],
    *,
    choices: Mapping[str, Sequence[tuple[str, str]]],
    existing_names: set[str],
    existing_emails: set[str],
    today: dt.date,
    max_lengths: Mapping[str, int | None] | None = None,
) -> list[Row]:
    """Map and check every row; duplicates within the file and against the network count."""
    missing = [FIELDS[f][0] for f in REQUIRED if mapping.get(f) is None]
    if missing:
        raise CsvError(f"Choose the column that holds: {', '.join(missing)}.")
    width = len(parsed.headers)
    for name, index in mapping.items():
        if index is not None and not 0 <= index < width:
            raise CsvError(f"The column chosen for {FIELDS[name][0]} does not exist.")
    max_lengths = max_lengths or {}
    seen_names: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    out: list[Row] = []
    for n, raw in enumerate(parsed.rows, start=2):
        row = Row(line=n)
        if len(raw) > width:
            row.errors.append(f"{len(raw)} cells but the header names {width} columns.")
        for name, index in mapping.items():
            if index is None:
                continue
            cell = raw[index].strip() if index < len(raw) else ""
            limit = max_lengths.get(name)
            if limit and len(cell) > limit:
                row.errors.append(f"{FIELDS[name][0]} is longer than {limit} characters.")
                continue
            try:
                if name == "met_on":
                    d = parse_date(cell)
                    if d and d > today:
                        raise ValueError(f"{FIELDS[name][0]} {d:%Y-%m-%d} is in the future.")
                    row.values[name] = d.isoformat() if d else ""
                elif name in choices:
                    row.values[name] = _choice(cell, choices[name], FIELDS[name][0].lower())
                elif name == "tags":
                    row.tags = [t.strip() for t in cell.split(",") if t.strip()]
                elif (
                    name == "email" and cell and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", cell)
                ):
                    raise ValueError(f"“{cell[:60]}” is not an email address.")
                else:
                    row.values[name] = " ".join(cell.split()) if name == "full_name" else cell
            except ValueError as e:
                row.errors.append(str(e))
        name_key = _name_key(row.values.get("full_name", ""))
        email_key = row.values.get("email", "").lower()
        if not name_key:
            row.errors.append("The name is empty.")
        else:
            if name_key in existing_names:
                row.errors.append(f"{row.values['full_name']} is already in your network.")
            elif name_key in seen_names:
                row.errors.append(f"Same name as line {seen_names[name_key]}.")
            seen_names.setdefault(name_key, n)
        if email_key:
            if email_key in existing_emails:
                row.errors.append(
                    f"{row.values['email']} already belongs to a mentor in your network."
                )
            elif email_key in seen_emails:
                row.errors.append(f"Same email as line {seen_emails[email_key]}.")
            seen_emails.setdefault(email_key, n)
        out.append(row)
    return out


def escape_cell(value: object) -> str:
    """A cell a spreadsheet shows as text, never runs.

    >>> escape_cell("=HYPERLINK(\\"http://x\\")"), escape_cell("-2"), escape_cell("Ana")
    ('\\'=HYPERLINK("http://x")', "'-2", 'Ana')
    """
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def write(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow([escape_cell(h) for h in headers])
    for row in rows:
        w.writerow([escape_cell(c) for c in row])
    return out.getvalue()
