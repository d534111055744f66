"""The program catalogue, the applicant's SmartPick profile and simulation runs."""

from __future__ import annotations

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from preceptor.accounts.models import User

from . import figures


class Program(models.Model):
    """One NRMP program (a program code), real or synthetic."""

    class Setting(models.TextChoices):
        UNIVERSITY = "university", "University"
        COMMUNITY_UNIVERSITY = "community_university", "Community, university-affiliated"
        COMMUNITY = "community", "Community"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    nrmp_code = models.CharField("NRMP program code", max_length=9, unique=True)
    institution_code = models.CharField(max_length=4)
    institution = models.CharField(max_length=200)
    name = models.CharField("program name", max_length=200)
    specialty = models.CharField(max_length=100, db_index=True)
    specialty_code = models.CharField(max_length=3)
    track = models.CharField(max_length=1)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, db_index=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    quota = models.PositiveIntegerField()
    # {"2020": [quota, matched], ...}
    fill_history = models.JSONField(default=dict, blank=True)
    competitiveness = models.FloatField(default=0.0)
    setting = models.CharField(max_length=24, choices=Setting.choices, blank=True)
    visa_sponsor = models.BooleanField(null=True, blank=True)
    img_share = models.FloatField(null=True, blank=True)
    synthetic = models.BooleanField(default=False)
    source = models.CharField(max_length=300)
    # Provenance of the figures (catalogue.Provenance says them in words): the year of
    # ``quota`` (none when estimated), and where the positions and the place come from.
    positions_year = models.PositiveSmallIntegerField(null=True, blank=True)
    # Keys of catalogue.POSITIONS_BASES and catalogue.LOCATION_BASES ("" = not recorded).
    positions_basis = models.CharField(max_length=16, blank=True)
    location_basis = models.CharField(max_length=16, blank=True)
    imported = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("specialty", "state", "institution")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(track__in=["C", "P", "A", "R", "M"]), name="program_track"
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution} — {self.name} ({self.nrmp_code})"


def _states_help() -> str:
    return "Two-letter codes separated by commas, for example NY, NJ, PA."


