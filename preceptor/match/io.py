"""Load and save a market as a directory of CSV files.

=================  ==========================================================
file               columns
=================  ==========================================================
``programs.csv``   ``program_code, track, quota`` - NRMP-style code ``IIIISSSTN``;
                   an empty ``track`` is read from the code's ``T`` letter
``applicants.csv`` ``applicant_id, type`` - ``type`` free text, may be empty
``rankings.csv``   ``list, owner, rank, ranked`` - ``list`` is ``applicant``,
                   ``program`` or ``supplemental``; ``rank`` starts at 1
``couples.csv``    ``couple_id, rank, applicant_1, program_1, applicant_2,
                   program_2`` - ``-`` for no match
=================  ==========================================================

Every error names the file and line (and the column, for a bad value): quotas and
ranks must be whole numbers written with the digits 0-9, quotas from 0 and ranks from
1, both up to 2,147,483,647 (the engine holds them in 32 bits).
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from ._checks import INT32_MAX, MarketError
from .market import NO_MATCH, TRACKS, Couple, Market

__all__ = ["load_market", "save_market"]

_CODE = re.compile(r"^\d{4}\d{3}([CPARM])\d$")
_FILES = {
    "programs.csv": ["program_code", "track", "quota"],
    "applicants.csv": ["applicant_id", "type"],
    "rankings.csv": ["list", "owner", "rank", "ranked"],
    "couples.csv": ["couple_id", "rank", "applicant_1", "program_1", "applicant_2", "program_2"],
}


def _rows(path: Path, required: bool = True) -> Iterator[tuple[int, dict[str, str]]]:
    """Each row of ``path`` with its line number; the row's ``""`` key holds the
    file's columns (name=number, comma-separated) so that errors can name them."""
    if not path.is_file():
        if required:
            raise ValueError(f"{path.name}: file not found in {path.parent}")
        return
    line = 1
    try:
        with path.open(newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            header = reader.fieldnames or []
            missing = [c for c in _FILES[path.name] if c not in header]
            optional = {"applicants.csv": ["type"], "programs.csv": ["track"]}.get(path.name)
            if missing and missing != optional:
                raise ValueError(f"{path.name} line 1: missing column(s) {', '.join(missing)}")
            columns = ",".join(f"{c}={i}" for i, c in reversed(list(enumerate(header, 1))))
            for row in reader:
                line = reader.line_num
                out = {k: (v or "").strip() for k, v in row.items() if k}
                out[""] = columns
                yield line, out
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path.name}: not UTF-8 text (byte {exc.start + 1})") from None
    except csv.Error as exc:
        raise ValueError(f"{path.name} line {line + 1}: {exc}") from None
    except OSError as exc:
        raise ValueError(f"{path.name}: cannot be read ({exc.strerror or exc})") from None


_WHOLE = re.compile(r"[+-]?[0-9]{1,30}")


def _int(where: str, row: dict[str, str], field: str, lo: int) -> int:
    """``row[field]`` as a whole number from ``lo`` to 2**31 - 1 (ASCII digits)."""
    value = row[field]
    col = dict(c.rsplit("=", 1) for c in row[""].split(",") if "=" in c).get(field)
    at = f"{where}, column {col} ({field})" if col else f"{where}, column {field}"
    if not _WHOLE.fullmatch(value):
        raise ValueError(f"{at}: {value!r} is not a whole number") from None
    n = int(value)
    if not lo <= n <= INT32_MAX:
        raise ValueError(f"{at}: {n} is not between {lo} and {INT32_MAX:,}")
    return n


