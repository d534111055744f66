"""The part of the PDF check that touches the file's insides, run in a child process.

``preceptor.lib.pdf`` starts ``python -m preceptor.lib.pdfcheck CPU_SECONDS MEMORY_BYTES``
with the upload on stdin. Before reading a byte this process caps its own CPU time and
address space (``setrlimit``), so a file built to make the parser work for minutes or
inflate a stream to gigabytes ends this process, not the web server's; the parent adds a
wall-clock timeout and kills it past that. Nothing here imports Django: the child starts
in a fraction of a second and holds no database connection.

The answer on stdout is one JSON line, then (when active content was removed) the
rewritten file::

    {"pages": 3, "removed": ["javascript"], "rewritten": true}
    %PDF-1.7 ...

or ``{"error": "corrupt"}`` (also ``encrypted``, ``no_pages``, ``too_many_pages``,
``too_complex``).
"""

from __future__ import annotations

import io
import json
import resource
import sys
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

__all__ = ["MAX_CONTENT_BYTES", "MAX_PAGES", "inspect", "main"]

# A 300-page CV is already unusual; a letter is a few pages. Beyond these the file is
# refused as too complex to check, whatever the budget would have allowed.
MAX_PAGES = 1000
# Decompressed page content (text and drawing operators) over all distinct streams.
MAX_CONTENT_BYTES = 64 * 1024 * 1024

# Actions that run code, open other programs or files, or send data somewhere.
_ACTIVE_ACTIONS = {
    "/JavaScript": "javascript",
    "/Launch": "launch",
    "/GoToE": "embedded_files",
    "/ImportData": "form_actions",
    "/SubmitForm": "form_actions",
    "/RichMediaExecute": "rich_media",
    "/Rendition": "rich_media",
}
# Annotations that carry a file or a player rather than a note or a link.
_ACTIVE_ANNOTATIONS = {
    "/FileAttachment": "embedded_files",
    "/RichMedia": "rich_media",
    "/Screen": "rich_media",
    "/Movie": "rich_media",
    "/Sound": "rich_media",
}


class TooComplex(Exception):
    """The file needs more work to check than any honest letter or CV does."""


def _resolve(obj: Any) -> Any:
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def _action_kinds(action: Any, seen: set[int]) -> set[str]:
    """The active kinds in an action and the chain of actions it starts (``/Next``)."""
    action = _resolve(action)
    if isinstance(action, ArrayObject):
        kinds: set[str] = set()
        for item in action:
            kinds |= _action_kinds(item, seen)
        return kinds
    if not isinstance(action, DictionaryObject) or id(action) in seen:
        return set()
    seen.add(id(action))
    kinds = set()
    kind = _ACTIVE_ACTIONS.get(str(action.get("/S", "")))
    if kind:
        kinds.add(kind)
    if "/JS" in action:
        kinds.add("javascript")
    if "/Next" in action:
        kinds |= _action_kinds(action["/Next"], seen)
    return kinds


def _clean_dict(d: DictionaryObject, removed: set[str]) -> None:
    """Remove the active entries of one dictionary (in place)."""
    for key in ("/OpenAction", "/A"):
        if key in d:
            kinds = _action_kinds(d[key], set())
            if kinds:
                del d[key]
                removed |= kinds
    if "/AA" in d:
        # Additional actions fire on events (opening a page, focusing a field, closing).
        aa = _resolve(d["/AA"])
        kinds = set()
        if isinstance(aa, DictionaryObject):
            for value in aa.values():
                kinds |= _action_kinds(value, set())
        if kinds:
            del d["/AA"]
            removed |= kinds
    # Whatever still holds a script, a file or a player after the references to it are
    # cut is emptied as well, so none of it is left in the file for a lenient reader.
    if "/JS" in d:
        del d["/JS"]
        removed.add("javascript")
    if "/EF" in d:
        del d["/EF"]
        removed.add("embedded_files")
    if "/RichMediaContent" in d:
        del d["/RichMediaContent"]
        removed.add("rich_media")
    if isinstance(d, StreamObject) and str(d.get("/Type", "")) == "/EmbeddedFile":
        d.set_data(b"")
        removed.add("embedded_files")
    names = _resolve(d.get("/Names")) if "/Names" in d else None
    if isinstance(names, DictionaryObject):
        if "/JavaScript" in names:
            del names["/JavaScript"]
            removed.add("javascript")
        if "/EmbeddedFiles" in names:
            del names["/EmbeddedFiles"]
            removed.add("embedded_files")
    if str(d.get("/Type", "")) == "/Catalog":
        form = _resolve(d.get("/AcroForm")) if "/AcroForm" in d else None
        if isinstance(form, DictionaryObject) and "/XFA" in form:
            del form["/XFA"]
            removed.add("xfa")
        for key in ("/AF", "/Collection"):
            if key in d:
                del d[key]
                removed.add("embedded_files")
    annots = d.get("/Annots")
    if annots is not None:
        annots = _resolve(annots)
        if isinstance(annots, ArrayObject):
            keep = ArrayObject()
            for a in annots:
                annot = _resolve(a)
                subtype = annot.get("/Subtype") if isinstance(annot, DictionaryObject) else None
                kind = _ACTIVE_ANNOTATIONS.get(str(subtype))
                if kind:
                    removed.add(kind)
                else:
                    keep.append(a)
            if len(keep) != len(annots):
                annots.clear()
                annots.extend(keep)


