"""Forms validate only; the services make the changes.

Every form that changes something carries a one-time ``nonce``: the service records it with
the change, so a replayed form (a double click, the back button, a resent request) does
nothing the second time and says so.
"""

from __future__ import annotations

import secrets
from typing import Any

from django import forms

from preceptor.writers import services


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


class NonceForm(forms.Form):
    nonce = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("nonce", new_nonce())


class AnswerForm(NonceForm):
    answer = forms.ChoiceField(
        label="Your answer",
        choices=[
            ("agreed", "Yes, I can write a strong letter"),
            ("declined", "I'm sorry, I can't write this letter"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose one of the two answers."},
    )
    note = forms.CharField(
        label="A note for the applicant",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class UploadForm(NonceForm):
    # What the page said about confidentiality when it was shown ("yes" or "no"): the
    # upload is refused if the applicant changed the waiver since.
    confidential = forms.ChoiceField(
        choices=[("yes", "yes"), ("no", "no")], widget=forms.HiddenInput, required=False
    )
    letter = forms.FileField(
        label="Your letter (PDF)",
        help_text="One PDF, at most 10 MB, not password-protected.",
        error_messages={
            "required": "Choose the letter's PDF file.",
            "empty": "The file you chose is empty.",
            "invalid": "That is not a file; choose the letter's PDF.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_letter(self) -> Any:
        f = self.cleaned_data["letter"]
        if f.size > services.MAX_LETTER_BYTES:
            # Refuse before reading: the size is known from the upload itself.
            raise forms.ValidationError(
                f"The letter is {f.size / services.MB:.1f} MB; the limit is 10 MB."
            )
        return f

    @property
    def confidential_seen(self) -> bool:
        # A form without the field (a page cached from before it existed, a hand-made
        # request) counts as having promised confidentiality: the safe reading.
        return getattr(self, "cleaned_data", {}).get("confidential") != "no"


class DeliveryForm(NonceForm):
    name = forms.CharField(
        label="Recipient",
        max_length=200,
        help_text="The program, committee or person the letter is for.",
    )
    email = forms.EmailField(label="Recipient's email", max_length=254)
    max_downloads = forms.IntegerField(
        label="Downloads allowed",
        min_value=1,
        max_value=services.MAX_DELIVERY_DOWNLOADS,
        initial=services.DELIVERY_DOWNLOADS,
    )
    valid_days = forms.IntegerField(
        label="Link open for (days)",
        min_value=1,
        max_value=services.MAX_DELIVERY_DAYS,
        initial=services.DELIVERY_DAYS,
    )


class LinkForm(NonceForm):
    action = forms.ChoiceField(choices=[("email", "email"), ("copy", "copy")])
