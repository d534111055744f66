"""Owned rows to plain JSON and back, read from each model's meta (no code per model).

Each row gets an opaque id in the export (``"mentors.Mentor:3"``: its model and its place
among the account's rows of that model, never a database key); a foreign key to another
owned row is written as that row's id, a many-to-many link as a list of them, a document
as ``{"file": "documents/..."}`` (see :mod:`preceptor.portability.documents`). Dates and
times are ISO 8601 (times in UTC). Left out: database keys, the link to the user (the
import links every row to the account it fills), and instance identifiers such as
``public_id`` (unique, made by the database's default), which the import makes anew, so
nothing collides with the instance the export came from.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from preceptor.portability import documents
from preceptor.portability.owned import JSON_REFERENCES, OWNED

FORMAT = 1


class NotPortable(Exception):
    """A model the export cannot carry as declared (a developer's mistake, found by tests)."""


class Refused(Exception):
    """The data in an archive cannot be imported; the message says why, in a sentence."""


# What each field is to the export.
PK, OWNER, IDENTIFIER, REF, FILE, JSON_REF, VALUE = (
    "pk",
    "owner",
    "identifier",
    "ref",
    "file",
    "json_ref",
    "value",
)


def target_label(f: Any) -> str:
    """The label of the model a relation points to ("" for none)."""
    target = f.related_model
    return "" if target is None or isinstance(target, str) else str(target._meta.label)


def _is_user(f: Any) -> bool:
    return target_label(f) == settings.AUTH_USER_MODEL


def kind_of(model: type[models.Model], f: models.Field) -> str:
    label = model._meta.label
    if f.primary_key:
        return PK
    if f.is_relation:
        if _is_user(f):
            return OWNER
        if target_label(f) in OWNED:
            return REF
        raise NotPortable(f"{label}.{f.name} points to {target_label(f)}, which is not owned.")
    if f.unique and f.has_default() and not f.editable:
        return IDENTIFIER
    if documents.is_file_field(model, f):
        return FILE
    if isinstance(f, models.BinaryField):
        raise NotPortable(f"{label}.{f.name} holds bytes: declare it in documents.FILES.")
    if (label, f.name) in JSON_REFERENCES:
        return JSON_REF
    return VALUE


def m2m_fields(model: type[models.Model]) -> list[models.ManyToManyField]:
    out = []
    for f in model._meta.many_to_many:
        if target_label(f) not in OWNED:
            raise NotPortable(f"{model._meta.label}.{f.name} links to a model not owned.")
        if not f.remote_field.through._meta.auto_created:  # type: ignore[union-attr]
            raise NotPortable(f"{model._meta.label}.{f.name} has its own through model.")
        out.append(f)
    return out


def is_singleton(model: type[models.Model]) -> bool:
    """One row per user (a one-to-one link to the user): the profile, the preferences."""
    return any(
        isinstance(f, models.OneToOneField) and _is_user(f) for f in model._meta.concrete_fields
    )


def _dependencies(model: type[models.Model]) -> set[str]:
    label = model._meta.label
    deps = {target_label(f) for f in model._meta.concrete_fields if kind_of(model, f) == REF}
    deps |= {target for (src, _), target in JSON_REFERENCES.items() if src == label}
    if label in deps:
        raise NotPortable(f"{label} refers to itself; the import cannot order its rows.")
    return deps


def owned_models() -> list[type[models.Model]]:
    """Every owned model, each after the models its rows refer to."""
    pending = {label: apps.get_model(label) for label in OWNED}
    ordered: list[type[models.Model]] = []
    done: set[str] = set()
    while pending:
        ready = [lbl for lbl, m in pending.items() if _dependencies(m) <= done]
        if not ready:
            raise NotPortable(f"These models refer to each other in a circle: {sorted(pending)}")
        for lbl in ready:
            ordered.append(pending.pop(lbl))
            done.add(lbl)
    return ordered


def rows_of(model: type[models.Model], user: Any) -> models.QuerySet[Any]:
    return model._default_manager.filter(**{OWNED[model._meta.label]: user}).order_by("pk")


def _dump_value(f: models.Field, value: Any) -> Any:
    if value is None or isinstance(f, models.JSONField):
        return value
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


@dataclass
class Dump:
    """``data.json``'s content and the documents that go beside it."""

    data: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        return {label: len(rows) for label, rows in self.data["models"].items()}


def dump(user: Any) -> Dump:
    """Every row the user owns, as plain JSON, and their documents."""
    models_ = owned_models()
    ids: dict[tuple[str, Any], str] = {}
    for model in models_:
        label = model._meta.label
        for n, pk in enumerate(rows_of(model, user).values_list("pk", flat=True), start=1):
            ids[(label, pk)] = f"{label}:{n}"

    out = Dump(data={"format": FORMAT, "models": {}})
    for model in models_:
        label = model._meta.label
        m2m = m2m_fields(model)
        rows = []
        for obj in rows_of(model, user).prefetch_related(*(f.name for f in m2m)):
            export_id = ids[(label, obj.pk)]
            values: dict[str, Any] = {}
            for f in model._meta.concrete_fields:
                kind = kind_of(model, f)
                if kind in (PK, OWNER, IDENTIFIER):
                    continue
                raw = getattr(obj, f.attname)
                if kind == REF:
                    values[f.name] = None if raw is None else ids[(target_label(f), raw)]
                elif kind == FILE:
                    content = documents.content(obj, f)
                    if content is None:
                        values[f.name] = None
                    else:
                        path = documents.file_path(export_id, f, obj)
                        out.files[path] = content
                        values[f.name] = {"file": path}
                elif kind == JSON_REF:
                    target = JSON_REFERENCES[(label, f.name)]
                    # A key of a row since deleted is dropped: it names nothing to carry.
                    values[f.name] = [ids[(target, pk)] for pk in raw or [] if (target, pk) in ids]
                else:
                    values[f.name] = _dump_value(f, raw)
            for f in m2m:
                target = target_label(f)
                values[f.name] = [ids[(target, o.pk)] for o in getattr(obj, f.name).all()]
            rows.append({"id": export_id, "fields": values})
        out.data["models"][label] = rows
    return out


# ---------------------------------------------------------------- import


def _where(label: str, row_id: str, name: str = "") -> str:
    return f"{row_id or label}{'.' + name if name else ''}"


def _load_value(model: type[models.Model], f: models.Field, value: Any, where: str) -> Any:
    if isinstance(f, models.JSONField):
        return value
    if value is not None and not isinstance(value, str | int | float | bool):
        raise Refused(f"{where} holds a list or an object where a single value belongs.")
    if isinstance(value, str) and "\x00" in value:
        # PostgreSQL refuses NUL in text, and no field of ours holds one.
        raise Refused(f"{where} holds a NUL character.")
    try:
        return f.to_python(value)
    except ValidationError as e:
        raise Refused(f"{where}: {' '.join(e.messages)}") from e


def _rows(data: dict[str, Any], label: str) -> list[dict[str, Any]]:
    rows = data["models"].get(label, [])
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise Refused(f"The rows of {label} are not a list of objects.")
    return rows


def check_shape(data: Any) -> None:
    """The outline of data.json: the format, known models, an id and fields per row."""
    if not isinstance(data, dict) or not isinstance(data.get("models"), dict):
        raise Refused("data.json is not an export of Preceptor (it has no list of models).")
    if data.get("format") != FORMAT:
        raise Refused(
            f"data.json is in format {data.get('format')!r}; this Preceptor reads format {FORMAT}."
        )
    unknown = sorted(set(data["models"]) - set(OWNED))
    if unknown:
        raise Refused(
            f"data.json holds kinds of data this Preceptor does not know: {', '.join(unknown)}."
        )
    seen: set[str] = set()
    for label in data["models"]:
        model = apps.get_model(label)
        names = {
            f.name
            for f in model._meta.concrete_fields
            if kind_of(model, f) not in (PK, OWNER, IDENTIFIER)
        } | {f.name for f in m2m_fields(model)}
        rows = _rows(data, label)
        if is_singleton(model) and len(rows) > 1:
            raise Refused(f"data.json has {len(rows)} rows of {label}; an account has one.")
        for row in rows:
            row_id, values = row.get("id"), row.get("fields")
            if not isinstance(row_id, str) or not row_id.startswith(f"{label}:"):
                raise Refused(f"A row of {label} has no id of its own.")
            if row_id in seen:
                raise Refused(f"Two rows have the id {row_id}.")
            seen.add(row_id)
            if not isinstance(values, dict):
                raise Refused(f"{row_id} has no fields.")
            extra = sorted(set(values) - names)
            if extra:
                raise Refused(f"{row_id} has fields this Preceptor does not know: {extra}.")


def referenced_files(data: dict[str, Any]) -> dict[str, tuple[str, str, str]]:
    """Every document data.json names: path -> (model label, field, row id)."""
    out: dict[str, tuple[str, str, str]] = {}
    for label in data["models"]:
        model = apps.get_model(label)
        file_fields = [f.name for f in model._meta.concrete_fields if kind_of(model, f) == FILE]
        for row in _rows(data, label):
            for name in file_fields:
                value = row["fields"].get(name)
                if value is None:
                    continue
                path = value.get("file") if isinstance(value, dict) else None
                if not isinstance(path, str):
                    raise Refused(f"{row['id']}.{name} names no file.")
                if path in out:
                    raise Refused(f"Two rows name the same document {path}.")
                out[path] = (label, name, row["id"])
    return out


def load(user: Any, data: dict[str, Any], checked: dict[str, Any]) -> dict[str, int]:
    """Write every row of ``data`` for ``user``; ``checked`` maps each document's path to
    its checked bytes (a PdfInfo). Call inside a transaction: a refusal part-way leaves
    rows that only a rollback removes. Returns the rows written per model."""
    new_pk: dict[str, Any] = {}
    counts: dict[str, int] = {}
    pending_m2m: list[tuple[models.ManyToManyField, Any, list[Any]]] = []
    for model in owned_models():
        label = model._meta.label
        rows = _rows(data, label)
        if not rows:
            continue
        fields = [f for f in model._meta.concrete_fields if kind_of(model, f) != PK]
        described = documents.describing_fields(label)
        instances = []
        for row in rows:
            row_id, values = row["id"], row["fields"]
            obj = model()
            skip = []
            for f in fields:
                kind = kind_of(model, f)
                if kind == OWNER:
                    setattr(obj, f.attname, user.pk)
                    skip.append(f.name)
                    continue
                if kind == IDENTIFIER or f.name not in values:
                    continue
                value, where = values[f.name], _where(label, row_id, f.name)
                if kind == REF:
                    skip.append(f.name)
                    target = target_label(f)
                    pk = None if value is None else _ref(new_pk, value, target, where)
                    setattr(obj, f.attname, pk)
                elif kind == FILE:
                    skip.append(f.name)
                    if value is not None:
                        documents.apply(obj, f.name, checked[value["file"]])
                elif kind == JSON_REF:
                    if not isinstance(value, list):
                        raise Refused(f"{where} is not a list.")
                    target = JSON_REFERENCES[(label, f.name)]
                    setattr(obj, f.attname, [_ref(new_pk, v, target, where) for v in value])
                elif f.name not in described:
                    setattr(obj, f.attname, _load_value(model, f, value, where))
            _validate(obj, row_id, skip)
            instances.append(obj)
        _write(model, user, instances, rows)
        for row, obj in zip(rows, instances, strict=True):
            new_pk[row["id"]] = obj.pk
            for f in m2m_fields(model):
                targets = row["fields"].get(f.name) or []
                where = _where(label, row["id"], f.name)
                if not isinstance(targets, list):
                    raise Refused(f"{where} is not a list.")
                pks = [_ref(new_pk, t, target_label(f), where) for t in targets]
                pending_m2m.append((f, obj, pks))
        counts[label] = len(instances)
    for f, obj, pks in pending_m2m:
        getattr(obj, f.name).add(*pks)
    return counts


def _ref(new_pk: dict[str, Any], value: Any, target: str, where: str) -> Any:
    """The new key of the row ``value`` names, which must be a row of ``target`` in this
    export (so a reference can never reach a row of another account)."""
    if not isinstance(value, str) or not value.startswith(f"{target}:") or value not in new_pk:
        raise Refused(f"{where} refers to {value!r}, which is not a {target} in the export.")
    return new_pk[value]


def _validate(obj: models.Model, row_id: str, skip: list[str]) -> None:
    """The field rules (choices, lengths, ranges) and the model's own ``clean``. Empty
    text where a form would want some is let through: the app itself stores it (a first
    transition has no "from"), and the column takes it."""
    try:
        obj.full_clean(exclude=skip, validate_unique=False, validate_constraints=False)
    except ValidationError as e:
        problems = [
            f"{name}: {' '.join(err.messages)}"
            for name, errors in e.error_dict.items()
            for err in errors
            if err.code != "blank"
        ]
        if problems:
            raise Refused(f"{row_id} is not valid here ({'; '.join(problems)}).") from e


def _write(
    model: type[models.Model], user: Any, instances: list[Any], rows: list[dict[str, Any]]
) -> None:
    """Insert the rows without sending signals (the import rebuilds what they would), then
    put back the times that ``auto_now`` fields overwrote on the way in."""
    if is_singleton(model):
        # The account has one already (made at sign-up): fill it in; or make it now.
        existing = model._default_manager.filter(**{OWNED[model._meta.label]: user}).first()
        if existing is not None:
            obj, given = instances[0], rows[0]["fields"]
            changed = {
                f.attname: getattr(obj, f.attname)
                for f in model._meta.concrete_fields
                if f.name in given and kind_of(model, f) not in (PK, IDENTIFIER, OWNER)
            }
            model._default_manager.filter(pk=existing.pk).update(**changed)
            obj.pk = existing.pk
            return
    stamped = [
        f
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    times = [
        {f.attname: getattr(obj, f.attname) for f in stamped if f.name in row["fields"]}
        for obj, row in zip(instances, rows, strict=True)
    ]
    model._default_manager.bulk_create(instances)
    names = sorted({name for t in times for name in t})
    if names:
        for obj, t in zip(instances, times, strict=True):
            for name, value in t.items():
                setattr(obj, name, value)
        model._default_manager.bulk_update(instances, names, batch_size=200)
