"""Forms validate only; services make the changes (and repeat the checks that matter)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from preceptor.lib.forms import DateInput
from preceptor.mentors.models import Achievement, Interaction, Mentor, SupervisionPeriod
from preceptor.mentors.readiness import SERVICES


class MentorForm(forms.ModelForm):
    tags = forms.CharField(
        required=False,
        max_length=600,
        help_text="Separate tags with commas, for example “cardiology, research”.",
    )

    class Meta:
        model = Mentor
        fields = [
            "full_name",
            "title",
            "degree",
            "role",
            "specialty",
            "department",
            "institution",
            "email",
            "phone",
            "how_we_met",
            "met_on",
            "faculty",
            "prominence",
            "network_role",
            "status",
            "accessibility_notes",
            "cadence_ideal_days",
            "cadence_max_days",
            "notes",
        ]
        labels = {
            "full_name": "Name",
            "cadence_ideal_days": "Ideal days between contacts",
            "cadence_max_days": "Maximum days between contacts",
        }
        help_texts = {
            "full_name": "Without the title, for example “Ana Ortiz”.",
            "cadence_ideal_days": "Leave empty for the default: about weekly while you work "
            "together, every 4 weeks otherwise.",
            "cadence_max_days": "Leave empty for the default: 2 weeks while you work together, "
            "8 weeks otherwise.",
        }
        widgets = {
            "met_on": DateInput(),
            "how_we_met": forms.Textarea(attrs={"rows": 2}),
            "accessibility_notes": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["tags"] = ", ".join(t.name for t in self.instance.tags.all())
        self.fields["prominence"].choices = Mentor.Prominence.choices  # type: ignore[attr-defined]
        self.fields["specialty"].widget.attrs["list"] = "specialty-options"
        for name in ("cadence_ideal_days", "cadence_max_days"):
            self.fields[name].widget.attrs.update({"min": 1, "max": 730})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        ideal, maximum = data.get("cadence_ideal_days"), data.get("cadence_max_days")
        if ideal and maximum and maximum < ideal:
            self.add_error(
                "cadence_max_days", "The maximum interval cannot be shorter than the ideal one."
            )
        return data

    def _post_clean(self) -> None:
        # Model validation happens in the service (with the duplicate check); skip the
        # ModelForm's own instance validation so the form stays validation of input only.
        pass


class InteractionForm(forms.ModelForm):
    action_items = forms.CharField(
        label="What they suggested you do",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One per line; each becomes an action item to follow through and report back.",
    )

    class Meta:
        model = Interaction
        fields = [
            "occurred_on",
            "kind",
            "initiated_by",
            "summary",
            "advice",
            "example",
            "gave_back",
            "was_ask",
        ]
        widgets = {
            "occurred_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 2}),
            "advice": forms.Textarea(attrs={"rows": 2}),
            "example": forms.Textarea(attrs={"rows": 2}),
            "gave_back": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, today: dt.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        if today and not self.is_bound and not self.instance.pk:
            self.initial.setdefault("occurred_on", today)
        if today:
            self.fields["occurred_on"].widget.attrs["max"] = today.isoformat()

    def clean_occurred_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["occurred_on"]
        if self.today and value > self.today:
            raise forms.ValidationError("The date cannot be in the future.")
        return value

    def action_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("action_items", "").splitlines()]

    def _post_clean(self) -> None:
        pass


class PeriodForm(forms.ModelForm):
    class Meta:
        model = SupervisionPeriod
        fields = ["kind", "title", "start", "end", "description"]
        widgets = {
            "start": DateInput(),
            "end": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The end date cannot be before the start date.")
        return data

    def _post_clean(self) -> None:
        pass


class ActionItemForm(forms.Form):
    text = forms.CharField(label="What they suggested", max_length=300)
    due_on = forms.DateField(label="Due", required=False, widget=DateInput())


class ActionUpdateForm(forms.Form):
    op = forms.ChoiceField(
        choices=[(o, o) for o in ("done", "decline", "reopen", "report", "delete")]
    )
    reason = forms.CharField(required=False, max_length=2000)


class SnoozeForm(forms.Form):
    until = forms.DateField(label="Snooze until", required=False, widget=DateInput())
    clear = forms.BooleanField(required=False)


class AchievementForm(forms.ModelForm):
    class Meta:
        model = Achievement
        fields = ["title", "kind", "achieved_on", "description", "share_in_updates"]
        widgets = {
            "achieved_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 2}),
        }

    def _post_clean(self) -> None:
        pass


SERVICE_LABELS = {
    "eras": "ERAS residency",
    "eras_fellowship": "ERAS fellowship",
    "amcas": "AMCAS (MD schools)",
    "aacomas": "AACOMAS (DO schools)",
    "tmdsas": "TMDSAS (Texas)",
    "carms": "CaRMS (Canada)",
    "direct": "Direct to a program",
    "other": "Other (jobs, research, scholarships)",
}


class TargetForm(forms.Form):
    service = forms.ChoiceField(
        label="Applying through", choices=[(s, SERVICE_LABELS[s]) for s in SERVICES], required=False
    )
    specialty = forms.CharField(label="Specialty", max_length=100, required=False)


class ListFilterForm(TargetForm):
    SORTS = [
        ("urgency", "Most overdue first"),
        ("readiness", "Most ready to write first"),
        ("name", "Name"),
    ]
    q = forms.CharField(label="Search", required=False, max_length=100)
    status = forms.ChoiceField(choices=[("", "Any status"), *Mentor.Status.choices], required=False)
    role = forms.ChoiceField(choices=[("", "Any role"), *Mentor.Role.choices], required=False)
    tag = forms.CharField(required=False, max_length=40)
    sort = forms.ChoiceField(choices=SORTS, required=False)


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="A spreadsheet saved as CSV (UTF-8). At most 10,000 rows and 2 MB.",
    )
