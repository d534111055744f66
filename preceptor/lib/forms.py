"""Form rendering: one field template for the whole site (label, help, errors, widget).

Rendering a field through Django's templates costs a template render for the field group,
one for the widget and one per option of a select; on the pages with edit forms that was a
quarter to two fifths of the page's time. :class:`FormRenderer` writes the same HTML in
Python for the templates every form here uses — ``includes/field.html``, Django's input,
textarea and select widgets (with this site's ``select_option.html``), radio buttons and
checkbox lists (``multiple_input.html``: four templates per option), labels
(``label_tag``) and an empty error list — and leaves every other template to the template engine.
``tests/core/test_form_rendering.py`` renders every form of the site both ways and requires
the same bytes, so a change to one of those templates fails there until this follows it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting
from django.utils.formats import localize
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]

from preceptor.lib import dates

FIELD_TEMPLATE = "includes/field.html"
WIDGETS = "django/forms/widgets/"
# Django's widget templates that are exactly ``{% include ".../input.html" %}``.
INPUT_TEMPLATES = frozenset(
    f"{WIDGETS}{name}.html"
    for name in [
        "input",
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "file",
        "hidden",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    ]
)
SELECT_TEMPLATE = f"{WIDGETS}select.html"
OPTION_TEMPLATE = f"{WIDGETS}select_option.html"
TEXTAREA_TEMPLATE = f"{WIDGETS}textarea.html"
# Radio buttons and checkbox lists: Django's multiple_input.html, with each option's own
# template (exactly ``{% include ".../input_option.html" %}``).
MULTIPLE_TEMPLATES = {
    f"{WIDGETS}radio.html": f"{WIDGETS}radio_option.html",
    f"{WIDGETS}checkbox_select.html": f"{WIDGETS}checkbox_option.html",
}
ERRORS_TEMPLATE = "django/forms/errors/list/default.html"
LABEL_TEMPLATE = "django/forms/label.html"
EMPTY_CHOICE = "---------"


def _out(value: Any) -> str:
    """``{{ value }}``: localised and escaped unless already safe."""
    return str(conditional_escape(localize(template_localtime(value))))


def _stringformat(value: Any) -> str:
    """``{{ value|stringformat:'s' }}`` (a filter marked safe: safe input stays unescaped)."""
    text = "%s" % (str(value) if isinstance(value, tuple) else value)
    return text if isinstance(value, SafeData) else str(escape(text))


def _attrs(attrs: dict[str, Any]) -> str:
    """Django's ``attrs.html``."""
    out = []
    for name, value in attrs.items():
        if value is not False:
            out.append(" " + _out(name))
            if value is not True:
                out.append(f'="{_stringformat(value)}"')
    return "".join(out)


def _input(widget: dict[str, Any]) -> str:
    value = widget["value"]
    shown = f' value="{_stringformat(value)}"' if value != None else ""  # noqa: E711 (as the template)
    return (
        f'<input type="{_out(widget["type"])}" name="{_out(widget["name"])}"{shown}'
        f"{_attrs(widget['attrs'])}>"
    )


def _textarea(widget: dict[str, Any]) -> str:
    value = widget["value"]
    return (
        f'<textarea name="{_out(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{_out(value) if value else ''}</textarea>"
    )


def _option(option: dict[str, Any]) -> str:
    """This site's ``select_option.html`` (the empty choice in words), trailing newline
    included: Django's select template includes it as it is."""
    label = option["label"]
    text = "Choose…" if label == EMPTY_CHOICE else _out(label)
    return (
        f'<option value="{_stringformat(option["value"])}"{_attrs(option["attrs"])}>'
        f"{text}</option>\n"
    )


def _grouped(
    widget: dict[str, Any],
    option_template: str,
    render: Callable[[dict[str, Any]], str],
    group_open: str,
    group_close: str,
) -> list[str] | None:
    """The options of a choice widget, each through ``render``, their groups opened with
    ``group_open`` (``{}``: the group's name) and closed with ``group_close``; None when an
    option has a template of its own."""
    out = []
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(group_open.format(_out(group_name)))
        for option in group_choices:
            if option.get("template_name") != option_template:
                return None
            out.append(render(option))
        if group_name:
            out.append(group_close)
    return out


def _select(widget: dict[str, Any]) -> str | None:
    options = _grouped(
        widget,
        OPTION_TEMPLATE,
        lambda option: "\n  " + _option(option),
        '\n  <optgroup label="{}">',
        "\n  </optgroup>",
    )
    if options is None:
        return None
    head = f'<select name="{_out(widget["name"])}"{_attrs(widget["attrs"])}>'
    return head + "".join(options) + "\n</select>"


