"""Signed unsubscribe links and hashed calendar-feed tokens."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

UNSUBSCRIBE_SALT = "preceptor.notify.unsubscribe"
# Long enough for an email that sat in an inbox over a break; a stale link says so clearly.
UNSUBSCRIBE_MAX_AGE = 60 * 24 * 3600


@dataclass(frozen=True)
class UnsubscribeTarget:
    """Who asked to stop: an applicant (by profile public id) or a writer (by address)."""

    applicant: str | None = None
    writer: str | None = None


class BadToken(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def unsubscribe_token(target: UnsubscribeTarget) -> str:
    payload = {"a": target.applicant} if target.applicant else {"w": target.writer or ""}
    return signing.dumps(payload, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(target: UnsubscribeTarget) -> str:
    token = unsubscribe_token(target)
    return settings.SITE_URL + reverse("notify:unsubscribe", kwargs={"token": token})


def read_unsubscribe_token(token: str) -> UnsubscribeTarget:
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    except signing.SignatureExpired as e:
        raise BadToken("expired") from e
    except signing.BadSignature as e:
        raise BadToken("invalid") from e
    if not isinstance(payload, dict):
        raise BadToken("invalid")
    applicant, writer = payload.get("a"), payload.get("w")
    if isinstance(applicant, str) and applicant:
        return UnsubscribeTarget(applicant=applicant)
    if isinstance(writer, str) and writer:
        return UnsubscribeTarget(writer=writer)
    raise BadToken("invalid")


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


def hash_feed_token(token: str) -> str:
    # The token has 256 random bits: a plain SHA-256 is enough (no brute force to slow).
    return hashlib.sha256(token.encode()).hexdigest()
