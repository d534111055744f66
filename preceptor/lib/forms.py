"""Form rendering: one field template for the whole site (label, help, errors, widget)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting

from preceptor.lib import dates


class FormRenderer(TemplatesSetting):
    field_template_name = "includes/field.html"


class DateInput(forms.DateInput):
    """The browser's date picker, bounded to the dates :mod:`preceptor.lib.dates` accepts."""

    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        attrs = {"min": dates.EARLIEST.isoformat(), "max": dates.LATEST.isoformat()}
        attrs.update(kwargs.pop("attrs", None) or {})
        super().__init__(format="%Y-%m-%d", attrs=attrs, **kwargs)
