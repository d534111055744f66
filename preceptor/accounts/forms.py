"""Forms validate only; services make the changes."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import (
    AdminUserCreationForm as BaseAdminUserCreationForm,
)
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordResetForm,
)
from django.contrib.auth.forms import (
    UserChangeForm as BaseUserChangeForm,
)
from django.utils import timezone

from preceptor.accounts.models import Profile, User
from preceptor.lib import emails

# Common choices first, then every IANA zone, so the list is usable on a phone.
COMMON_ZONES = [
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Puerto_Rico",
    "America/Toronto",
    "UTC",
]


def time_zone_choices() -> list[tuple[str, Any]]:
    others = sorted(zoneinfo.available_timezones() - set(COMMON_ZONES))
    return [
        ("Common", [(z, z.replace("_", " ")) for z in COMMON_ZONES]),
        ("All time zones", [(z, z.replace("_", " ")) for z in others]),
    ]


SPECIALTIES = [
    "Anesthesiology",
    "Child Neurology",
    "Dermatology",
    "Diagnostic Radiology",
    "Emergency Medicine",
    "Family Medicine",
    "General Surgery",
    "Internal Medicine",
    "Internal Medicine/Pediatrics",
    "Interventional Radiology",
    "Neurological Surgery",
    "Neurology",
    "Obstetrics and Gynecology",
    "Orthopaedic Surgery",
    "Otolaryngology",
    "Pathology",
    "Pediatrics",
    "Physical Medicine and Rehabilitation",
    "Plastic Surgery (Integrated)",
    "Psychiatry",
    "Radiation Oncology",
    "Thoracic Surgery",
    "Urology",
    "Vascular Surgery",
]


class EmailAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That email and password do not match an account. Check both "
        "(the password is case-sensitive), or reset your password.",
    }
    username = forms.EmailField(
        label="Email", widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )

    def clean_username(self) -> str:
        return str(self.cleaned_data["username"]).strip().lower()


class SignUpForm(forms.Form):
    full_name = forms.CharField(
        max_length=200, required=False, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "An account with this email already exists. Log in, or reset the password."
            )
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "The two passwords are not the same.")
        elif p1:
            candidate = User(email=data.get("email", ""))
            try:
                password_validation.validate_password(p1, candidate)
            except forms.ValidationError as e:
                self.add_error("password1", e)
        return data


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        choices=time_zone_choices,
        help_text="Reminders and dates are shown in this time zone.",
    )

    class Meta:
        model = Profile
        fields = Profile.COMPLETENESS_FIELDS
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "school": forms.TextInput(attrs={"autocomplete": "organization"}),
            "specialty_of_interest": forms.TextInput(attrs={"list": "specialties"}),
            "graduation_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "target_cycle": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }

    def clean_target_cycle(self) -> int | None:
        value = self.cleaned_data.get("target_cycle")
        if value is not None and value < timezone.now().year - 1:
            raise forms.ValidationError(
                "That cycle is over. Enter the year of the season you are applying in."
            )
        return value


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label="I understand that my account and all my data will be deleted for good."
    )

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your current password.")
        return password


class EmailPasswordResetForm(PasswordResetForm):
    email = forms.EmailField(
        label="Email", max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        # Our triplet templates, sent by the background worker like every other email.
        emails.send("password-reset", to_email, context)


class AdminUserCreationForm(BaseAdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class AdminUserChangeForm(BaseUserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
