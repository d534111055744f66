"""The export's ZIP: writing it, and reading one back without trusting it.

Layout::

    manifest.json   {"format": 1, "app": "preceptor", "app_version": "...", "exported_at": ...,
                     "counts": {"mentors.Mentor": 7, ...},
                     "files": {"data.json": "<sha256>", "documents/...pdf": "<sha256>"}}
    data.json       every owned row (see records.py)
    documents/...   the account's own documents

Reading refuses, before anything is imported: a file that is not a ZIP or is damaged or
cut short; an archive over ``PORTABILITY_MAX_ARCHIVE_MB``; members that would unpack to
more than ``PORTABILITY_MAX_UNPACKED_MB`` in all or inflate more than
:data:`MAX_RATIO` times (zip bombs), reading no more than each member declares; member
names outside the archive's own tree (absolute, ``..``, backslashes, links); members the
manifest does not list, or listed and missing; a checksum that does not match; another
format.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import stat
import tomllib
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings

from preceptor.lib.pdf import MB
from preceptor.portability.records import FORMAT, Refused

MANIFEST, DATA = "manifest.json", "data.json"
DOCUMENTS = "documents"
# No honest member of an export (JSON, PDFs) compresses more than this.
MAX_RATIO = 200
# An account with this many documents would be a first; a ZIP of countless empty members
# is an attack on the reader.
MAX_MEMBERS = 10_000
_CHUNK = 64 * 1024


def max_archive_bytes() -> int:
    return int(getattr(settings, "PORTABILITY_MAX_ARCHIVE_MB", 100)) * MB


def max_unpacked_bytes() -> int:
    return int(getattr(settings, "PORTABILITY_MAX_UNPACKED_MB", 400)) * MB


def app_version() -> str:
    """The version in pyproject.toml (the package is run from its source tree)."""
    try:
        path = Path(__file__).resolve().parents[2] / "pyproject.toml"
        return str(tomllib.loads(path.read_text())["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _dumps(obj: Any) -> bytes:
    return json.dumps(obj, indent=1, ensure_ascii=False, sort_keys=True).encode()


def write(data: dict[str, Any], files: dict[str, bytes], counts: dict[str, int]) -> bytes:
    """The ZIP for one export."""
    members = {DATA: _dumps(data), **files}
    manifest = {
        "format": FORMAT,
        "app": "preceptor",
        "app_version": app_version(),
        "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "counts": counts,
        "files": {name: _sha256(content) for name, content in members.items()},
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(MANIFEST, _dumps(manifest))
        for name, content in members.items():
            # PDFs are compressed already: storing them saves time and loses nothing.
            method = zipfile.ZIP_STORED if name.endswith(".pdf") else zipfile.ZIP_DEFLATED
            zf.writestr(name, content, compress_type=method)
    return out.getvalue()


@dataclass(frozen=True)
class Contents:
    manifest: dict[str, Any]
    data: dict[str, Any]
    files: dict[str, bytes]  # the documents, by their path in the archive


def _safe_name(info: zipfile.ZipInfo) -> str:
    name = info.filename
    mode = info.external_attr >> 16
    path = PurePosixPath(name)
    if (
        not name
        or "\\" in name
        or "\x00" in name
        or path.is_absolute()
        or ".." in path.parts
        or (name[1:2] == ":")
        or stat.S_ISLNK(mode)
        or info.is_dir()
    ):
        raise Refused(
            f"The archive holds “{name}”, a path outside its own files; nothing was imported."
        )
    if name not in (MANIFEST, DATA) and not (
        len(path.parts) == 2 and path.parts[0] == DOCUMENTS and name.endswith(".pdf")
    ):
        raise Refused(f"The archive holds “{name}”, which is not part of an export.")
    return name


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The member's bytes, never more than it declares (a lying header stops here)."""
    out = bytearray()
    with zf.open(info) as f:
        while chunk := f.read(_CHUNK):
            out += chunk
            if len(out) > info.file_size:
                raise Refused(f"“{info.filename}” unpacks to more than it declares.")
    return bytes(out)


def read(upload: IO[bytes] | bytes) -> Contents:
    """Open an export and check it whole; raise Refused with a sentence otherwise."""
    source: IO[bytes] = io.BytesIO(upload) if isinstance(upload, bytes) else upload
    size = source.seek(0, io.SEEK_END)
    source.seek(0)
    limit = max_archive_bytes()
    if size > limit:
        raise Refused(
            f"The archive is {size / MB:.1f} MB; the limit is {limit // MB} MB. "
            "Nothing was imported."
        )
    damaged = (
        "The file is not a Preceptor export, or it is damaged or cut short; nothing was imported."
    )
    try:
        zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError) as e:
        raise Refused(damaged) from e
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise Refused(
                f"The archive holds {len(infos):,} files; an export has at most "
                f"{MAX_MEMBERS:,}. Nothing was imported."
            )
        names = [_safe_name(i) for i in infos]
        if len(set(names)) != len(names):
            raise Refused("The archive holds two files with the same name; nothing was imported.")
        total = sum(i.file_size for i in infos)
        if total > max_unpacked_bytes():
            raise Refused(
                f"The archive would unpack to {total / MB:.0f} MB; the limit is "
                f"{max_unpacked_bytes() // MB} MB. Nothing was imported."
            )
        for i in infos:
            if i.file_size > MAX_RATIO * max(i.compress_size, 1) and i.file_size > MB:
                raise Refused(
                    f"“{i.filename}” is compressed {i.file_size // max(i.compress_size, 1)} "
                    "times over, as a zip bomb is; nothing was imported."
                )
        if MANIFEST not in names or DATA not in names:
            raise Refused(
                f"The archive has no {MANIFEST} or no {DATA}: it is not a Preceptor export."
            )
        try:
            raw = {i.filename: _read_member(zf, i) for i in infos}
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as e:
            raise Refused(damaged) from e
        except NotImplementedError as e:
            raise Refused("The archive uses a compression this Preceptor does not read.") from e
        except RuntimeError as e:  # an encrypted member
            raise Refused("The archive is password-protected; export it again without.") from e
    manifest = _json(raw[MANIFEST], MANIFEST)
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise Refused(
            f"The archive is in export format {found!r}; this Preceptor reads format {FORMAT}. "
            "Nothing was imported."
        )
    listed = manifest.get("files")
    if not isinstance(listed, dict):
        raise Refused(f"{MANIFEST} lists no files.")
    present = set(raw) - {MANIFEST}
    if set(listed) != present:
        missing, extra = sorted(set(listed) - present), sorted(present - set(listed))
        raise Refused(
            "The archive does not hold what its manifest lists"
            f"{' (missing: ' + ', '.join(missing) + ')' if missing else ''}"
            f"{' (not listed: ' + ', '.join(extra) + ')' if extra else ''}; nothing was imported."
        )
    for name in sorted(present):
        if _sha256(raw[name]) != listed[name]:
            raise Refused(
                f"“{name}” does not match its checksum in the manifest: the archive was changed "
                "or damaged. Nothing was imported."
            )
    data = _json(raw[DATA], DATA)
    files = {name: content for name, content in raw.items() if name not in (MANIFEST, DATA)}
    return Contents(manifest=manifest, data=data, files=files)


def _json(content: bytes, name: str) -> Any:
    try:
        return json.loads(content)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise Refused(f"{name} is not readable JSON; nothing was imported.") from e
