"""Forms validate only; services make the changes."""

from __future__ import annotations

from typing import Any

from django import forms

from preceptor.letters import lifecycle, outcomes
from preceptor.letters.models import Application, DocumentKind, LetterRequest
from preceptor.lib.forms import DateInput


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = (
            "service",
            "specialty",
            "cycle",
            "title",
            "official_deadline",
            "personal_deadline_days",
            "programs",
            "instructions",
            "max_letters_override",
            "results_on",
            "uses_vault",
        )
        labels = {
            "official_deadline": "Official letter deadline",
            "personal_deadline_days": "Personal deadline: days before the official one",
            "max_letters_override": "Fewest letters any of your programs accepts",
            "results_on": "Results expected on",
            "uses_vault": "Keep letters in Preceptor's confidential vault and deliver them",
            "title": "Name",
        }
        help_texts = {
            "specialty": "For residency and fellowship applications.",
            "title": "Leave empty to use the service, specialty and year.",
            "uses_vault": "For direct applications (research positions, scholarships, jobs).",
        }
        widgets = {
            "official_deadline": DateInput(),
            "results_on": DateInput(),
            "programs": forms.Textarea(attrs={"rows": 4}),
            "instructions": forms.Textarea(attrs={"rows": 3}),
            "specialty": forms.TextInput(attrs={"list": "specialties"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["personal_deadline_days"].required = False
        self.fields["personal_deadline_days"].widget.attrs.update({"min": 7, "max": 14})
        self.fields["uses_vault"].required = False
        if not self.instance.pk:
            # A new application may leave it to the service's usual way.
            self.fields["uses_vault"] = forms.NullBooleanField(
                required=False,
                label="Use Preceptor's confidential letter vault",
                help_text="The usual way: the vault for direct and other applications, "
                "the portal otherwise.",
                widget=forms.Select(
                    choices=[
                        ("unknown", "The service's usual way"),
                        ("true", "Yes, through the vault"),
                        ("false", "No, the service's own portal"),
                    ]
                ),
            )

    def clean_personal_deadline_days(self) -> int:
        value = self.cleaned_data.get("personal_deadline_days")
        return 14 if value is None else value


class PlanRequestForm(forms.Form):
    mentor: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, empty_label="Choose a mentor"
    )
    kind = forms.ChoiceField(
        choices=LetterRequest.Kind.choices, initial="standard", label="Kind of letter"
    )
    category = forms.ChoiceField(
        choices=LetterRequest.Category.choices,
        required=False,
        label="Writer",
        help_text="Leave “Not said” and Preceptor guesses from the mentor's specialty.",
    )
    status = forms.ChoiceField(
        choices=[("planned", "Planned: I mean to ask"), ("candidate", "Candidate: maybe")],
        initial="planned",
    )

    def __init__(self, mentors: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["mentor"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = mentors
        from preceptor.letters.mentorlink import describe

        field.label_from_instance = describe  # type: ignore[assignment]


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(choices=[(s, lifecycle.LABELS[s]) for s in lifecycle.STATUSES])
    on = forms.DateField(
        required=False, widget=DateInput(), label="When", help_text="Leave empty for today."
    )
    ask_method = forms.ChoiceField(
        choices=[("", "—"), *LetterRequest.AskMethod.choices], required=False, label="How"
    )
    answer_note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="What they said"
    )
    letter_id = forms.CharField(required=False, max_length=64, label="Letter ID")
    submitted_confirmed_by = forms.ChoiceField(
        choices=[("", "—"), *LetterRequest.ConfirmedBy.choices],
        required=False,
        label="Confirmed by",
    )

    def transition_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        out: dict[str, Any] = {}
        to = data["to_status"]
        if to == "asked":
            out["ask_method"] = data.get("ask_method") or ""
        if to in ("agreed", "hesitant", "declined") and data.get("answer_note"):
            out["answer_note"] = data["answer_note"]
        if to == "form_sent" and data.get("letter_id"):
            out["letter_id"] = data["letter_id"]
        if to == "submitted" and data.get("submitted_confirmed_by"):
            out["submitted_confirmed_by"] = data["submitted_confirmed_by"]
        return out


class RequestEditForm(forms.Form):
    kind = forms.ChoiceField(choices=LetterRequest.Kind.choices, label="Kind of letter")
    category = forms.ChoiceField(
        choices=LetterRequest.Category.choices, required=False, label="Writer"
    )
    letter_id = forms.CharField(
        required=False,
        max_length=64,
        label="Letter ID",
        help_text="For ERAS: the ID on the letter request form.",
    )
    strengths = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        label="Strengths to highlight (4 to 6, one a line)",
        help_text="Choose what your programs value and this writer saw.",
    )
    achievement_ids = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Achievements for the brag sheet",
        help_text="None ticked: your latest eight.",
    )
    summary = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        label="Summary of our work together",
    )
    writer_reminders = forms.BooleanField(
        required=False, label="Send the writer polite reminders before my deadline"
    )
    notes = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Private notes"
    )

    def __init__(self, achievements: list[tuple[int, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["achievement_ids"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(pk), label) for pk, label in achievements]

    def clean_strengths(self) -> list[str]:
        items = [s.strip() for s in self.cleaned_data["strengths"].splitlines() if s.strip()]
        if len(items) > 6:
            raise forms.ValidationError(
                "Choose at most 6 strengths; a writer can speak to 4 to 6 of them well."
            )
        return items

    def clean_achievement_ids(self) -> list[int]:
        return [int(x) for x in self.cleaned_data["achievement_ids"]]


def _pdf_field(label: str = "PDF file") -> forms.FileField:
    return forms.FileField(
        label=label,
        help_text="A PDF of at most 10 MB, not password-protected.",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


class UploadForm(forms.Form):
    kind = forms.ChoiceField(choices=DocumentKind.choices, label="Document")
    file = _pdf_field()


class LibraryUploadForm(forms.Form):
    kind = forms.ChoiceField(choices=DocumentKind.choices, label="What it is")
    title = forms.CharField(
        max_length=120,
        required=False,
        label="Name",
        help_text="To tell two apart: “CV (research)”, “Statement for IM”.",
    )
    file = _pdf_field()


class VersionUploadForm(forms.Form):
    file = _pdf_field("New version (PDF)")


class RenameForm(forms.Form):
    title = forms.CharField(max_length=120, label="Name")


class UseDocumentForm(forms.Form):
    """Put a library document in an application's packet: always its latest version, or
    one chosen version. Values are "<document id>" or "<document id>:<version id>"."""

    choice = forms.ChoiceField(label="From your library")

    def __init__(self, documents: list[Any], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, Any]] = []
        for d in documents:
            versions = list(d.versions.all())
            if not versions:
                continue
            options = [
                (str(d.public_id), f"{d.title}: always the latest (version {versions[0].number})")
            ]
            if len(versions) > 1:
                options += [
                    (
                        f"{d.public_id}:{v.public_id}",
                        f"{d.title}: version {v.number}, uploaded {v.uploaded_at:%b %-d, %Y}",
                    )
                    for v in versions
                ]
            choices.append((str(d.get_kind_display()), options))
        field = self.fields["choice"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class WaiverForm(forms.Form):
    signed = forms.BooleanField(required=False)
    on = forms.DateField(required=False, widget=DateInput())


class OutcomeForm(forms.Form):
    program = forms.CharField(
        max_length=200,
        label="Program, school or position",
        widget=forms.TextInput(attrs={"list": "outcome-programs", "autocomplete": "off"}),
    )
    stage = forms.ChoiceField(choices=list(outcomes.STAGES.items()), label="What happened")
    interview_on = forms.DateField(required=False, widget=DateInput(), label="Interview date")
    rank = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=700,
        label="Your rank of them",
        help_text="For a Match: 1 is your first choice. Leave empty otherwise.",
    )


class RequestFormUpload(forms.Form):
    file = forms.FileField(
        label="The service's request form (PDF)",
        help_text="For example the ERAS Letter Request Form with this writer's letter ID; "
        "it goes first in this writer's packet.",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
