"""Encrypted storage for letters: MultiFernet over files in the vault directory.

Keys come from ``PRECEPTOR_FILE_KEYS`` (or ``PRECEPTOR_FILE_KEYS_FILE``), comma-separated,
newest first: the first key encrypts, every key decrypts, so a new key can be put in front
and ``manage.py rotate_file_keys`` re-encrypts every file with it before the old one is
dropped. Without that variable a development key is generated under ``var/`` (mode 0600),
exactly as the development ``SECRET_KEY`` is; with ``DEBUG`` false the variable is required.

Files live in ``PRECEPTOR_VAULT_DIR`` (default ``var/vault/``) under random names, or, when
``PRECEPTOR_VAULT_S3_BUCKET`` is set, as objects in that bucket of an S3-compatible object
store (django-storages over boto3; see :func:`s3_config`), so several machines share one
vault. Each file holds one Fernet token (AES-128-CBC + HMAC-SHA256, base64), so nothing
stored starts with ``%PDF`` or can be read without a key, and any tampering fails
authentication on read.

An object store that cannot be reached raises :class:`StorageUnavailable` (a
:class:`StorageError`): an upload then stores nothing and the writer is told to try again.
Deleting never raises: a file that cannot be deleted is logged and left for
``manage.py sweep_vault``, which removes stored files that no letter names.

Only two code paths decrypt: a recipient's download and, when the applicant did not waive
their right of access, the applicant's own copy (see ``services``).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import logging
import os
import secrets
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from preceptor.core.services import PartState
from preceptor.lib.env import env, env_int, env_list, generated_secret

__all__ = [
    "StorageError",
    "StorageUnavailable",
    "delete",
    "fernet",
    "probe",
    "read",
    "read_raw",
    "rotate",
    "s3_config",
    "stored_files",
    "vault_dir",
    "write",
    "write_raw",
]

log = logging.getLogger(__name__)

# /healthz's probe of the object store: one attempt, each of connecting and reading bounded
# by this, so a store that hangs delays a load balancer's probe by seconds, not minutes.
PROBE_SECONDS = 2

_NAME_CHARS = set("0123456789abcdef")


class StorageError(Exception):
    """A stored letter is missing or cannot be decrypted with any configured key."""


class StorageUnavailable(StorageError):
    """The object store holding the vault cannot be reached (or refuses the request)."""

    def __init__(self, message: str = "The letter store cannot be reached right now.") -> None:
        super().__init__(message)


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


def s3_config() -> dict[str, Any] | None:
    """The object store's settings, or None for the filesystem (the default).

    From ``PRECEPTOR_VAULT_S3_BUCKET`` (which turns it on), ``_ENDPOINT_URL`` (for stores
    other than Amazon's), ``_ACCESS_KEY_ID``, ``_SECRET_ACCESS_KEY`` (else boto3's own
    credential chain), ``_REGION``, ``_PREFIX`` (a folder inside the bucket) and
    ``_TIMEOUT`` (seconds, default 10), each also as ``NAME_FILE``. The setting
    ``WRITERS_VAULT_S3`` (a dict of the same keys in lower case) replaces them (tests).
    """
    configured = getattr(settings, "WRITERS_VAULT_S3", None)
    if configured is not None:
        return dict(configured) or None
    bucket = env("PRECEPTOR_VAULT_S3_BUCKET")
    if not bucket:
        return None
    return {
        "bucket": bucket,
        "endpoint_url": env("PRECEPTOR_VAULT_S3_ENDPOINT_URL") or None,
        "access_key_id": env("PRECEPTOR_VAULT_S3_ACCESS_KEY_ID") or None,
        "secret_access_key": env("PRECEPTOR_VAULT_S3_SECRET_ACCESS_KEY") or None,
        "region": env("PRECEPTOR_VAULT_S3_REGION") or None,
        "prefix": env("PRECEPTOR_VAULT_S3_PREFIX") or "",
        "timeout": env_int("PRECEPTOR_VAULT_S3_TIMEOUT", 10),
    }


def _check_name(name: str) -> str:
    # Names are generated here; refuse anything else so a bad row can never point elsewhere.
    if not name or len(name) != 32 or not set(name) <= _NAME_CHARS:
        raise StorageError("Not a vault file name.")
    return name


def _path(name: str) -> Path:
    return vault_dir() / _check_name(name)


# ---------------------------------------------------------------- where the tokens live


class _Backend(Protocol):
    def put(self, name: str, token: bytes) -> None: ...
    def get(self, name: str) -> bytes: ...
    def remove(self, name: str) -> None: ...
    def listing(self) -> Iterator[tuple[str, dt.datetime]]: ...
    def probe(self) -> str: ...


class _Files:
    """The default: one file per letter in the vault directory, written atomically."""

    def put(self, name: str, token: bytes) -> None:
        path = _path(name)
        tmp = path.with_suffix(f".tmp-{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(token)
                f.flush()
                os.fsync(f.fileno())
            # Atomic: a reader sees the old file or the new one, never half of one.
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def get(self, name: str) -> bytes:
        try:
            return _path(name).read_bytes()
        except OSError as e:
            raise StorageError("The stored letter is missing.") from e

    def remove(self, name: str) -> None:
        _path(name).unlink(missing_ok=True)

    def listing(self) -> Iterator[tuple[str, dt.datetime]]:
        # Every entry, a temporary file left by a crash included (its name is not a letter's).
        for entry in os.scandir(vault_dir()):
            if entry.is_file():
                modified = dt.datetime.fromtimestamp(entry.stat().st_mtime, tz=dt.UTC)
                yield entry.name, modified

    def probe(self) -> str:
        # An unnamed file (O_TMPFILE on Linux): nothing is left behind, even by a crash.
        try:
            with tempfile.TemporaryFile(dir=vault_dir()) as f:
                f.write(b"\0")
                f.flush()
        except OSError as e:
            log.warning("vault directory is not writable: %s", e)
            return "not writable"
        return "ok"


class _ObjectStore:
    """An S3-compatible bucket through django-storages; one object per letter."""

    def __init__(self, config: dict[str, Any]) -> None:
        from boto3.s3.transfer import TransferConfig
        from botocore.config import Config
        from storages.backends.s3 import S3Storage

        timeout = int(config.get("timeout") or 10)
        self.config = config
        self.bucket = config["bucket"]
        self.prefix = str(config.get("prefix") or "").strip("/")
        self.storage = S3Storage(
            bucket_name=self.bucket,
            endpoint_url=config.get("endpoint_url"),
            access_key=config.get("access_key_id"),
            secret_key=config.get("secret_access_key"),
            region_name=config.get("region"),
            location=self.prefix,
            file_overwrite=True,  # names are random; a rotation rewrites in place
            default_acl=None,
            querystring_auth=False,
            # One request per object, in the caller's thread: letters are small (10 MB at
            # most), and an outage then surfaces as one error rather than a worker's.
            transfer_config=TransferConfig(use_threads=False, multipart_threshold=64 * 2**20),
            client_config=Config(
                connect_timeout=timeout,
                read_timeout=timeout,
                retries={
                    # total_: botocore counts a plain max_attempts as retries after the first.
                    "total_max_attempts": int(config.get("max_attempts") or 3),
                    "mode": "standard",
                },
                signature_version="s3v4",
            ),
        )

    @staticmethod
    def _errors() -> tuple[type[BaseException], ...]:
        from boto3.exceptions import Boto3Error
        from botocore.exceptions import BotoCoreError, ClientError

        return (BotoCoreError, ClientError, Boto3Error)

    def _unavailable(self, e: BaseException, doing: str) -> StorageUnavailable:
        log.warning("vault object store (bucket %s) failed while %s: %s", self.bucket, doing, e)
        return StorageUnavailable()

    def put(self, name: str, token: bytes) -> None:
        from django.core.files.base import ContentFile

        try:
            self.storage.save(_check_name(name), ContentFile(token))
        except self._errors() as e:
            raise self._unavailable(e, "storing a letter") from e

    def get(self, name: str) -> bytes:
        try:
            with self.storage.open(_check_name(name), "rb") as f:
                data = f.read()
        except FileNotFoundError as e:
            raise StorageError("The stored letter is missing.") from e
        except self._errors() as e:
            if _status(e) == 404:
                raise StorageError("The stored letter is missing.") from e
            raise self._unavailable(e, "reading a letter") from e
        return data if isinstance(data, bytes) else data.encode()

    def remove(self, name: str) -> None:
        try:
            self.storage.delete(_check_name(name))
        except self._errors() as e:
            raise self._unavailable(e, "deleting a letter") from e

    def listing(self) -> Iterator[tuple[str, dt.datetime]]:
        prefix = f"{self.prefix}/" if self.prefix else ""
        try:
            for obj in self.storage.bucket.objects.filter(Prefix=prefix):
                yield obj.key[len(prefix) :], obj.last_modified
        except self._errors() as e:
            raise self._unavailable(e, "listing the vault") from e

    @functools.cached_property
    def _probe_client(self) -> Any:
        # Its own client: the vault's waits up to its timeout for each of several attempts.
        import boto3
        from botocore.config import Config

        return boto3.session.Session().client(
            "s3",
            endpoint_url=self.config.get("endpoint_url"),
            aws_access_key_id=self.config.get("access_key_id"),
            aws_secret_access_key=self.config.get("secret_access_key"),
            region_name=self.config.get("region"),
            config=Config(
                connect_timeout=PROBE_SECONDS,
                read_timeout=PROBE_SECONDS,
                retries={"total_max_attempts": 1, "mode": "standard"},
                signature_version="s3v4",
            ),
        )

    def probe(self) -> str:
        """One HEAD request on the bucket: the store answers, the credentials are good and
        the bucket exists. Nothing is listed, read or written."""
        try:
            self._probe_client.head_bucket(Bucket=self.bucket)
        except self._errors() as e:
            log.warning(
                "vault object store (bucket %s) failed the health check: %s", self.bucket, e
            )
            return _probe_reason(e)
        return "ok"


def _probe_reason(e: BaseException) -> str:
    from botocore.exceptions import ConnectionError, HTTPClientError, NoCredentialsError

    # ReadTimeoutError and ConnectionClosedError are HTTPClientErrors; the connection
    # errors include ConnectTimeoutError and EndpointConnectionError (refused, no route).
    if isinstance(e, ConnectionError | HTTPClientError):
        return "unreachable"
    if isinstance(e, NoCredentialsError):
        return "no credentials"
    status = _status(e)
    if status in (401, 403):
        return "access denied"
    if status == 404:
        return "bucket not found"
    return f"failed (HTTP {status})" if status else "failed"


def _status(e: BaseException) -> int | None:
    response = getattr(e, "response", None) or {}
    try:
        return int(response.get("ResponseMetadata", {}).get("HTTPStatusCode"))
    except (TypeError, ValueError):
        return None


@functools.lru_cache(maxsize=4)
def _object_store(frozen: tuple[tuple[str, Any], ...]) -> _ObjectStore:
    # One client per configuration: boto3 sessions are costly to build for every request.
    return _ObjectStore(dict(frozen))


def _backend() -> _Backend:
    config = s3_config()
    if config is None:
        return _Files()
    return _object_store(tuple(sorted(config.items())))


def probe() -> PartState:
    """Whether letters can be stored now, for /healthz: "ok", or a short reason that names
    no bucket, path or credential ("unreachable", "access denied", "not writable" …). A
    vault directory or a configuration is this machine's own (a fault there is ``local``);
    the object store is every machine's."""
    try:
        backend = _backend()
    except ImproperlyConfigured as e:
        log.warning("vault is misconfigured: %s", e)
        return PartState("misconfigured", local=True)
    return PartState(backend.probe(), local=isinstance(backend, _Files))


