"""SmartPick forms: validation only; services save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from . import figures
from .models import ApplicantProfile
from .recommend import WISHES, signal_allowance_text

STATE_CHOICES = [("", "—")] + [(s[0], f"{s[1]} ({s[0]})") for s in figures.STATES]


def _limits(field: forms.Field, low: int, high: int, message: str) -> None:
    """Check a field's model limits on the form field as well, with a plain message for
    the lower one (a ModelForm also words the model validator's error with the form
    field's message of that code)."""
    field.validators += [MinValueValidator(low), MaxValueValidator(high)]
    field.error_messages["min_value"] = message


def parse_states(value: str, label: str) -> list[str]:
    codes = [c.strip().upper() for c in value.replace(";", ",").split(",") if c.strip()]
    bad = [c for c in codes if c not in figures.STATE_CODES]
    if bad:
        raise forms.ValidationError(
            f"{label}: {', '.join(bad)} {'is not a' if len(bad) == 1 else 'are not'} "
            "two-letter state code(s). Use codes like NY, CA, TX."
        )
    return sorted(set(codes))


# The words a preference line may use for each level (WISHES), lower case.
WISH_WORDS = {
    "dream": "dream",
    "like": "like",
    "would like": "like",
    "fine": "fine",
    "avoid": "avoid",
    "rather not": "avoid",
    "would rather not": "avoid",
}


def parse_wishes(text: str, codes: set[str] | None) -> dict[str, str]:
    r"""Lines of "NRMP code, level" (comma or spaces) into {code: level}. ``codes``: the
    catalogue's program codes, to refuse a code that does not exist (None: not checked).

    >>> parse_wishes("1234140C0 dream\n5678140C0, would rather not", None)
    {'1234140C0': 'dream', '5678140C0': 'avoid'}
    """
    out: dict[str, str] = {}
    problems = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        code, _, word = line.replace(",", " ").partition(" ")
        code, word = code.strip().upper(), " ".join(word.lower().split())
        if word not in WISH_WORDS:
            problems.append(
                f"line {n}: say dream, would like, fine or would rather not after the code"
            )
        elif codes is not None and code not in codes:
            problems.append(f"line {n}: no program with the code {code} is in the catalogue")
        else:
            out[code] = WISH_WORDS[word]
    if problems:
        text = "; ".join(problems)
        raise forms.ValidationError(text[0].upper() + text[1:] + ".")
    return {c: w for c, w in out.items() if w != "fine"}


class ProfileForm(forms.ModelForm):
    tie_states_text = forms.CharField(
        label="States where you have ties",
        required=False,
        help_text="Family, partner or past training there. Two-letter codes, e.g. OH, MI.",
    )
    preferred_states_text = forms.CharField(
        label="Preferred states",
        required=False,
        help_text="Only programs in these states (and your home, school and tie states). "
        "Leave empty for anywhere.",
    )
    preferred_regions = forms.MultipleChoiceField(
        label="Preferred regions",
        required=False,
        choices=[(r, r) for r in figures.REGIONS],
        widget=forms.CheckboxSelectMultiple,
    )

    program_wishes_text = forms.CharField(
        label="Programs you feel strongly about",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One per line: the NRMP program code, then dream, would like, fine or "
        "would rather not (for example 1234140C0 dream). You can also mark programs on "
        "your list.",
    )

    class Meta:
        model = ApplicantProfile
        fields = [
            "applicant_type",
            "target_specialty",
            "backup_specialty",
            "step2_score",
            "comlex2_score",
            "step1",
            "extra_attempts",
            "red_flags",
            "research_items",
            "honors",
            "usce_months",
            "needs_visa",
            "home_state",
            "school_state",
            "max_distance_miles",
            "program_size",
            "program_setting",
            "visa_sponsor_wanted",
            "criteria_mode",
            "couples",
            "partner_specialty",
            "partner_constraint",
            "budget_mode",
            "budget_applications",
            "budget_dollars",
            "signals_gold",
            "signals_silver",
            "match_floor",
        ]
        labels = {
            "applicant_type": "You are",
            "step2_score": "Step 2 CK score",
            "comlex2_score": "COMLEX Level 2-CE score (if you have no Step 2 CK)",
            "budget_applications": "Budget: number of applications",
            "budget_dollars": "Budget: dollars for ERAS fees",
            "signals_gold": "Gold signals available",
            "signals_silver": "Silver signals available",
            "home_state": "Home state",
            "partner_specialty": "Partner's specialty",
            "partner_constraint": "Where your partner must be",
            "visa_sponsor_wanted": "Programs that sponsor visas (or may: sponsorship unknown)",
            "criteria_mode": "How to use the place, size, setting and visa choices above",
            "match_floor": "The chance of matching you want at least (%)",
        }
        help_texts = {
            "comlex2_score": "Converted to a Step 2 CK equivalent (an estimate; see the notes).",
            "budget_dollars": figures.ERAS_FEE_SOURCE,
            "signals_gold": "The number your specialty allows this cycle (ERAS signal table).",
            "target_specialty": "As named in the catalogue, e.g. Internal Medicine.",
            "criteria_mode": "Only: the list keeps to programs that meet them. Prefer: any "
            "program can be on the list, and those that meet them count as ones you would "
            "like. With no choices at all, every program counts the same.",
            "match_floor": "The list goes for the programs you want most while keeping at "
            "least this chance of matching anywhere (50 to 99; 90 if you are unsure).",
        }
        widgets = {
            "home_state": forms.Select(choices=STATE_CHOICES),
            "school_state": forms.Select(choices=STATE_CHOICES),
        }

    def __init__(
        self,
        *args: Any,
        specialties: list[str],
        program_codes: set[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.specialties = specialties
        self.program_codes = program_codes
        for name in ("extra_attempts", "research_items", "usce_months"):
            self.fields[name].required = False
        # Left out (an older form, a script): the defaults, as for the signals.
        for name in ("signals_gold", "signals_silver", "match_floor", "criteria_mode"):
            self.fields[name].required = False
        _limits(self.fields["match_floor"], 50, 99, "The chance you want is at least 50%%.")
        self.fields["match_floor"].error_messages["max_value"] = (
            "The chance you want is at most 99%%: no list makes a match certain."
        )
        # Required in one case only: not marked "(optional)" (templates/includes/field.html).
        for name in ("step2_score", "budget_applications", "budget_dollars"):
            self.fields[name].conditional = True  # type: ignore[attr-defined]
        self.fields[
            "step2_score"
        ].help_text = "Required unless you give a COMLEX Level 2-CE score instead."
        self.fields[
            "budget_applications"
        ].help_text = "Required when your budget is a number of applications."
        # The model's limits, checked on the form fields too, so that clean() sees which
        # fields failed them (the model's own check runs after clean()).
        _limits(self.fields["budget_applications"], 1, 400, "A budget is at least one application.")
        _limits(
            self.fields["max_distance_miles"],
            10,
            6000,
            "A maximum distance is at least 10 miles; leave it empty for no limit.",
        )
        # Where you want to be, together: home, school, ties, preferred states and regions,
        # then the distance from home.
        order = list(self.fields)
        places = ["tie_states_text", "preferred_states_text", "preferred_regions"]
        rest = [f for f in order if f not in places]
        at = rest.index("max_distance_miles")
        order = rest[:at] + places + rest[at:]
        order.remove("program_wishes_text")
        order.insert(order.index("criteria_mode") + 1, "program_wishes_text")
        self.order_fields(order)
        spec_list = {"list": "smartpick-specialties", "autocomplete": "off"}
        for name in ("target_specialty", "backup_specialty", "partner_specialty"):
            self.fields[name].widget.attrs.update(spec_list)
        # A visitor's profile (from the session) has no primary key: fill these in too.
        if not self.is_bound:
            self.initial["tie_states_text"] = ", ".join(self.instance.tie_states)
            self.initial["preferred_states_text"] = ", ".join(self.instance.preferred_states)
            self.initial["preferred_regions"] = self.instance.preferred_regions
            self.initial["program_wishes_text"] = "\n".join(
                f"{code} {WISHES[level][0].lower()}"
                for code, level in sorted((self.instance.program_wishes or {}).items())
                if level in WISHES
            )

    def _specialty(self, name: str, label: str) -> str:
        value = (self.cleaned_data.get(name) or "").strip()
        if not value:
            return value
        match = next((s for s in self.specialties if s.lower() == value.lower()), None)
        if match is None:
            raise forms.ValidationError(
                f"“{value}” is not a specialty in the program catalogue. "
                "Pick one from the list, for example Internal Medicine."
            )
        return match

    def clean_target_specialty(self) -> str:
        return self._specialty("target_specialty", "Target specialty")

    def clean_backup_specialty(self) -> str:
        return self._specialty("backup_specialty", "Backup specialty")

    def clean_partner_specialty(self) -> str:
        return self._specialty("partner_specialty", "Partner's specialty")

    def clean_tie_states_text(self) -> list[str]:
        return parse_states(self.cleaned_data.get("tie_states_text", ""), "Ties")

    def clean_program_wishes_text(self) -> dict[str, str]:
        return parse_wishes(self.cleaned_data.get("program_wishes_text", ""), self.program_codes)

    def clean_preferred_states_text(self) -> list[str]:
        return parse_states(self.cleaned_data.get("preferred_states_text", ""), "Preferred states")

    def _state(self, name: str, label: str) -> str:
        value = (self.cleaned_data.get(name) or "").strip().upper()
        if value and value not in figures.STATE_CODES:
            raise forms.ValidationError(f"{label}: choose a state from the list.")
        return value

    def clean_home_state(self) -> str:
        return self._state("home_state", "Home state")

    def clean_school_state(self) -> str:
        return self._state("school_state", "School state")

    def clean_step2_score(self) -> int | None:
        v = self.cleaned_data.get("step2_score")
        if v is not None and not 180 <= v <= 300:
            raise forms.ValidationError("A Step 2 CK score is between 180 and 300.")
        return v

    def clean_comlex2_score(self) -> int | None:
        v = self.cleaned_data.get("comlex2_score")
        if v is not None and not 200 <= v <= 999:
            raise forms.ValidationError("A COMLEX Level 2-CE score is between 200 and 999.")
        return v

    def _fine(self, *names: str) -> bool:
        """None of these fields has an error already (so a check across them makes sense)."""
        return not any(name in self.errors for name in names)

    def clean(self) -> dict[str, Any]:
        # Every check across fields runs even when another field is wrong, so that one
        # submit shows every problem; each skips the fields that failed on their own.
        data: dict[str, Any] = super().clean() or {}
        if (
            self._fine("step2_score", "comlex2_score")
            and data.get("step2_score") is None
            and data.get("comlex2_score") is None
        ):
            self.add_error("step2_score", "Enter your Step 2 CK score, or a COMLEX Level 2-CE.")
        if (
            self._fine("backup_specialty", "target_specialty")
            and data.get("backup_specialty")
            and data.get("backup_specialty") == data.get("target_specialty")
        ):
            self.add_error("backup_specialty", "The backup specialty is the same as the target.")
        budget_fine = self._fine("budget_mode", "budget_applications", "budget_dollars")
        if budget_fine and data.get("budget_mode") == ApplicantProfile.Budget.APPLICATIONS:
            if not data.get("budget_applications"):
                self.add_error("budget_applications", "A budget is at least one application.")
        elif budget_fine and figures.max_applications_for(data.get("budget_dollars") or 0) < 1:
            self.add_error(
                "budget_dollars",
                "That does not pay for one application: ERAS charges $11 for each of the first 30.",
            )
        if data.get("couples"):
            if self._fine("partner_specialty") and not data.get("partner_specialty"):
                self.add_error("partner_specialty", "Name your partner's specialty.")
            if self._fine("partner_constraint") and not data.get("partner_constraint"):
                self.add_error("partner_constraint", "Say where your partner must be.")
        if (
            self._fine("home_state", "max_distance_miles")
            and data.get("max_distance_miles")
            and not data.get("home_state")
        ):
            self.add_error("home_state", "A maximum distance needs your home state.")
        self._check_places(data)
        self._check_signals(data)
        return data

    def _check_signals(self, data: dict[str, Any]) -> None:
        """No more signals than the specialty allows (ERAS signal table [reported])."""
        spec = figures.specialty(data.get("target_specialty") or "")
        if spec is None or not self._fine("target_specialty"):
            return
        allowed = signal_allowance_text(spec.name)
        gold, silver = data.get("signals_gold") or 0, data.get("signals_silver") or 0
        if self._fine("signals_gold") and gold > spec.signals_gold:
            self.add_error(
                "signals_gold",
                f"{spec.name} allows {allowed}; you entered {gold} "
                f"{'gold ' if spec.signals_silver else ''}signal{'s' if gold != 1 else ''}.",
            )
        if self._fine("signals_silver") and silver > spec.signals_silver:
            self.add_error(
                "signals_silver",
                f"{spec.name} allows {allowed}"
                + ("; enter them as gold signals." if not spec.signals_silver else "")
                + ("" if not spec.signals_silver else f"; you entered {silver} silver."),
            )

    def _check_places(self, data: dict[str, Any]) -> None:
        """Preferences that leave no place at all contradict each other."""
        home = data.get("home_state") or ""
        states = set(data.get("preferred_states_text") or [])
        limit = data.get("max_distance_miles")
        if not self._fine("home_state", "preferred_states_text", "max_distance_miles"):
            return
        if limit and home and states:
            lat0, lon0 = figures.STATE_COORDS[home]
            near = [
                s
                for s in states
                if figures.haversine_miles(lat0, lon0, *figures.STATE_COORDS[s]) <= limit + 150
            ]
            if not near:
                self.add_error(
                    "max_distance_miles",
                    f"Every preferred state is more than {limit} miles from {home}: "
                    "raise the distance or change the states.",
                )

    def profile_data(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k in self.Meta.fields}
        data["tie_states"] = self.cleaned_data["tie_states_text"]
        data["preferred_states"] = self.cleaned_data["preferred_states_text"]
        data["preferred_regions"] = self.cleaned_data["preferred_regions"]
        if not data.get("couples"):
            data["partner_specialty"], data["partner_constraint"] = "", ""
        for k in ("extra_attempts", "research_items", "usce_months", "signals_gold"):
            data[k] = data.get(k) or 0
        data["signals_silver"] = data.get("signals_silver") or 0
        data["program_wishes"] = self.cleaned_data["program_wishes_text"]
        if data.get("match_floor") is None:
            data["match_floor"] = 90
        data["criteria_mode"] = data.get("criteria_mode") or ApplicantProfile.CriteriaMode.ONLY
        return data


class BudgetForm(forms.Form):
    applications = forms.IntegerField(
        label="Applications",
        min_value=1,
        max_value=400,
        error_messages={
            "min_value": "A budget is at least one application.",
            "max_value": "At most 400 applications.",
            "required": "Enter a number of applications.",
            "invalid": "Enter a whole number of applications.",
        },
    )


class WishForm(forms.Form):
    code = forms.CharField(max_length=9, error_messages={"required": "Which program?"})
    level = forms.ChoiceField(
        choices=[(k, v[0]) for k, v in WISHES.items()],
        error_messages={"invalid_choice": "Choose dream, would like, fine or would rather not."},
    )

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).strip().upper()


class FilterForm(forms.Form):
    tier = forms.ChoiceField(
        required=False,
        choices=[("", "All tiers"), ("reach", "Reach"), ("target", "Target"), ("likely", "Likely")],
    )
    state = forms.ChoiceField(required=False, choices=[("", "All states"), *STATE_CHOICES[1:]])
    signal = forms.ChoiceField(
        required=False,
        choices=[("", "Signalled or not"), ("yes", "Signalled"), ("no", "Not signalled")],
    )
    q = forms.CharField(required=False, max_length=100, label="Search")
