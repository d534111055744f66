"""Writer links, the letter vault, deliveries to recipients and their audit log.

No model holds a letter's bytes: a :class:`VaultLetter` names an encrypted file in the vault
directory (see ``storage``), and only ``services`` reads it.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone


class WriterLink(models.Model):
    """A secret link that lets one writer act on one letter request without an account."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(
        "letters.LetterRequest", on_delete=models.CASCADE, related_name="writer_links"
    )
    # SHA-256 of the token; the token itself is shown once and never stored.
    token_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    sent_to = models.EmailField(blank=True)
    # The writer's address when the link was made: receipts for uploads made through the
    # link go here, not to whatever the mentor record says later (the applicant edits that).
    writer_email = models.EmailField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    uses = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("-created", "-id")

    def __str__(self) -> str:
        return f"Writer link for {self.request_id} ({self.status})"

    @property
    def status(self) -> str:
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "active"

    @property
    def is_usable(self) -> bool:
        return self.status == "active"


class VaultLetter(models.Model):
    """One version of a writer's letter, stored encrypted; metadata only here."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    request = models.ForeignKey(
        "letters.LetterRequest", on_delete=models.CASCADE, related_name="vault_letters"
    )
    version = models.PositiveSmallIntegerField()
    # The name of the encrypted file in the vault directory (random hex, never a path).
    stored_name = models.CharField(max_length=32, unique=True)
    size = models.PositiveIntegerField()
    page_count = models.PositiveIntegerField()
    # Whether the applicant had waived their right to read it when it arrived: a later
    # revocation of the waiver applies to future letters only.
    waived = models.BooleanField()
    # The address that got the upload receipt: every delivery of this letter is reported
    # there too, so the person the waiver protects sees where their letter went.
    writer_email = models.EmailField(blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    replaced_at = models.DateTimeField(null=True, blank=True)
    first_delivered_at = models.DateTimeField(null=True, blank=True)
    # Not stored (the audit event records it): set by services.upload_letter to what it
    # removed from this upload ("javascript", "embedded_files", ...).
    removed_content: tuple[str, ...] = ()

    class Meta:
        ordering = ("request", "-version")
        constraints = [
            models.UniqueConstraint(fields=("request", "version"), name="writers_letter_version")
        ]

    def __str__(self) -> str:
        return f"Letter v{self.version} for request {self.request_id}"

    @property
    def is_locked(self) -> bool:
        """Delivered at least once: it may no longer be replaced, only followed by a version."""
        return self.first_delivered_at is not None


class Delivery(models.Model):
    """A letter sent to one recipient, with its own expiring, download-limited link."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    letter = models.ForeignKey(VaultLetter, on_delete=models.CASCADE, related_name="deliveries")
    recipient_name = models.CharField(max_length=200)
    recipient_email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    max_downloads = models.PositiveSmallIntegerField(default=3)
    downloads = models.PositiveSmallIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created", "-id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(downloads__lte=models.F("max_downloads")),
                name="writers_delivery_download_limit",
            )
        ]

    def __str__(self) -> str:
        return f"Delivery to {self.recipient_email}"

    @property
    def status(self) -> str:
        if self.revoked_at:
            return "revoked"
        if self.downloads >= self.max_downloads:
            return "used up"
        if self.expires_at <= timezone.now():
            return "expired"
        return "active"

    @property
    def downloads_left(self) -> int:
        return max(0, self.max_downloads - self.downloads)


class AuditEvent(models.Model):
    """What happened to a request's writer links, letters and deliveries; shown to the applicant."""

    class Kind(models.TextChoices):
        LINK_CREATED = "link_created", "Writer link created"
        LINK_SENT = "link_sent", "Writer link emailed"
        LINK_REVOKED = "link_revoked", "Writer link revoked"
        ANSWERED = "answered", "Writer answered"
        SUBMITTED = "submitted", "Writer marked the letter submitted"
        UPLOADED = "uploaded", "Letter received"
        REPLACED = "replaced", "Letter replaced by the writer"
        DELIVERED = "delivered", "Letter delivered"
        DOWNLOADED = "downloaded", "Letter downloaded"
        DELIVERY_REVOKED = "delivery_revoked", "Delivery link revoked"

    request = models.ForeignKey(
        "letters.LetterRequest", on_delete=models.CASCADE, related_name="writer_events"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    letter = models.ForeignKey(
        VaultLetter, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    delivery = models.ForeignKey(
        Delivery, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    detail = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-at", "-id")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.at:%Y-%m-%d %H:%M}"


class UsedNonce(models.Model):
    """A form's one-time value, kept so that a replayed form does nothing the second time."""

    nonce = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.nonce
