"""Users sign in with their email address; everything else about them is the Profile."""

from __future__ import annotations

import uuid
import zoneinfo
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class EmailUserManager(UserManager["User"]):
    """The stock manager, keyed on email instead of a username."""

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    username = None  # type: ignore[assignment]
    email = models.EmailField("email address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[EmailUserManager] = EmailUserManager()

    def __str__(self) -> str:
        return self.email


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            "“%(value)s” is not a time zone we know. Pick one from the list, "
            "for example America/New_York.",
            params={"value": value},
        )


class Profile(models.Model):
    class Stage(models.TextChoices):
        PREMED = "premed", "Premed"
        MEDICAL_STUDENT = "medical_student", "Medical student"
        RESIDENT = "resident", "Resident"
        GRADUATE = "graduate", "Graduate or international medical graduate (IMG)"

    # The fields a complete profile has; completeness() counts them.
    COMPLETENESS_FIELDS: ClassVar[tuple[str, ...]] = (
        "full_name",
        "stage",
        "school",
        "graduation_year",
        "target_cycle",
        "specialty_of_interest",
        "time_zone",
    )

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    full_name = models.CharField(max_length=200, blank=True)
    stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    school = models.CharField("school or institution", max_length=200, blank=True)
    graduation_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1950), MaxValueValidator(2100)],
    )
    target_cycle = models.PositiveSmallIntegerField(
        "target application cycle",
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text="The cycle you apply in, as the services name it: ERAS 2027 ends with the "
        "March 2027 Match; AMCAS 2027 is for the class entering in 2027.",
    )
    specialty_of_interest = models.CharField(max_length=100, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    # Whether the user has chosen a time zone, as opposed to keeping the default.
    time_zone_set = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.full_name or self.user.email

    @property
    def display_name(self) -> str:
        return self.full_name or self.user.email

    def completeness(self) -> tuple[int, list[str]]:
        """Percentage of profile fields filled in, and the labels of the missing ones."""
        missing = []
        for name in self.COMPLETENESS_FIELDS:
            value = getattr(self, name)
            filled = self.time_zone_set if name == "time_zone" else value not in (None, "")
            if not filled:
                field = self._meta.get_field(name)
                missing.append(str(getattr(field, "verbose_name", name)))
        total = len(self.COMPLETENESS_FIELDS)
        return round(100 * (total - len(missing)) / total), missing
