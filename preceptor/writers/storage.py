"""Encrypted storage for letters: MultiFernet over files in the vault directory.

Keys come from ``PRECEPTOR_FILE_KEYS`` (or ``PRECEPTOR_FILE_KEYS_FILE``), comma-separated,
newest first: the first key encrypts, every key decrypts, so a new key can be put in front
and ``manage.py rotate_file_keys`` re-encrypts every file with it before the old one is
dropped. Without that variable a development key is generated under ``var/`` (mode 0600),
exactly as the development ``SECRET_KEY`` is; with ``DEBUG`` false the variable is required.

Files live in ``PRECEPTOR_VAULT_DIR`` (default ``var/vault/``) under random names. Each file
holds one Fernet token (AES-128-CBC + HMAC-SHA256, base64), so nothing on disk starts with
``%PDF`` or can be read without a key, and any tampering fails authentication on read.

Only two code paths decrypt: a recipient's download and, when the applicant did not waive
their right of access, the applicant's own copy (see ``services``).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from preceptor.lib.env import env, env_list, generated_secret

__all__ = [
    "StorageError",
    "delete",
    "fernet",
    "read",
    "rotate",
    "vault_dir",
    "write",
]

_NAME_CHARS = set("0123456789abcdef")


class StorageError(Exception):
    """A stored letter is missing or cannot be decrypted with any configured key."""


def _dev_key() -> str:
    # 32 random bytes from generated_secret (token_urlsafe drops base64 padding); Fernet
    # wants the padded form of exactly those bytes.
    raw = generated_secret(Path(settings.VAR_DIR) / "file_key", nbytes=32)
    return base64.urlsafe_b64encode(base64.urlsafe_b64decode(raw + "=")).decode()


def keys() -> list[str]:
    """The configured keys, newest first."""
    configured = getattr(settings, "WRITERS_FILE_KEYS", None)
    if configured is None:
        configured = env_list("PRECEPTOR_FILE_KEYS", [])
    if configured:
        return list(configured)
    if not settings.DEBUG:
        raise ImproperlyConfigured(
            "PRECEPTOR_FILE_KEYS must be set when DEBUG is false "
            "(generate one with: python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())')"
        )
    return [_dev_key()]


def fernet() -> MultiFernet:
    try:
        return MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in keys()])
    except (ValueError, binascii.Error, TypeError) as e:
        raise ImproperlyConfigured(
            "PRECEPTOR_FILE_KEYS holds a value that is not a Fernet key "
            "(32 bytes, URL-safe base64)."
        ) from e


def vault_dir() -> Path:
    configured = getattr(settings, "WRITERS_VAULT_DIR", None) or env("PRECEPTOR_VAULT_DIR")
    path = Path(configured) if configured else Path(settings.VAR_DIR) / "vault"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _path(name: str) -> Path:
    # Names are generated here; refuse anything else so a bad row can never point elsewhere.
    if not name or len(name) != 32 or not set(name) <= _NAME_CHARS:
        raise StorageError("Not a vault file name.")
    return vault_dir() / name


def _write_file(path: Path, data: bytes) -> None:
    tmp = path.with_suffix(f".tmp-{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        # Atomic: a reader sees the old file or the new one, never half of one.
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write(data: bytes) -> str:
    """Encrypt ``data`` into a new file; return its name."""
    name = secrets.token_hex(16)
    _write_file(_path(name), fernet().encrypt(data))
    return name


def read(name: str) -> bytes:
    try:
        token = _path(name).read_bytes()
    except OSError as e:
        raise StorageError("The stored letter is missing.") from e
    try:
        return fernet().decrypt(token)
    except InvalidToken as e:
        raise StorageError("The stored letter cannot be decrypted with the configured keys.") from e


def rotate(name: str) -> None:
    """Re-encrypt one file with the newest key (readable before, readable after)."""
    path = _path(name)
    try:
        token = path.read_bytes()
    except OSError as e:
        raise StorageError("The stored letter is missing.") from e
    try:
        rotated = fernet().rotate(token)
    except InvalidToken as e:
        raise StorageError("The stored letter cannot be decrypted with the configured keys.") from e
    _write_file(path, rotated)


def delete(name: str) -> None:
    with contextlib.suppress(StorageError):
        _path(name).unlink(missing_ok=True)
