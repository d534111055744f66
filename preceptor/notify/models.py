"""Reminders as rows, the user's delivery preferences, in-app notifications, the calendar.

A :class:`Reminder` is one email to one address at one moment. Rows are computed from the
letters and mentors apps by :mod:`preceptor.notify.sync` and sent by
``manage.py send_reminders`` (:mod:`preceptor.notify.engine`), which claims them with a
conditional UPDATE so that any number of workers send each row once.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from preceptor.notify.kinds import KIND_LABELS


class Preferences(models.Model):
    class Delivery(models.TextChoices):
        DIGEST = "digest", "A weekly digest, plus same-day emails for urgent items"
        IMMEDIATE = "immediate", "An email on the day of each item"

    WEEKDAYS: ClassVar[list[tuple[int, str]]] = [
        (0, "Monday"),
        (1, "Tuesday"),
        (2, "Wednesday"),
        (3, "Thursday"),
        (4, "Friday"),
        (5, "Saturday"),
        (6, "Sunday"),
    ]

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notify_preferences"
    )
    delivery = models.CharField(max_length=12, choices=Delivery.choices, default=Delivery.DIGEST)
    digest_weekday = models.PositiveSmallIntegerField(
        "digest day", choices=WEEKDAYS, default=0, validators=[MaxValueValidator(6)]
    )
    digest_hour = models.PositiveSmallIntegerField(
        "hour of the day",
        default=8,
        validators=[MinValueValidator(0), MaxValueValidator(23)],
        help_text="In your time zone. Same-day emails are sent at this hour too.",
    )
    paused = models.BooleanField(
        "pause email reminders",
        default=False,
        help_text="Nothing is emailed to you while paused; the calendar and the "
        "notification list keep working.",
    )
    # Set by the unsubscribe link: no email to the applicant until they turn it back on.
    unsubscribed = models.BooleanField(default=False)
    feed_alarms = models.BooleanField(
        "alarms in the calendar feed",
        default=False,
        help_text="Your calendar app alerts you the day before each date.",
    )
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "preferences"
        constraints: ClassVar[list[Any]] = [
            models.CheckConstraint(
                condition=Q(digest_hour__gte=0, digest_hour__lte=23), name="notify_digest_hour"
            ),
            models.CheckConstraint(condition=Q(digest_weekday__lte=6), name="notify_weekday"),
        ]

    def __str__(self) -> str:
        return f"Preferences of {self.user}"

    @property
    def emails_applicant(self) -> bool:
        return not (self.paused or self.unsubscribed)


class Reminder(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    class Channel(models.TextChoices):
        # EMAIL rows become an email (and, for the applicant, an in-app notification);
        # INAPP rows only an in-app notification (digest mode, paused, unsubscribed).
        EMAIL = "email", "Email"
        INAPP = "inapp", "In the app only"

    class Audience(models.TextChoices):
        APPLICANT = "applicant", "Applicant"
        WRITER = "writer", "Letter writer"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=40)
    # What the reminder is about, stable across recomputation (the dedupe key).
    key = models.CharField(max_length=200)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.APPLICANT)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.EMAIL)
    recipient = models.EmailField()
    send_at = models.DateTimeField()
    # The date the item falls on (the deadline, the ask-by date...), for display.
    due_on = models.DateField(null=True, blank=True)
    urgent = models.BooleanField(default=False)
    context = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    claimed_by = models.CharField(max_length=100, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Written, conditionally on the claim, just before the message is committed to the
    # SMTP server (the final "." of DATA). See engine.py for why.
    handed_off_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["user", "key"], name="notify_reminder_user_key"),
        ]
        indexes: ClassVar[list[Any]] = [
            models.Index(fields=["status", "send_at"], name="notify_rem_due"),
            models.Index(fields=["status", "claimed_at"], name="notify_rem_claimed"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient} at {self.send_at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    # A reminder that produced this notification (None for event notifications).
    reminder = models.ForeignKey(
        Reminder, null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    created = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created", "-id"]
        indexes: ClassVar[list[Any]] = [
            models.Index(fields=["user", "read_at"], name="notify_notif_unread"),
        ]

    def __str__(self) -> str:
        return self.title


class CalendarFeed(models.Model):
    """The secret feed URL: only a hash of its token is stored, so a leak of the database
    does not leak working feed URLs. Rotating replaces the hash; the old URL stops working."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    last_fetched = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"


class FeedEvent(models.Model):
    """One all-day event of the user's calendar, remembered so that SEQUENCE grows when
    it changes (calendar apps ignore an update whose SEQUENCE did not grow)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_events"
    )
    uid = models.CharField(max_length=200)
    kind = models.CharField(max_length=40)
    on = models.DateField()
    summary = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    # Groups the events of one application for its own .ics download.
    group = models.CharField(max_length=100, blank=True)
    fingerprint = models.CharField(max_length=64)
    sequence = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["on", "uid"]
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["user", "uid"], name="notify_feedevent_user_uid"),
        ]

    def __str__(self) -> str:
        return f"{self.on}: {self.summary}"

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


class Interview(models.Model):
    """An interview date, so that it shows in the calendar and the feed."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interviews"
    )
    program = models.CharField("program or school", max_length=200)
    on = models.DateField("date")
    location = models.CharField(max_length=200, blank=True, help_text="A city, or “virtual”.")
    notes = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["on", "program"]

    def __str__(self) -> str:
        return f"Interview: {self.program} on {self.on}"

    def is_upcoming(self, today: date) -> bool:
        return self.on >= today


class WriterOptOut(models.Model):
    """A letter writer who used the unsubscribe link: Preceptor emails them no reminders."""

    email = models.EmailField(unique=True)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.email