def _input_option(option: dict[str, Any]) -> str:
    """Django's ``input_option.html``, its trailing newline included (the option's own
    template, which includes it, adds one more)."""
    if not option["wrap_label"]:
        return _input(option) + "\n\n"
    label_id = option["attrs"].get("id")
    label_for = f' for="{_out(label_id)}"' if label_id else ""
    return f"<label{label_for}>{_input(option)}\n {_out(option['label'])}</label>\n"


def _multiple(widget: dict[str, Any], option_template: str) -> str | None:
    """Django's ``multiple_input.html`` (radio buttons, checkbox lists)."""
    options = _grouped(
        widget,
        option_template,
        lambda option: f"<div>\n    {_input_option(option)}\n</div>",
        "\n  <div><label>{}</label>",
        "\n  </div>",
    )
    if options is None:
        return None
    attrs = widget["attrs"]
    box_id, box_class = attrs.get("id"), attrs.get("class")
    head = (
        "<div"
        + (f' id="{_out(box_id)}"' if box_id else "")
        + (f' class="{_out(box_class)}"' if box_class else "")
        + ">"
    )
    return head + "".join(options) + "\n</div>"


def _label(context: dict[str, Any]) -> str:
    """Django's ``label.html`` (``{{ field.label_tag }}``)."""
    label = _out(context["label"])
    if not context["use_tag"]:
        return label.strip()
    tag = _out(context["tag"])
    return f"<{tag}{_attrs(context['attrs'] or {})}>{label}</{tag}>".strip()


def _field(field: Any) -> str:
    """``includes/field.html``."""
    label = field.label
    inner = field.field
    optional = (
        ' <span class="optional">(optional)</span>'
        if not inner.required and not getattr(inner, "conditional", "")
        else ""
    )
    checkbox = field.widget_type == "checkbox"
    out = []
    if field.use_fieldset:
        out.append("<fieldset>")
        if label:
            out.append(f"<legend>{_out(label)}{optional}</legend>")
        out.append("\n")
    elif checkbox:
        out.append(
            f'<div class="checkbox-row">{field} <label for="{_out(field.id_for_label)}">'
            f"{_out(label)}</label></div>\n"
        )
    elif label:
        out.append(f'<label for="{_out(field.id_for_label)}">{_out(label)}{optional}</label>\n')
    help_text = field.help_text
    if help_text:
        out.append(f'<div class="helptext" id="{_out(field.auto_id)}_helptext">{help_text}</div>\n')
    out.append(str(conditional_escape(field.errors)))
    if not checkbox:
        out.append(f"\n{field}")
    if field.use_fieldset:
        out.append("</fieldset>")
    return "".join(out).strip()


class FormRenderer(TemplatesSetting):
    field_template_name = FIELD_TEMPLATE

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        html = self.fast_render(template_name, context)
        if html is None:
            return str(super().render(template_name, context, request))
        return html

    def fast_render(self, template_name: str, context: dict[str, Any]) -> str | None:
        """The HTML of the templates written in Python here, or None for any other."""
        if template_name == FIELD_TEMPLATE and set(context) == {"field"}:
            return _field(context["field"])
        widget = context.get("widget")
        if widget is not None and len(context) == 1:
            if template_name in INPUT_TEMPLATES:
                return _input(widget)
            if template_name == TEXTAREA_TEMPLATE:
                return _textarea(widget)
            if template_name == SELECT_TEMPLATE:
                return _select(widget)
            if template_name in MULTIPLE_TEMPLATES:
                return _multiple(widget, MULTIPLE_TEMPLATES[template_name])
        if template_name == LABEL_TEMPLATE and set(context) == {
            "field",
            "label",
            "attrs",
            "use_tag",
            "tag",
        }:
            return _label(context)
        if template_name == ERRORS_TEMPLATE and not context.get("errors"):
            return ""
        return None


class DateInput(forms.DateInput):
    """The browser's date picker, bounded to the dates :mod:`preceptor.lib.dates` accepts."""

    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        attrs = {"min": dates.EARLIEST.isoformat(), "max": dates.LATEST.isoformat()}
        attrs.update(kwargs.pop("attrs", None) or {})
        super().__init__(format="%Y-%m-%d", attrs=attrs, **kwargs)
