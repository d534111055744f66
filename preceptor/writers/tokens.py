"""Secret link tokens: random, shown once, stored only as a SHA-256 hash.

A token is 32 random bytes from :mod:`secrets` (256 bits), written URL-safe. The database
keeps its SHA-256 hex digest, so a copy of the database (a backup, a leaked dump) holds no
usable link. A lookup hashes the presented token and finds the row by that hash: the
comparison the database makes is between digests of the attacker's own guess, so its
timing says nothing about a real token; :func:`matches` adds a constant-time comparison
for the row that was found.

Examples
--------
>>> t = new_token()
>>> len(t) >= 43 and looks_like_token(t)
True
>>> looks_like_token("../etc/passwd")
False
>>> matches(t, hash_token(t))
True
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

__all__ = ["TOKEN_BYTES", "hash_token", "looks_like_token", "matches", "new_token"]

TOKEN_BYTES = 32
# token_urlsafe(32) gives 43 characters; accept a little slack but nothing absurd, so a
# junk path segment is refused before it costs a hash and a query.
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{40,64}$")


def new_token() -> str:
    """A fresh token with 256 random bits."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """The SHA-256 hex digest stored in place of the token."""
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def looks_like_token(value: str) -> bool:
    return bool(_TOKEN_RE.match(value or ""))


def matches(token: str, stored_hash: str) -> bool:
    """Whether ``token`` hashes to ``stored_hash``, compared in constant time."""
    return hmac.compare_digest(hash_token(token), stored_hash)
