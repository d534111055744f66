from __future__ import annotations

from django import forms


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Export file (.zip)",
        help_text="A ZIP made by “Download your data” on any Preceptor.",
        widget=forms.ClearableFileInput(attrs={"accept": "application/zip,.zip"}),
    )
