"""The applicant's mentor network: mentors, the time spent with them, what they advised.

Every state change goes through :mod:`preceptor.mentors.services`; the rules that read
these rows (cadence, readiness) are pure functions in ``cadence.py`` and ``readiness.py``.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Tag(models.Model):
    """A label the applicant puts on mentors ("cardiology", "Step 1 advice")."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_tags"
    )
    name = models.CharField(max_length=40)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="mentors_tag_unique_per_user")
        ]

    def __str__(self) -> str:
        return self.name


class Mentor(models.Model):
    class Role(models.TextChoices):
        ATTENDING = "attending", "Attending physician"
        RESIDENT = "resident", "Resident or fellow"
        PI = "pi", "Principal investigator"
        COURSE_DIRECTOR = "course_director", "Course or clerkship director"
        ADVISOR = "advisor", "Academic or career advisor"
        SHADOWED = "shadowed", "Physician I shadowed"
        OTHER = "other", "Other"

    class Degree(models.TextChoices):
        MD = "MD", "MD"
        DO = "DO", "DO"
        PHD = "PhD", "PhD"
        MD_PHD = "MD, PhD", "MD, PhD"
        OTHER = "other", "Other"

    class Faculty(models.TextChoices):
        SCIENCE = "science", "Science faculty"
        NON_SCIENCE = "non_science", "Non-science faculty"
        NOT_FACULTY = "not_faculty", "Not faculty"

    class Prominence(models.TextChoices):
        NONE = "", "None noted"
        PROGRAM_DIRECTOR = "program_director", "Program director"
        CHAIR = "chair", "Department chair"
        DEAN = "dean", "Dean"
        NATIONAL = "national", "Nationally known"

    class NetworkRole(models.TextChoices):
        RESEARCH = "research", "Research mentor"
        CLINICAL = "clinical", "Clinical mentor"
        CAREER = "career", "Career advisor"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        PROSPECT = "prospect", "Prospect"
        ACTIVE = "active", "Active"
        DORMANT = "dormant", "Dormant"
        FORMER = "former", "Former"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentors"
    )
    full_name = models.CharField(max_length=200)
    title = models.CharField(
        max_length=200, blank=True, help_text="For example “Associate Professor of Medicine”."
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.ATTENDING)
    degree = models.CharField(max_length=10, choices=Degree.choices, blank=True)
    specialty = models.CharField(max_length=100, blank=True)
    department = models.CharField(max_length=200, blank=True)
    institution = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    how_we_met = models.TextField(blank=True)
    met_on = models.DateField("when you started working together", null=True, blank=True)
    faculty = models.CharField(
        "science or non-science faculty",
        max_length=20,
        choices=Faculty.choices,
        blank=True,
        help_text="AMCAS and many MD schools ask for letters from science faculty.",
    )
    prominence = models.CharField(max_length=20, choices=Prominence.choices, blank=True)
    accessibility_notes = models.TextField(
        blank=True, help_text="How easy they are to reach: answers email, office hours, travels."
    )
    network_role = models.CharField(
        "role in my network", max_length=20, choices=NetworkRole.choices, blank=True
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    tags = models.ManyToManyField(Tag, blank=True, related_name="mentors")
    # Cadence, in days; empty means "use the default for this mentor's situation".
    cadence_ideal_days = models.PositiveSmallIntegerField(null=True, blank=True)
    cadence_max_days = models.PositiveSmallIntegerField(null=True, blank=True)
    snoozed_until = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cadence_ideal_days__isnull=True)
                | Q(cadence_max_days__isnull=True)
                | Q(cadence_max_days__gte=F("cadence_ideal_days")),
                name="mentors_mentor_cadence_max_not_below_ideal",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """ "Dr. Ana Ortiz" for a doctor, the plain name otherwise."""
        name = self.full_name.strip()
        if name.lower().startswith("dr") or self.degree in ("", self.Degree.OTHER):
            return name
        return f"Dr. {name}"

    @property
    def is_doctor(self) -> bool:
        return self.degree not in ("", self.Degree.OTHER)


