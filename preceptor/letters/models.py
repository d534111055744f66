"""Applications, their letter requests, the transition log, uploads and the service rules."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from preceptor.letters import lifecycle, outcomes


class Service(models.TextChoices):
    AMCAS = "amcas", "AMCAS (US MD schools)"
    AACOMAS = "aacomas", "AACOMAS (US DO schools)"
    TMDSAS = "tmdsas", "TMDSAS (Texas medical schools)"
    ERAS = "eras", "ERAS residency"
    ERAS_FELLOWSHIP = "eras_fellowship", "ERAS fellowship"
    DIRECT = "direct", "Interfolio or direct (research positions, scholarships, jobs)"
    CARMS = "carms", "CaRMS (Canada)"
    OTHER = "other", "Other"


# Services whose letters go through the writers app's confidential vault by default.
VAULT_SERVICES = frozenset({Service.DIRECT, Service.OTHER})


class ServiceRule(models.Model):
    """The letter rules of one service, optionally narrowed to one specialty.

    Shipped from ``letters/fixtures/service_rules.json`` (with sources) by a data migration
    and editable in the admin, because services change their rules every cycle.
    """

    service = models.CharField(max_length=20, choices=Service.choices)
    specialty = models.CharField(
        max_length=100, blank=True, help_text="Empty: the rule for the whole service."
    )
    name = models.CharField(max_length=120)
    min_letters = models.PositiveSmallIntegerField(default=0)
    max_letters = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Empty: no limit."
    )
    usual_mix = models.TextField(blank=True)
    # A list of {"label", "count", "kinds": [...], "categories": [...], "required", "note"}.
    requirements = models.JSONField(default=list, blank=True)
    max_file_mb = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    file_notes = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    source = models.TextField(help_text="Where these facts come from, and when they were checked.")
    portal_url = models.URLField(blank=True, help_text="Where writers submit (the service's page).")
    how_to_submit = models.TextField(
        blank=True, help_text="How a writer submits a letter to this service, in their words."
    )
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("service", "specialty")
        constraints = [
            models.UniqueConstraint(fields=("service", "specialty"), name="letters_rule_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from preceptor.letters.rules import parse_requirements

        try:
            parse_requirements(self.requirements)
        except ValueError as e:
            raise ValidationError({"requirements": str(e)}) from e
        if self.max_letters is not None and self.min_letters > self.max_letters:
            raise ValidationError({"min_letters": "The minimum is above the maximum."})


class Application(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="letter_applications"
    )
    service = models.CharField(max_length=20, choices=Service.choices)
    specialty = models.CharField(max_length=100, blank=True)
    cycle = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text="The cycle as the service names it: ERAS 2027 ends with the March 2027 Match; "
        "AMCAS, AACOMAS and TMDSAS 2027 are for the class entering in 2027.",
    )
    title = models.CharField(max_length=200, blank=True)
    official_deadline = models.DateField(help_text="The date letters must be in.")
    personal_deadline_days = models.PositiveSmallIntegerField(
        default=14,
        validators=[MinValueValidator(7), MaxValueValidator(14)],
        help_text="How many days before the official deadline you ask writers to submit (7 to 14).",
    )
    programs = models.TextField(blank=True, help_text="Programs, schools or positions, one a line.")
    instructions = models.TextField(
        blank=True, help_text="How writers submit: portal, letter ID, address."
    )
    max_letters_override = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text="The strictest limit among your programs, if lower than the service's.",
    )
    results_on = models.DateField(
        null=True,
        blank=True,
        help_text="When outcomes arrive (for ERAS: Match Day, filled in for you).",
    )
    uses_vault = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("official_deadline", "id")

    def __str__(self) -> str:
        return self.display_title

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Remember whether uses_vault was given, so a new application gets the service's
        # default ("direct" and "other" letters go through the vault) only when it was not.
        self._uses_vault_given = "uses_vault" in kwargs or bool(args)
        super().__init__(*args, **kwargs)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding and not self._uses_vault_given:
            self.uses_vault = self.service in VAULT_SERVICES
        super().save(*args, **kwargs)

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        label = Service(self.service).label.split(" (")[0] if self.service else "Application"
        parts = [label, self.specialty, str(self.cycle) if self.cycle else ""]
        return " ".join(p for p in parts if p)

    @property
    def personal_deadline(self) -> dt.date:
        return self.official_deadline - dt.timedelta(days=self.personal_deadline_days)

    @property
    def program_list(self) -> list[str]:
        return [line.strip() for line in self.programs.splitlines() if line.strip()]

    def clean(self) -> None:
        if self.personal_deadline_days is not None and not 7 <= self.personal_deadline_days <= 14:
            raise ValidationError(
                {
                    "personal_deadline_days": "Set your personal deadline 7 to 14 days before "
                    "the official one, so it never falls after it."
                }
            )


class DocumentKind(models.TextChoices):
    """What a packet document is; an application's packet holds at most one of each."""

    CV = "cv", "CV"
    STATEMENT = "statement", "Personal statement draft"
    TRANSCRIPT = "transcript", "Transcript"


