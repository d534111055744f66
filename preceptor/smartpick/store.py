"""Where an applicant's SmartPick profile lives: in their account, or, for a visitor
without one, in their session.

Every SmartPick view and the API ask :func:`store_for` for the request's store and use
the same few methods, so they do not branch on who is asking. The account store calls
the services that write the ``ApplicantProfile`` row; the session store keeps the
profile's fields as JSON in the session (``services.profile_to_data``, generic over the
model's fields) and nothing else about the visitor on the server, except a simulation
run while it waits or runs (see ``services.start_simulation``). When a visitor signs up
or logs in, :func:`adopt_on_login` moves the session's profile into their account.
"""

from __future__ import annotations

import re
import secrets
from abc import ABC, abstractmethod
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.dateparse import parse_datetime

from preceptor.accounts.models import User

from . import services
from .models import ApplicantProfile, SimulationRun

SESSION_KEY = "smartpick"
# An NRMP program code (IIIISSSTN): how a program is named in a saved choice.
PROGRAM_CODE = re.compile(r"^\d{7}[CPARM]\d$")


def client_address(request: HttpRequest) -> str:
    """The visitor's IP address: the socket's, or behind ``PROXY_COUNT`` proxies the one
    the outermost proxy saw (the same rule as the login throttle)."""
    proxies = int(getattr(settings, "AXES_IPWARE_PROXY_COUNT", 0) or 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return str(request.META.get("REMOTE_ADDR") or "")


def keyed_hash(value: str) -> str:
    """A hash of ``value`` that only this server (its SECRET_KEY) can compute."""
    return salted_hmac("preceptor.smartpick.visitor", value, algorithm="sha256").hexdigest()


class ProfileStore(ABC):
    """One applicant's profile, list budget and simulation runs."""

    is_visitor = False

    @abstractmethod
    def get(self) -> ApplicantProfile | None: ...

    @abstractmethod
    def save(self, **data: Any) -> ApplicantProfile:
        """Store the profile from a valid ``ProfileForm.profile_data()``."""

    @abstractmethod
    def set_budget(self, applications: int) -> ApplicantProfile: ...

    @abstractmethod
    def set_wish(self, code: str, level: str) -> ApplicantProfile:
        """One program's preference level (raises services.UnknownProgram)."""

    @abstractmethod
    def owner(self) -> User | services.Visitor: ...

    def start_simulation(self) -> SimulationRun:
        return services.start_simulation(self.owner(), profile=self.get())

    def run(self, run_id: Any) -> SimulationRun:
        """One of this applicant's runs, or 404."""
        return services.get_run_for_user(self.owner(), run_id)

    def latest_run(self) -> SimulationRun | None:
        return services.latest_run(self.owner())

    def expired(self) -> bool:
        """Whether the browser came with a session that has ended (visitors only)."""
        return False

    def keep(self, **values: Any) -> None:
        """Remember profile values a request made after the session expired carried."""
        return None

    def kept(self) -> dict[str, Any]:
        """Profile values kept from a request made after the session expired."""
        return {}


class AccountStore(ProfileStore):
    def __init__(self, user: User) -> None:
        self.user = user

    def get(self) -> ApplicantProfile | None:
        return services.get_profile(self.user)

    def save(self, **data: Any) -> ApplicantProfile:
        return services.save_profile(self.user, **data)

    def set_budget(self, applications: int) -> ApplicantProfile:
        return services.set_budget(self.user, applications)

    def set_wish(self, code: str, level: str) -> ApplicantProfile:
        return services.set_wish(self.user, code, level)

    def owner(self) -> User:
        return self.user


class SessionStore(ProfileStore):
    """The profile of a visitor without an account, in ``session["smartpick"]``:
    ``{"profile": {field: value}, "saved": ISO time, "token": random}``."""

    is_visitor = True

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.session = request.session
        self._profile: ApplicantProfile | None = None

    def _stored(self) -> dict[str, Any]:
        stored = self.session.get(SESSION_KEY)
        return stored if isinstance(stored, dict) else {}

    def get(self) -> ApplicantProfile | None:
        if self._profile is None:
            data = self._stored().get("profile")
            if not isinstance(data, dict):
                return None
            data = self._drop_missing_programs(data)
            self._profile = services.profile_from_data(data)
        return self._profile

    def _write(self, profile: ApplicantProfile) -> ApplicantProfile:
        stored = self._stored()
        self.session[SESSION_KEY] = {
            "profile": services.profile_to_data(profile),
            "saved": timezone.now().isoformat(),
            "token": stored.get("token") or secrets.token_urlsafe(24),
        }
        self._profile = profile
        return profile

    def save(self, **data: Any) -> ApplicantProfile:
        return self._write(services.check_visitor_profile(**data))

    def set_budget(self, applications: int) -> ApplicantProfile:
        profile = self.get()
        if profile is None:
            raise ApplicantProfile.DoesNotExist("no profile in this session")
        return self._write(services.set_visitor_budget(profile, applications))

    def set_wish(self, code: str, level: str) -> ApplicantProfile:
        profile = self.get()
        if profile is None:
            raise ApplicantProfile.DoesNotExist("no profile in this session")
        return self._write(services.with_wish(profile, code, level))

    def owner(self) -> services.Visitor:
        stored = self._stored()
        if not stored.get("token"):
            # A run needs an owner even before a profile exists (it is refused later).
            stored = {**stored, "token": secrets.token_urlsafe(24)}
            self.session[SESSION_KEY] = stored
        return services.Visitor(
            token=keyed_hash(stored["token"]),
            address=keyed_hash(client_address(self.request)),
        )

    def expired(self) -> bool:
        # The session backend forgets the key of a session it no longer has.
        sent = self.request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        return bool(sent) and not self._stored() and self.session.session_key is None

    def keep(self, **values: Any) -> None:
        self.session[SESSION_KEY] = {**self._stored(), "kept": values}

    def kept(self) -> dict[str, Any]:
        kept = self._stored().get("kept")
        return kept if isinstance(kept, dict) else {}

    def _drop_missing_programs(self, data: dict[str, Any]) -> dict[str, Any]:
        """Leave out program codes (in a saved per-program choice) that the catalogue no
        longer has, and say so once."""
        data, dropped = drop_missing_programs(data)
        if dropped:
            self.session[SESSION_KEY] = {**self._stored(), "profile": data}
            messages.warning(
                self.request,
                f"{_programs(dropped)} {'is' if len(dropped) == 1 else 'are'} no longer in "
                "the program catalogue, so your list leaves "
                f"{'it' if len(dropped) == 1 else 'them'} out.",
                fail_silently=True,
            )
        return data


def _programs(codes: list[str]) -> str:
    word = "Program" if len(codes) == 1 else "Programs"
    return f"{word} {', '.join(codes)}"


def drop_missing_programs(data: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """``data`` without the program codes the catalogue no longer has, wherever a field
    holds codes (a dict keyed by code, or a list of codes); and the codes dropped."""

    def codes_in(value: Any) -> list[str]:
        items = (
            value.keys() if isinstance(value, dict) else value if isinstance(value, list) else []
        )
        return [c for c in items if isinstance(c, str) and PROGRAM_CODE.match(c)]

    mentioned = {c for value in data.values() for c in codes_in(value)}
    if not mentioned:
        return data, []
    known = set(services.load_catalogue().code.tolist())
    gone = mentioned - known
    if not gone:
        return data, []
    out: dict[str, Any] = {}
    for name, value in data.items():
        if isinstance(value, dict) and codes_in(value):
            value = {k: v for k, v in value.items() if k not in gone}
        elif isinstance(value, list) and codes_in(value):
            value = [c for c in value if c not in gone]
        out[name] = value
    return out, sorted(gone)


def store_for(request: HttpRequest) -> ProfileStore:
    """The profile store of whoever made the request."""
    user = request.user
    if user.is_authenticated:
        assert isinstance(user, User)
        return AccountStore(user)
    return SessionStore(request)


def adopt_on_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """After a sign-up or a login, the visitor's session profile becomes the account's
    (``user_logged_in``; the session's data survive the login's new session key)."""
    if request is None or not hasattr(request, "session"):
        return
    stored = request.session.get(SESSION_KEY)
    if not isinstance(stored, dict) or not isinstance(stored.get("profile"), dict):
        return
    had_one = ApplicantProfile.objects.filter(user=user).exists()
    saved_at = parse_datetime(str(stored.get("saved") or "")) or timezone.now()
    data, dropped = drop_missing_programs(stored["profile"])
    token = str(stored.get("token") or "")
    try:
        _, moved = services.adopt_visitor_profile(
            user, data, saved_at=saved_at, visitor=keyed_hash(token) if token else ""
        )
    except ValidationError as e:
        messages.error(
            request,
            "Your list could not be saved in your account: "
            + " ".join(str(m) for m in e.messages)
            + " Fill in your profile again.",
            fail_silently=True,
        )
        return
    del request.session[SESSION_KEY]
    if not moved:
        text = (
            "You already had a SmartPick profile in your account, saved after the list you "
            "built without logging in, so we kept the one in your account (the newer one)."
        )
    elif had_one:
        text = (
            "Your account had an older SmartPick profile; we kept the newer one, the list "
            "you built just now, and saved it in your account."
        )
    else:
        text = "Your program list is saved in your account."
    if dropped:
        were = "was" if len(dropped) == 1 else "were"
        text += f" {_programs(dropped)} left the catalogue and {were} left out."
    messages.success(request, text, fail_silently=True)