def load_market(directory: str | Path) -> Market:
    """Read a market directory (see the module docstring for the format).

    Parameters
    ----------
    directory : str or Path
        Holds ``programs.csv``, ``applicants.csv`` and ``rankings.csv``, and optionally
        ``couples.csv``.

    Returns
    -------
    Market

    Raises
    ------
    ValueError
        Naming the file and line of the first bad row.

    Examples
    --------
    >>> import tempfile
    >>> from preceptor.match import Market
    >>> m = Market.build(quotas={"1001140C0": 1}, applicant_rankings={"a": ["1001140C0"]},
    ...                  program_rankings={"1001140C0": ["a"]})
    >>> with tempfile.TemporaryDirectory() as d:
    ...     save_market(m, d)
    ...     load_market(d).program_rankings()
    {'1001140C0': ['a']}
    """
    d = Path(directory)
    quotas: dict[str, int] = {}
    tracks: dict[str, str] = {}
    program_line: dict[str, int] = {}
    for line, row in _rows(d / "programs.csv"):
        where = f"programs.csv line {line}"
        code = row["program_code"]
        if not code:
            raise ValueError(f"{where}: empty program_code")
        if code in quotas:
            raise ValueError(f"{where}: duplicate program {code!r}")
        quotas[code] = _int(where, row, "quota", 0)
        program_line[code] = line
        track = row.get("track", "")
        if not track:
            match = _CODE.match(code)
            track = match.group(1) if match else "C"
        if track not in TRACKS or len(track) != 1:
            raise ValueError(f"{where}: unknown track {track!r} (expected one of {TRACKS})")
        tracks[code] = track

    types: dict[str, str] = {}
    for line, row in _rows(d / "applicants.csv"):
        where = f"applicants.csv line {line}"
        a = row["applicant_id"]
        if not a:
            raise ValueError(f"{where}: empty applicant_id")
        if a in types:
            raise ValueError(f"{where}: duplicate applicant {a!r}")
        types[a] = row.get("type", "")

    lists: dict[str, dict[str, dict[int, str]]] = {
        k: defaultdict(dict) for k in ("applicant", "program", "supplemental")
    }
    lines: dict[tuple[str, str, int], int] = {}
    for line, row in _rows(d / "rankings.csv"):
        where = f"rankings.csv line {line}"
        kind, owner, ranked = row["list"], row["owner"], row["ranked"]
        if kind not in lists:
            raise ValueError(f"{where}: list {kind!r} is not applicant, program or supplemental")
        rank = _int(where, row, "rank", 1)
        owners, items = (quotas, types) if kind == "program" else (types, quotas)
        if owner not in owners:
            raise ValueError(
                f"{where}: unknown {'program' if kind == 'program' else 'applicant'} {owner!r}"
            )
        if ranked not in items:
            raise ValueError(
                f"{where}: unknown {'applicant' if kind == 'program' else 'program'} {ranked!r}"
            )
        if rank in lists[kind][owner]:
            first = lines[(kind, owner, rank)]
            raise ValueError(f"{where}: duplicate rank {rank} for {owner!r} (also line {first})")
        lists[kind][owner][rank] = ranked
        lines[(kind, owner, rank)] = line

    couple_rows: dict[str, dict[int, tuple[str, str, str, str]]] = defaultdict(dict)
    couple_lines: dict[str, dict[int, int]] = defaultdict(dict)
    for line, row in _rows(d / "couples.csv", required=False):
        where = f"couples.csv line {line}"
        cid = row["couple_id"]
        rank = _int(where, row, "rank", 1)
        a1, p1, a2, p2 = (row[k] for k in ("applicant_1", "program_1", "applicant_2", "program_2"))
        for a in (a1, a2):
            if a not in types:
                raise ValueError(f"{where}: unknown applicant {a!r}")
        for p in (p1, p2):
            if p != NO_MATCH and p not in quotas:
                raise ValueError(f"{where}: unknown program {p!r}")
        rows = couple_rows[cid]
        if rows:
            head = next(iter(rows.values()))
            if (head[0], head[2]) != (a1, a2):
                raise ValueError(f"{where}: couple {cid!r} changes partners to ({a1!r}, {a2!r})")
        if rank in rows:
            raise ValueError(f"{where}: duplicate rank {rank} for couple {cid!r}")
        rows[rank] = (a1, p1, a2, p2)
        couple_lines[cid][rank] = line

    couples = []
    members: set[str] = set()
    for rows in couple_rows.values():
        joint = [rows[k] for k in sorted(rows)]
        a1, a2 = joint[0][0], joint[0][2]
        members |= {a1, a2}
        couples.append(Couple(a1, a2, [r[1] for r in joint], [r[3] for r in joint]))

    for a in lists["applicant"]:
        if a in members:
            first = min(lines[("applicant", a, k)] for k in lists["applicant"][a])
            raise ValueError(
                f"rankings.csv line {first}: applicant {a!r} is in a couple and has a single list"
            )

    def line_of(exc: MarketError) -> str:
        """Where in the files the error Market.build found lies."""
        if exc.source == "quota" and exc.owner in program_line:
            return f"programs.csv line {program_line[str(exc.owner)]}"
        if exc.source in lists and isinstance(exc.owner, str):
            ranks = sorted(lists[exc.source].get(exc.owner, {}))
            if ranks:
                k = ranks[min(exc.position or 1, len(ranks)) - 1]
                return f"rankings.csv line {lines[(exc.source, exc.owner, k)]}"
        if exc.source == "couple" and isinstance(exc.owner, int):
            by_rank = list(couple_lines.values())[exc.owner]
            ranks = sorted(by_rank)
            return f"couples.csv line {by_rank[ranks[min(exc.position or 1, len(ranks)) - 1]]}"
        return "market"

    try:
        return _build(quotas, tracks, types, lists, members, couples)
    except MarketError as exc:
        raise ValueError(f"{line_of(exc)}: {exc}") from None


def _build(
    quotas: dict[str, int],
    tracks: dict[str, str],
    types: dict[str, str],
    lists: dict[str, dict[str, dict[int, str]]],
    members: set[str],
    couples: list[Couple],
) -> Market:
    def ordered(x: dict[int, str]) -> list[str]:
        return [x[k] for k in sorted(x)]

    return Market.build(
        quotas=quotas,
        tracks=tracks,
        applicant_rankings={
            a: ordered(lists["applicant"].get(a, {})) for a in types if a not in members
        },
        program_rankings={p: ordered(lists["program"].get(p, {})) for p in quotas},
        couples=couples,
        supplemental={a: ordered(x) for a, x in lists["supplemental"].items()},
        applicant_types={a: t for a, t in types.items() if t},
    )


def save_market(market: Market, directory: str | Path) -> None:
    """Write ``market`` as CSV files into ``directory`` (created if needed)."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)

    def write(name: str, rows: Iterator[list[object]] | list[list[object]]) -> None:
        with (d / name).open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(_FILES[name])
            w.writerows(rows)

    tracks = market.tracks()
    write("programs.csv", [[p, tracks[p], q] for p, q in market.quotas().items()])
    types = market.applicant_type or ("",) * market.n_applicants
    write("applicants.csv", [list(x) for x in zip(market.applicant_ids, types, strict=True)])

    def ranking_rows() -> Iterator[list[object]]:
        for kind, lists in (
            ("applicant", market.applicant_rankings()),
            ("program", market.program_rankings()),
            ("supplemental", market.supplemental_lists()),
        ):
            for owner, items in lists.items():
                for k, x in enumerate(items, start=1):
                    yield [kind, owner, k, x]

    write("rankings.csv", ranking_rows())
    write(
        "couples.csv",
        [
            [f"c{i + 1}", k, c.first, p1, c.second, p2]
            for i, c in enumerate(market.couples())
            for k, (p1, p2) in enumerate(c.pairs(), start=1)
        ],
    )