class LibraryDocument(models.Model):
    """One of the user's documents (their CV, a statement, a transcript), kept once and used
    by any number of applications; each upload is a new :class:`DocumentVersion`."""

    Kind = DocumentKind

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="library_documents"
    )
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    title = models.CharField(max_length=120)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("kind", "title", "id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=DocumentKind.values), name="letters_library_kind"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def has_own_title(self) -> bool:
        return self.title != DocumentKind(self.kind).label

    @property
    def label(self) -> str:
        """ "CV", or "CV “CV (research)”" when the user named it."""
        kind = str(DocumentKind(self.kind).label)
        return f"{kind} “{self.title}”" if self.has_own_title else kind


class DocumentVersion(models.Model):
    """One uploaded PDF of a library document (stored in the database, checked first).

    Versions are numbered 1, 2, 3 within their document and never change; one that went in
    a writer's packet (:class:`SentDocument`) cannot be deleted, so the history stays true.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    document = models.ForeignKey(LibraryDocument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    original_name = models.CharField(max_length=255, blank=True)
    data = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    page_count = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)
    # Not stored: set by the upload service to what it removed from this upload
    # ("javascript", "embedded_files", ...), so the page can say so once.
    removed_content: tuple[str, ...] = ()

    class Meta:
        ordering = ("document", "-number")
        constraints = [
            models.UniqueConstraint(fields=("document", "number"), name="letters_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.document} version {self.number}"


class ApplicationDocument(models.Model):
    """Which library document an application's packet uses, and which version of it: a
    chosen one, or (``version`` empty) always the latest."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    # The document's kind, kept here so the database holds one of each kind per packet.
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    document = models.ForeignKey(LibraryDocument, on_delete=models.CASCADE, related_name="uses")
    # RESTRICT: a version an application is pinned to is not deleted under it (the service
    # refuses with a message first); deleting the whole account still cascades.
    version = models.ForeignKey(
        DocumentVersion, on_delete=models.RESTRICT, null=True, blank=True, related_name="pins"
    )
    added = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("application", "kind")
        constraints = [
            models.UniqueConstraint(fields=("application", "kind"), name="letters_appdoc_one_kind")
        ]

    def __str__(self) -> str:
        return f"{self.document} for {self.application}"


class SentDocument(models.Model):
    """Which version of a document went in one writer's packet, and when (first sent)."""

    request = models.ForeignKey(
        "LetterRequest", on_delete=models.CASCADE, related_name="sent_documents"
    )
    # RESTRICT: a sent version is kept while the record of sending it exists.
    version = models.ForeignKey(DocumentVersion, on_delete=models.RESTRICT, related_name="sent")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("request", "sent_at", "id")
        constraints = [
            models.UniqueConstraint(fields=("request", "version"), name="letters_sent_once")
        ]

    def __str__(self) -> str:
        return f"{self.version} to {self.request}"


class LetterRequest(models.Model):
    class Status(models.TextChoices):
        CANDIDATE = "candidate", "Candidate"
        PLANNED = "planned", "Planned"
        ASKED = "asked", "Asked"
        AGREED = "agreed", "Agreed"
        HESITANT = "hesitant", "Hesitant yes"
        DECLINED = "declined", "Declined"
        PACKET_SENT = "packet_sent", "Packet sent"
        FORM_SENT = "form_sent", "Request form sent"
        REMINDED = "reminded", "Reminded"
        SUBMITTED = "submitted", "Submitted"
        THANKED = "thanked", "Thanked"
        OUTCOME_SHARED = "outcome_shared", "Outcome shared"

    class Kind(models.TextChoices):
        STANDARD = "standard", "Letter"
        STANDARDIZED = "standardized", "Standardized letter (SLOE, eSLOR, SLOR)"
        CHAIR = "chair", "Department chair letter"
        COMMITTEE = "committee", "Committee letter or packet"
        PROGRAM_DIRECTOR = "program_director", "Program director letter"

    class Category(models.TextChoices):
        UNSPECIFIED = "", "Not said"
        IN_SPECIALTY = "in_specialty", "From the chosen specialty"
        OTHER_FIELD = "other_field", "From another field"
        RESEARCH = "research", "Research mentor"
        SCIENCE = "science", "Science faculty"
        NON_SCIENCE = "non_science", "Non-science faculty"
        DO_PHYSICIAN = "do_physician", "DO physician"

    class AskMethod(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        VIDEO = "video", "Video call"
        PHONE = "phone", "Phone"
        EMAIL = "email", "Email"

    class ConfirmedBy(models.TextChoices):
        WRITER = "writer", "The writer"
        PORTAL = "portal", "The service's portal"
        APPLICANT = "applicant", "Me"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="requests")
    # RESTRICT, not CASCADE: deleting a mentor must not silently erase the record of a letter
    # they wrote; not PROTECT: deleting the whole account (user → mentors and applications)
    # must still cascade, which RESTRICT allows and PROTECT does not.
    mentor = models.ForeignKey(
        "mentors.Mentor", on_delete=models.RESTRICT, related_name="letter_requests"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.STANDARD)
    category = models.CharField(max_length=20, choices=Category.choices, blank=True)
    asked_on = models.DateField(null=True, blank=True)
    ask_method = models.CharField(max_length=20, choices=AskMethod.choices, blank=True)
    answered_on = models.DateField(null=True, blank=True)
    answer_note = models.TextField(blank=True)
    packet_sent_on = models.DateField(null=True, blank=True)
    form_sent_on = models.DateField(null=True, blank=True)
    letter_id = models.CharField("letter ID", max_length=64, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_on = models.DateField(null=True, blank=True)
    submitted_on = models.DateField(null=True, blank=True)
    submitted_confirmed_by = models.CharField(
        max_length=20, choices=ConfirmedBy.choices, blank=True
    )
    waiver_signed = models.BooleanField(default=False)
    waiver_signed_on = models.DateField(null=True, blank=True)
    writer_reminders = models.BooleanField(
        default=False,
        help_text="Let Preceptor send the writer polite reminders before your deadline.",
    )
    thanked_on = models.DateField(null=True, blank=True)
    outcome_shared_on = models.DateField(null=True, blank=True)
    # The service's request form or letter-ID sheet for this writer (ERAS Letter Request
    # Form, AMCAS Letter Request Form): one per writer, so it lives on the request. Checked
    # like every upload and sent as the first document of this writer's packet.
    request_form = models.BinaryField(null=True, blank=True)
    request_form_name = models.CharField(max_length=255, blank=True)
    request_form_pages = models.PositiveIntegerField(null=True, blank=True)
    # The packet: 4 to 6 strengths, chosen achievements, the summary of the work together.
    strengths = models.JSONField(default=list, blank=True)
    achievement_ids = models.JSONField(default=list, blank=True)
    summary = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("application", "created", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("application", "mentor"), name="letters_request_one_per_mentor"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=list(lifecycle.STATUSES)),
                name="letters_request_status_known",
            ),
            models.CheckConstraint(
                condition=models.Q(waiver_signed=False) | models.Q(waiver_signed_on__isnull=False),
                name="letters_request_waiver_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} for {self.application}"

    @property
    def user(self) -> Any:
        return self.application.user

    @property
    def personal_deadline(self) -> dt.date:
        return self.application.personal_deadline

    @property
    def status_label(self) -> str:
        return lifecycle.LABELS[self.status]

    @property
    def writer_status_label(self) -> str:
        """The status in the writer's words (their link's pages and emails)."""
        return lifecycle.WRITER_LABELS[self.status]

    @property
    def next_action(self) -> str:
        return lifecycle.NEXT_ACTION[self.status]

    @property
    def is_active(self) -> bool:
        return self.status in lifecycle.ACTIVE


class RequestTransition(models.Model):
    """One move of a request through its life cycle, kept forever."""

    request = models.ForeignKey(LetterRequest, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20)
    to_status = models.CharField(max_length=20)
    actor = models.CharField(max_length=20)
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.from_label} → {self.to_label} by {self.actor}"

    @property
    def from_label(self) -> str:
        return lifecycle.LABELS.get(self.from_status, "")

    @property
    def to_label(self) -> str:
        return lifecycle.LABELS.get(self.to_status, self.to_status)

    @property
    def actor_label(self) -> str:
        return lifecycle.ACTOR_LABELS.get(self.actor, self.actor)


class ProgramOutcome(models.Model):
    """How one program, school or position on an application turned out."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="outcomes")
    program = models.CharField(max_length=200)
    stage = models.CharField(max_length=20, choices=list(outcomes.STAGES.items()))
    interview_on = models.DateField("interview date", null=True, blank=True)
    rank = models.PositiveSmallIntegerField(
        "your rank of them",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(700)],
        help_text="Where you ranked them (1 is your first choice), if this is a Match.",
    )
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("program", "id")
        constraints = [
            models.UniqueConstraint(fields=("application", "program"), name="letters_outcome_once"),
            models.CheckConstraint(
                condition=models.Q(stage__in=list(outcomes.STAGES)), name="letters_outcome_stage"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program}: {self.get_stage_display()}"