class ApplicantProfile(models.Model):
    """What SmartPick knows about one applicant (one per user)."""

    class Kind(models.TextChoices):
        MD = "md", "US MD senior or graduate"
        DO = "do", "US DO senior or graduate"
        USIMG = "usimg", "US-citizen international graduate (IMG)"
        IMG = "img", "Non-US-citizen international graduate (IMG)"

    class Step1(models.TextChoices):
        PASSED = "passed", "Passed"
        FAILED = "failed", "Failed at least once"
        NOT_TAKEN = "not_taken", "Not taken yet"

    class Size(models.TextChoices):
        ANY = "any", "Any size"
        SMALL = "small", "Small (under 8 positions a year)"
        MEDIUM = "medium", "Medium (8 to 20)"
        LARGE = "large", "Large (over 20)"

    class SettingPref(models.TextChoices):
        ANY = "any", "Any setting"
        UNIVERSITY = "university", "University"
        COMMUNITY_UNIVERSITY = "community_university", "Community, university-affiliated"
        COMMUNITY = "community", "Community"

    class Budget(models.TextChoices):
        APPLICATIONS = "applications", "A number of applications"
        DOLLARS = "dollars", "A sum in dollars"

    class CriteriaMode(models.TextChoices):
        ONLY = "only", "Only programs that meet them"
        PREFER = "prefer", "Prefer programs that meet them"

    class PartnerConstraint(models.TextChoices):
        SAME_STATE = "same_state", "Same state"
        SAME_REGION = "same_region", "Same region"
        WITHIN_100 = "within_100", "Within 100 miles"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="smartpick")
    applicant_type = models.CharField(max_length=8, choices=Kind.choices, default=Kind.MD)
    step2_score = models.PositiveSmallIntegerField(
        "Step 2 CK score",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(300)],
    )
    comlex2_score = models.PositiveSmallIntegerField(
        "COMLEX Level 2-CE score",
        null=True,
        blank=True,
        validators=[MinValueValidator(9), MaxValueValidator(999)],
    )
    step1 = models.CharField(
        "Step 1 (pass/fail)", max_length=10, choices=Step1.choices, default=Step1.PASSED
    )
    extra_attempts = models.PositiveSmallIntegerField(
        "failed attempts on other exams", default=0, validators=[MaxValueValidator(5)]
    )
    red_flags = models.BooleanField(
        "other red flags (leave of absence, professionalism note, gap)", default=False
    )
    research_items = models.PositiveSmallIntegerField(
        "research output (papers, abstracts, posters)",
        default=0,
        validators=[MaxValueValidator(300)],
    )
    honors = models.BooleanField(
        "honors society (AOA, Sigma Sigma Phi) or top quartile", default=False
    )
    usce_months = models.PositiveSmallIntegerField(
        "months of US clinical experience", default=0, validators=[MaxValueValidator(120)]
    )
    needs_visa = models.BooleanField("I need a visa (J-1 or H-1B)", default=False)
    home_state = models.CharField(max_length=2, blank=True)
    school_state = models.CharField("state of your medical school", max_length=2, blank=True)
    tie_states = models.JSONField("states where you have ties", default=list, blank=True)
    preferred_states = models.JSONField(default=list, blank=True)
    preferred_regions = models.JSONField(default=list, blank=True)
    max_distance_miles = models.PositiveIntegerField(
        "maximum distance from home (miles)",
        null=True,
        blank=True,
        validators=[MinValueValidator(10), MaxValueValidator(6000)],
    )
    program_size = models.CharField(max_length=8, choices=Size.choices, default=Size.ANY)
    program_setting = models.CharField(
        max_length=24, choices=SettingPref.choices, default=SettingPref.ANY
    )
    visa_sponsor_wanted = models.BooleanField(
        "programs that sponsor visas (or may: sponsorship unknown)", default=False
    )
    criteria_mode = models.CharField(
        "how to use these preferences",
        max_length=8,
        choices=CriteriaMode.choices,
        default=CriteriaMode.ONLY,
    )
    # How much the applicant wants particular programs: {NRMP code: level}, the levels of
    # ``recommend.WISHES`` (dream, like, fine, avoid). Plain JSON, like the other fields.
    program_wishes = models.JSONField("how much you want particular programs", default=dict,
                                      blank=True)  # fmt: skip
    match_floor = models.PositiveSmallIntegerField(
        "the chance of matching you want at least (%)",
        default=90,
        validators=[MinValueValidator(50), MaxValueValidator(99)],
    )
    target_specialty = models.CharField(max_length=100)
    backup_specialty = models.CharField(max_length=100, blank=True)
    couples = models.BooleanField("we are applying as a couple", default=False)
    partner_specialty = models.CharField(max_length=100, blank=True)
    partner_constraint = models.CharField(
        max_length=16, choices=PartnerConstraint.choices, blank=True
    )
    budget_mode = models.CharField(
        max_length=16, choices=Budget.choices, default=Budget.APPLICATIONS
    )
    budget_applications = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(400)]
    )
    budget_dollars = models.PositiveIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(20000)]
    )
    signals_gold = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(30)])
    signals_silver = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(30)])
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"SmartPick profile of {self.user}"

    @property
    def effective_step2(self) -> float | None:
        """Step 2 CK, or the COMLEX Level 2-CE score converted (see interview.py)."""
        from .interview import comlex_to_step2

        if self.step2_score is not None:
            return float(self.step2_score)
        if self.comlex2_score is not None:
            return comlex_to_step2(self.comlex2_score)
        return None

    @property
    def applications(self) -> int:
        if self.budget_mode == self.Budget.DOLLARS:
            return figures.max_applications_for(self.budget_dollars or 0)
        return self.budget_applications or 0


class SimulationRun(models.Model):
    """One background Match simulation for one applicant's list."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # A run belongs to a user, or to a visitor without an account: then ``visitor`` is a
    # keyed hash of a random token kept in their session (never the session key), and
    # ``address`` a keyed hash of their IP address, kept only while the run is queued or
    # running (for the per-address limit).
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="smartpick_runs", null=True, blank=True
    )
    visitor = models.CharField(max_length=64, blank=True, db_index=True)
    address = models.CharField(max_length=64, blank=True, db_index=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    draws = models.PositiveIntegerField(default=200)
    # The inputs (codes, signals) and the outcome, so a run explains itself later.
    inputs = models.JSONField(default=dict)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created",)
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(visitor=""),
                name="simulationrun_has_owner",
            )
        ]

    def __str__(self) -> str:
        return f"Simulation {self.public_id} ({self.status})"
