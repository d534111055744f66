"""The site's form renderer: an empty choice reads as words, not Django's dashes."""

from __future__ import annotations

from django import forms


class _Form(forms.Form):
    degree = forms.ChoiceField(
        choices=[("", "---------"), ("MD", "MD")], required=False, label="Degree"
    )
    kind = forms.ChoiceField(choices=[("", "Not said"), ("a", "A")], label="Kind")


def test_an_empty_choice_reads_choose_and_others_keep_their_words() -> None:
    html = str(_Form())
    assert "---------" not in html
    assert '<option value="" selected>Choose…</option>' in html
    assert '<option value="">Not said</option>' in html or ">Not said</option>" in html
    assert '<option value="MD">MD</option>' in html


def test_a_model_form_blank_choice_reads_choose(db: None) -> None:
    from preceptor.letters.forms import ApplicationForm

    html = str(ApplicationForm()["service"])
    assert "---------" not in html and ">Choose…</option>" in html
