from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms

from preceptor.accounts.models import validate_time_zone
from preceptor.notify.models import Interview, Preferences


def time_zone_choices() -> list[tuple[str, str]]:
    return [(z, z.replace("_", " ")) for z in sorted(zoneinfo.available_timezones())]


class PreferencesForm(forms.ModelForm):
    time_zone = forms.CharField(
        label="Time zone",
        validators=[validate_time_zone],
        help_text="Reminders arrive at the hour below in this zone, daylight saving included.",
        widget=forms.Select(choices=time_zone_choices()),
    )

    class Meta:
        model = Preferences
        fields = ("delivery", "digest_weekday", "digest_hour", "time_zone", "paused", "feed_alarms")
        widgets = {"delivery": forms.RadioSelect}

    digest_hour = forms.TypedChoiceField(
        label="Hour of the day",
        coerce=int,
        choices=[(h, f"{h:02d}:00") for h in range(24)],
        help_text="In your time zone. Same-day emails are sent at this hour too.",
    )

    def __init__(self, *args: Any, time_zone: str = "UTC", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].initial = time_zone


class InterviewForm(forms.ModelForm):
    class Meta:
        model = Interview
        fields = ("program", "on", "location", "notes")
        widgets = {
            "on": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