class SupervisionPeriod(models.Model):
    class Kind(models.TextChoices):
        CLINICAL = "clinical", "Direct clinical supervision"
        RESEARCH = "research", "Research"
        COURSE = "course", "Course or small group"
        SHADOWING = "shadowing", "Shadowing"
        ADVISING = "advising", "Advising"

    # Kinds where the mentor watched the applicant's own work closely enough to judge it.
    DIRECT_KINDS = (Kind.CLINICAL, Kind.RESEARCH)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mentor = models.ForeignKey(Mentor, on_delete=models.CASCADE, related_name="periods")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(
        max_length=200, blank=True, help_text="For example “Cardiology rotation”."
    )
    start = models.DateField()
    end = models.DateField(null=True, blank=True, help_text="Leave empty if it is ongoing.")
    description = models.TextField("what I did", blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="mentors_period_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()

    @property
    def direct_supervision(self) -> bool:
        return self.kind in self.DIRECT_KINDS

    def is_ongoing(self, today: dt.date) -> bool:
        return self.start <= today and (self.end is None or self.end >= today)


class Interaction(models.Model):
    class Kind(models.TextChoices):
        MEETING = "meeting", "Meeting"
        EMAIL = "email", "Email"
        CALL = "call", "Call"
        ROTATION_DAY = "rotation_day", "Rotation day"
        LAB_MEETING = "lab_meeting", "Lab meeting"
        EVENT = "event", "Event"

    class Initiator(models.TextChoices):
        ME = "me", "I did"
        MENTOR = "mentor", "They did"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mentor = models.ForeignKey(Mentor, on_delete=models.CASCADE, related_name="interactions")
    occurred_on = models.DateField("date")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MEETING)
    initiated_by = models.CharField(
        "who reached out", max_length=10, choices=Initiator.choices, default=Initiator.ME
    )
    summary = models.TextField(blank=True)
    advice = models.TextField("advice given", blank=True)
    example = models.TextField(
        "a specific example",
        blank=True,
        help_text="Something concrete they saw you do, that a letter could mention.",
    )
    gave_back = models.TextField(
        "what I offered or did for them",
        blank=True,
        help_text="Data collection, a literature review, helping at an event they run.",
    )
    was_ask = models.BooleanField(
        "I asked for something",
        default=False,
        help_text="A letter, a favour, an introduction.",
    )
    # "letters": recorded from a letter step (the ask, thanks, ...), not typed by the user;
    # such a contact is history, never a "moment they may remember" in a letter packet.
    origin = models.CharField(max_length=10, blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-created"]
        indexes = [models.Index(fields=["mentor", "-occurred_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on:%B %-d, %Y}"


class ActionItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        DECLINED = "declined", "Decided not to"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mentor = models.ForeignKey(Mentor, on_delete=models.CASCADE, related_name="action_items")
    interaction = models.ForeignKey(
        Interaction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
    )
    text = models.CharField("what they suggested", max_length=300)
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decline_reason = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)
    reported_back = models.BooleanField(default=False)
    reported_on = models.DateField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["status", "due_on", "created"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="mentors_action_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(reported_back=False) | ~Q(status="open"),
                name="mentors_action_report_only_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def needs_report(self) -> bool:
        return self.status != self.Status.OPEN and not self.reported_back


class Achievement(models.Model):
    class Kind(models.TextChoices):
        RESEARCH = "research", "Research"
        EXAM = "exam", "Exam"
        LEADERSHIP = "leadership", "Leadership"
        AWARD = "award", "Award"
        PRESENTATION = "presentation", "Presentation"
        VOLUNTEERING = "volunteering", "Volunteering"
        OTHER = "other", "Other"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="achievements"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.RESEARCH)
    title = models.CharField(max_length=200)
    achieved_on = models.DateField("date")
    description = models.TextField(blank=True)
    share_in_updates = models.BooleanField(
        default=True, help_text="Exam scores, for example, you may prefer to keep to yourself."
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-achieved_on", "-created"]

    def __str__(self) -> str:
        return self.title
