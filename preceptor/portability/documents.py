"""The account's own documents in an export: every file-holding field of an owned model.

This is the one module that knows where an account keeps its files. ``data.json`` names a
file by its path in the archive (``{"file": "documents/..."}``); the bytes travel beside
it. On import each file passes the same checks as an upload on the pages
(:func:`preceptor.lib.pdf.validate_pdf`: a real PDF, within the size limit, not encrypted,
parsed within the budget, active content removed) before anything is written, and the
fields that describe the file (its size, its page count) are set from what was checked,
not from what the archive claims.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models

from preceptor.lib.pdf import MB, PdfInfo, validate_pdf

# The largest single document, as for an upload on the pages.
MAX_DOCUMENT_BYTES = 10 * MB


@dataclass(frozen=True)
class FileField:
    """A field holding one of the user's documents, and the fields that describe it."""

    what: str  # how a refusal names it: "A document", "A request form"
    name_field: str = ""  # the original file name, if the model keeps one
    size_field: str = ""
    pages_field: str = ""
    sha256_field: str = ""  # the file's SHA-256, if the model keeps one


# (model label, field name) -> how to carry it.
FILES: dict[tuple[str, str], FileField] = {
    ("letters.DocumentVersion", "data"): FileField(
        "A document",
        name_field="original_name",
        size_field="size",
        pages_field="page_count",
        sha256_field="sha256",
    ),
    ("letters.LetterRequest", "request_form"): FileField(
        "A request form", name_field="request_form_name", pages_field="request_form_pages"
    ),
}


class DocumentRefused(Exception):
    """A document in the archive failed the upload checks."""


def is_file_field(model: type[models.Model], field: models.Field) -> bool:
    return (model._meta.label, field.name) in FILES


def file_path(export_id: str, field: models.Field, instance: models.Model) -> str:
    """Where a row's document goes in the archive: ``documents/<id>-<field>-<name>.pdf``."""
    spec = FILES[(type(instance)._meta.label, field.name)]
    original = str(getattr(instance, spec.name_field, "") or "") if spec.name_field else ""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", original.rsplit(".", 1)[0])[:60].strip("._")
    safe_id = re.sub(r"[^A-Za-z0-9]+", "-", export_id)
    return f"documents/{safe_id}-{field.name}{'-' + stem if stem else ''}.pdf"


def content(instance: models.Model, field: models.Field) -> bytes | None:
    """The document's bytes, or None when the row holds none."""
    value = getattr(instance, field.attname)
    return bytes(value) if value else None


def check(label: str, field_name: str, path: str, data: bytes) -> PdfInfo:
    """Check one document as an upload is checked; raise DocumentRefused with a sentence."""
    spec = FILES[(label, field_name)]
    try:
        return validate_pdf(data, max_bytes=MAX_DOCUMENT_BYTES, what=f"{spec.what} ({path})")
    except ValidationError as e:
        raise DocumentRefused(" ".join(e.messages)) from e


def apply(instance: models.Model, field_name: str, info: PdfInfo) -> None:
    """Put the checked bytes on the row, and the facts about them on their fields."""
    spec = FILES[(type(instance)._meta.label, field_name)]
    setattr(instance, field_name, info.data)
    if spec.size_field:
        setattr(instance, spec.size_field, info.size)
    if spec.pages_field:
        setattr(instance, spec.pages_field, info.page_count)
    if spec.sha256_field:
        setattr(instance, spec.sha256_field, hashlib.sha256(info.data).hexdigest())


def describing_fields(label: str) -> Mapping[str, str]:
    """Fields set from the checked file on import (not taken from data.json): name -> file field."""
    out = {}
    for (model_label, field_name), spec in FILES.items():
        if model_label == label:
            for name in (spec.size_field, spec.pages_field, spec.sha256_field):
                if name:
                    out[name] = field_name
    return out