def _walk(obj: Any, removed: set[str], depth: int = 0) -> None:
    """Clean every dictionary held directly inside ``obj`` (not through references:
    every indirect object is visited on its own)."""
    if depth > 64:
        raise TooComplex
    if isinstance(obj, DictionaryObject):
        _clean_dict(obj, removed)
        for value in list(obj.values()):
            if not isinstance(value, IndirectObject):
                _walk(value, removed, depth + 1)
    elif isinstance(obj, ArrayObject):
        for value in obj:
            if not isinstance(value, IndirectObject):
                _walk(value, removed, depth + 1)


def strip_active_content(reader: PdfReader) -> tuple[set[str], bytes | None]:
    """The kinds of active content found, and the file without them (None if none)."""
    writer = PdfWriter(clone_from=reader)
    removed: set[str] = set()
    _walk(writer._root_object, removed)
    for obj in list(writer._objects):
        if obj is not None:
            _walk(obj, removed)
    if not removed:
        return removed, None
    # What was cut off (the script, the attached file) would otherwise still be written.
    writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    out = io.BytesIO()
    writer.write(out)
    return removed, out.getvalue()


def _content_key(page: Any) -> Any:
    contents = page.get("/Contents")
    if isinstance(contents, IndirectObject):
        return ("ref", contents.idnum, contents.generation)
    if isinstance(contents, ArrayObject):
        return tuple(
            (c.idnum, c.generation) if isinstance(c, IndirectObject) else id(c) for c in contents
        )
    return ("direct", id(page))


def _read_contents(reader: PdfReader) -> None:
    """Decode and read every page's content, each shared stream once, within the limit."""
    seen: set[Any] = set()
    total = 0
    for page in reader.pages:
        key = _content_key(page)
        if key in seen:
            # 300 pages pointing at one stream that inflates to 70 MB: read it once.
            continue
        seen.add(key)
        contents = page.get_contents()
        if contents is None:
            continue
        total += len(contents.get_data())
        if total > MAX_CONTENT_BYTES:
            raise TooComplex
        # Extracting the text reads the page's operators and fonts: a stream damaged past
        # its compression, or a font that cannot be read, fails here.
        page.extract_text()


def inspect(data: bytes) -> tuple[dict[str, Any], bytes | None]:
    """Check ``data`` completely; return the answer and the rewritten file, if any."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return {"error": "encrypted"}, None
        pages = len(reader.pages)
        if pages < 1:
            return {"error": "no_pages"}, None
        if pages > MAX_PAGES:
            return {"error": "too_many_pages", "pages": pages}, None
        _read_contents(reader)
        removed, rewritten = strip_active_content(reader)
    except (TooComplex, MemoryError, RecursionError):
        return {"error": "too_complex"}, None
    except Exception as e:
        # pypdf's own limits (a stream that inflates past its cap) are "too complex";
        # anything else it raises on a malformed file means the file is damaged.
        if type(e).__name__ == "LimitReachedError":
            return {"error": "too_complex"}, None
        return {"error": "corrupt"}, None
    answer = {"pages": pages, "removed": sorted(removed), "rewritten": rewritten is not None}
    return answer, rewritten


def limit_self(cpu_seconds: int, memory_bytes: int) -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    if memory_bytes > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


def main(argv: list[str]) -> int:
    limit_self(int(argv[1]), int(argv[2]))
    data = sys.stdin.buffer.read()
    answer, rewritten = inspect(data)
    out = sys.stdout.buffer
    out.write(json.dumps(answer).encode() + b"\n")
    if rewritten is not None:
        out.write(rewritten)
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
