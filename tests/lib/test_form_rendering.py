"""The form renderer's Python fast path writes exactly what the templates write.

:class:`preceptor.lib.forms.FormRenderer` renders the field group, Django's input, textarea
and select widgets and empty error lists in Python. Each case here is rendered both ways —
the fast path, and the template engine with the fast path turned off — and must give the
same bytes: widgets of every kind with awkward attributes and values, fields with help,
errors, fieldsets and checkboxes, and every form on the site's pages for the demo account.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django import forms
from django.forms.renderers import TemplatesSetting, get_default_renderer
from django.test import Client
from django.utils.safestring import mark_safe

from preceptor.core import demo
from preceptor.letters.models import Application, LetterRequest
from preceptor.lib.forms import DateInput, FormRenderer
from preceptor.mentors.models import Mentor


def _slow(template_name: str, context: dict[str, Any]) -> str:
    return str(TemplatesSetting.render(get_default_renderer(), template_name, context))


def _fast(template_name: str, context: dict[str, Any]) -> str | None:
    renderer = get_default_renderer()
    assert isinstance(renderer, FormRenderer)
    return renderer.fast_render(template_name, context)


class _UnwrappedRadio(forms.RadioSelect):
    """Options without the wrapping label (Django's input_option.html allows it)."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return {**super().create_option(*args, **kwargs), "wrap_label": False}


class _Everything(forms.Form):
    name = forms.CharField(label="Name & title", help_text="As on <b>the</b> badge.")
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    empty_note = forms.CharField(required=False, widget=forms.Textarea)
    email = forms.EmailField(required=False, label="")
    count = forms.IntegerField(min_value=0, initial=1234567)
    ratio = forms.DecimalField(required=False, initial="1.5")
    on = forms.DateField(widget=DateInput(), required=False)
    agree = forms.BooleanField(required=False, label="I <agree>")
    hidden = forms.CharField(widget=forms.HiddenInput, initial='a "quoted" value')
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), initial="x<y")
    url = forms.URLField(
        required=False,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    kind = forms.ChoiceField(
        choices=[("", "---------"), ("a", "A & B"), (2027, 2027)], required=False
    )
    grouped = forms.ChoiceField(
        choices=[("Near", [("n1", "One"), ("n2", "Two")]), ("Far", [("f1", "<Far>")]), ("x", "X")]
    )
    many = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], required=False)
    radio = forms.ChoiceField(choices=[("y", "Yes"), ("n", "No")], widget=forms.RadioSelect)
    boxes = forms.MultipleChoiceField(
        choices=[("a", "A & B"), ("Group", [("g", "<G>"), ("h", "H")])],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "boxes"}),
        required=False,
    )
    grouped_radio = forms.ChoiceField(
        choices=[("Near", [("n1", "One")]), ("x", "X")], widget=forms.RadioSelect
    )
    unwrapped = forms.ChoiceField(choices=[("u", "U")], widget=_UnwrappedRadio, required=False)
    conditional = forms.CharField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["conditional"].conditional = True  # type: ignore[attr-defined]
        self.fields["name"].widget.attrs.update(
            {"autofocus": True, "disabled": False, "data-x": mark_safe("<safe>"), "maxlength": 80}
        )


def _label_contexts(bound: forms.BoundField) -> list[dict[str, Any]]:
    """The contexts ``label_tag`` and ``legend_tag`` render, with and without extras."""
    captured: list[dict[str, Any]] = []

    def capture(template_name: str, context: dict[str, Any]) -> str:
        captured.append(context)
        return ""

    form = bound.form
    original = form.render
    form.render = capture  # type: ignore[method-assign]
    try:
        bound.label_tag()
        bound.label_tag(contents=mark_safe("<b>Bold</b>"), attrs={"class": "x", "hidden": True})
        bound.label_tag(label_suffix=":", tag="span")
        bound.legend_tag()
    finally:
        form.render = original  # type: ignore[method-assign]
    return captured


def _compare_fields(form: forms.Form) -> int:
    """Every field's group and widget both ways; returns how many took the fast path."""
    fast_count = 0
    for bound in form:
        context = bound.get_context()
        fast = _fast(bound.template_name, context)
        assert fast is not None, bound.name
        assert fast == _slow(bound.template_name, context), bound.name
        for label_context in _label_contexts(bound):
            fast_label = _fast("django/forms/label.html", label_context)
            assert fast_label is not None
            assert fast_label == _slow("django/forms/label.html", label_context), bound.name
        widget = bound.field.widget
        widget_context = widget.get_context(
            bound.html_name, bound.value(), bound.build_widget_attrs({})
        )
        fast_widget = _fast(widget.template_name, widget_context)
        if fast_widget is not None:
            fast_count += 1
            assert fast_widget == _slow(widget.template_name, widget_context), bound.name
    return fast_count


def test_unbound_fields_and_widgets_render_the_same_both_ways() -> None:
    assert _compare_fields(_Everything()) == len(_Everything.base_fields)


def test_labels_without_ids_and_with_a_required_class_render_the_same_both_ways() -> None:
    class Plain(_Everything):
        required_css_class = "required"

    _compare_fields(Plain(auto_id=False))
    _compare_fields(Plain(label_suffix=" →"))


def test_bound_fields_with_errors_and_values_render_the_same_both_ways() -> None:
    form = _Everything(
        data={
            "name": "<script>",
            "note": "line\n<two>",
            "count": "-3",
            "kind": "2027",
            "grouped": "n2",
            "many": ["b"],
            "boxes": ["h", "a"],
            "grouped_radio": "n1",
            "agree": "on",
            "on": "2026-13-01",
        }
    )
    assert not form.is_valid()
    assert form.errors  # errors go through the templates, the empty lists through Python
    _compare_fields(form)


@pytest.fixture
def _storage(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.WRITERS_VAULT_DIR = str(tmp_path / "vault")
    settings.WRITERS_FILE_KEYS = [Fernet.generate_key().decode()]


# A CSRF token is masked afresh on every page (in the forms and in htmx's headers).
CSRF = re.compile(r"\b[A-Za-z0-9]{64}\b")


@pytest.mark.django_db
@pytest.mark.usefixtures("_storage")
def test_every_page_with_forms_renders_the_same_without_the_fast_path(monkeypatch: Any) -> None:
    user, _ = demo.seed(email="forms@example.org", password="x" * 16)
    mentor = Mentor.objects.filter(user=user).order_by("id").first()
    app = Application.objects.filter(user=user).order_by("id").first()
    req = LetterRequest.objects.filter(application__user=user).order_by("id").first()
    assert mentor and app and req
    urls = [
        "/dashboard/",
        "/mentors/",
        f"/mentors/{mentor.public_id}/",
        "/mentors/add/",
        "/letters/",
        f"/letters/applications/{app.public_id}/",
        "/letters/applications/new/",
        f"/letters/requests/{req.public_id}/",
        "/letters/documents/",
        "/calendar/",
        "/notifications/settings/",
        "/account/profile/",
        "/programs/",
        "/programs/profile/",
    ]
    client = Client()
    client.force_login(user)

    def pages() -> dict[str, str]:
        out = {}
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            out[url] = CSRF.sub("csrf", response.content.decode())
        return out

    fast = pages()
    monkeypatch.setattr(FormRenderer, "fast_render", lambda self, name, context: None)
    slow = pages()
    for url in urls:
        assert fast[url] == slow[url], url
    assert sum(page.count("<input") + page.count("<select") for page in fast.values()) > 100