def where() -> str:
    """Where the vault is, for messages (never a credential)."""
    config = s3_config()
    if config is None:
        return str(vault_dir())
    prefix = str(config.get("prefix") or "").strip("/")
    return f"s3://{config['bucket']}/{prefix}" if prefix else f"s3://{config['bucket']}"


# ---------------------------------------------------------------- the operations


def write(data: bytes) -> str:
    """Encrypt ``data`` into a new file; return its name. :class:`StorageUnavailable` if
    the object store cannot be reached (then nothing was stored)."""
    name = secrets.token_hex(16)
    _backend().put(name, fernet().encrypt(data))
    return name


def read(name: str) -> bytes:
    token = _backend().get(name)
    try:
        return fernet().decrypt(token)
    except InvalidToken as e:
        raise StorageError("The stored letter cannot be decrypted with the configured keys.") from e


def rotate(name: str) -> None:
    """Re-encrypt one file with the newest key (readable before, readable after)."""
    backend = _backend()
    token = backend.get(name)
    try:
        rotated = fernet().rotate(token)
    except InvalidToken as e:
        raise StorageError("The stored letter cannot be decrypted with the configured keys.") from e
    backend.put(name, rotated)


def delete(name: str) -> bool:
    """Remove one file; False (logged) when it could not be, never an exception: the file
    is then an orphan that ``manage.py sweep_vault`` removes once no letter names it."""
    try:
        _backend().remove(name)
    except StorageError:
        return False
    except OSError as e:
        log.warning("vault file %s could not be deleted: %s", name, e)
        return False
    return True


def read_raw(name: str) -> bytes:
    """A stored file as it is (still encrypted): for backups."""
    return _backend().get(name)


def write_raw(name: str, token: bytes) -> None:
    """Store an encrypted file under its own name (a restore); refused unless the token
    decrypts with the configured keys, so a restore never stores what cannot be read."""
    try:
        fernet().decrypt(token)
    except InvalidToken as e:
        raise StorageError(
            f"Vault file {name} cannot be decrypted with the configured keys."
        ) from e
    _backend().put(name, token)


def stored_files() -> Iterator[tuple[str, dt.datetime]]:
    """Every file in the vault with its modification time (letters and leftovers)."""
    return _backend().listing()
