"""What an API input must be, taken from the model fields the forms are built on.

A page's form is a ``ModelForm`` (or copies a model field's rules), so it refuses what the
model field refuses: a null where the column has none, a string longer than its
``max_length``, a choice that is not one, a number outside its validators, a NUL byte.
``Rules(Model, "field")`` puts the same rules on an API schema field, where they are checked
before any service runs and documented in the OpenAPI document (``enum``, ``maxLength``,
``minimum``, ``maximum``, ``nullable``)::

    class ProfilePatch(Schema):
        full_name: Annotated[str | None, Rules(Profile, "full_name")] = None

The rules replace the Python annotation's type: in a PATCH schema ``str | None = None``
only means "may be left out"; an explicit null is refused unless the column is nullable
(``Rules(..., null=True)`` when the service gives null a meaning, such as "the default").

Text is stripped like a form strips it, and control characters are refused (a one-line
field refuses line breaks too). JSON types are taken as they are: ``"12"`` is not a
number, ``0`` is not ``false`` and a date is text (so ``Rules`` on a number or a flag suits
a JSON body, not a query string). ``OneLine``, ``Text`` and ``Date`` are the same rules for
inputs that are not a model field.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Optional
from uuid import UUID

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    GetCoreSchemaHandler,
    Strict,
    StringConstraints,
)
from pydantic_core import CoreSchema, PydanticCustomError

# Dates outside these years are typing mistakes (and years past 9999 cannot be stored).
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2100, 12, 31)
# The longest one-line value that is not a model field (a name, a key, a search term).
LINE_MAX = 200

# C0 control characters and DEL, except tab, line feed and carriage return.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_OR_BREAK = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\u2028\u2029]")


def plain_text(value: str) -> str:
    """Refuse NUL bytes and other control characters (tabs and line breaks are fine)."""
    if _CONTROL.search(value):
        raise PydanticCustomError(
            "control_character", "Remove the control characters (such as NUL) from this text."
        )
    return value


def one_line(value: str) -> str:
    """Refuse control characters and line breaks."""
    if _CONTROL_OR_BREAK.search(value):
        raise PydanticCustomError(
            "control_character", "Keep this to one line, without control characters (such as NUL)."
        )
    return value


def iso_date(value: Any) -> Any:
    """Take a date as JSON sends it, "2027-09-15"; not a number of seconds since 1970."""
    if not isinstance(value, str | dt.date):
        raise PydanticCustomError("date_type", "Give the date as text, like 2027-09-15.")
    return value


Date = Annotated[dt.date, BeforeValidator(iso_date), Field(ge=EARLIEST, le=LATEST)]
OneLine = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=LINE_MAX), AfterValidator(one_line)
]
Text = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(plain_text)]


@dataclass(frozen=True)
class Rules:
    """Annotated metadata: validate and document a schema field as ``model.name`` would be.

    ``null`` overrides the column's own nullability, for a service that reads null as
    "use the default".
    """

    model: type[models.Model]
    name: str
    null: bool | None = None

    def __get_pydantic_core_schema__(
        self, source_type: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        field = self.model._meta.get_field(self.name)
        assert isinstance(field, models.Field)
        kind = field_type(field)
        if field.null if self.null is None else self.null:
            kind = Optional[kind]  # noqa: UP045 (a runtime type, not an annotation)
        return handler.generate_schema(kind)


def field_type(field: models.Field[Any, Any]) -> Any:
    """The constrained Python type for one model field (without its nullability)."""
    extra: list[Any] = []
    if field.help_text:
        extra.append(Field(description=str(field.help_text)))
    if field.choices:
        values = [value for value, _ in field.flatchoices]
        if field.blank and "" not in values and isinstance(field, models.CharField):
            values.insert(0, "")
        return _annotate(Literal[tuple(values)], *extra)
    if isinstance(field, models.BooleanField):
        return Annotated[bool, Strict()]
    if isinstance(field, models.UUIDField):
        return UUID
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        return _annotate(Date, *extra)
    if isinstance(field, models.IntegerField):
        low, high = _limits(field)
        return _annotate(
            int, Strict(), Field(ge=low, le=high), AfterValidator(_django(field)), *extra
        )
    if isinstance(field, models.CharField | models.TextField):
        text_rule = one_line if isinstance(field, models.CharField) else plain_text
        return _annotate(
            str,
            Strict(),
            StringConstraints(
                strip_whitespace=True,
                min_length=0 if field.blank else 1,
                max_length=field.max_length,
            ),
            AfterValidator(text_rule),
            AfterValidator(_django(field)),
            *extra,
        )
    raise TypeError(f"No API rules for {type(field).__name__} {field.name}")


def _annotate(kind: Any, *metadata: Any) -> Any:
    return Annotated[(kind, *metadata)] if metadata else kind


def _limits(field: models.Field[Any, Any]) -> tuple[int | None, int | None]:
    """The tightest bounds among the field's validators (its own and the database's)."""
    lows = [v.limit_value for v in field.validators if isinstance(v, MinValueValidator)]
    highs = [v.limit_value for v in field.validators if isinstance(v, MaxValueValidator)]
    low = max((x for x in lows if isinstance(x, int)), default=None)
    high = min((x for x in highs if isinstance(x, int)), default=None)
    return low, high


def _django(field: models.Field[Any, Any]) -> Any:
    """Run the model field's own validators (email, time zone, ...) with their messages."""

    def check(value: Any) -> Any:
        try:
            field.run_validators(value)
        except DjangoValidationError as e:
            raise PydanticCustomError("invalid", " ".join(e.messages)) from e
        return value

    return check
