"""/healthz checks the letter vault: the directory is writable, or the object store answers
a HEAD on the bucket (a real local server, moto's). A vault directory this machine cannot
write is a 503 (the balancer routes around the machine); an object store every machine
shares that cannot store letters degrades the site (a 200 that says so), since taking every
machine out would stop the pages that need no letter too. Reasons name no bucket, path,
address or credential."""

from __future__ import annotations

import contextlib
import socket
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from preceptor.core import services
from preceptor.writers import storage
from tests.s3server import ACCESS_KEY, SECRET_KEY, S3Server, free_port

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _ask_every_time(monkeypatch: pytest.MonkeyPatch) -> None:
    # These tests change the vault between two /healthz calls: no answer kept for seconds.
    monkeypatch.setattr(services, "PART_CHECK_SECONDS", 0.0)


def healthz() -> tuple[int, dict[str, Any], bytes]:
    response = Client().get("/healthz")
    return response.status_code, response.json(), response.content


def assert_no_secrets(body: bytes, *secrets: str) -> None:
    for secret in (ACCESS_KEY, SECRET_KEY, *secrets):
        assert secret.encode() not in body


def test_a_writable_vault_directory_is_ok(vault: Path) -> None:
    code, data, _ = healthz()
    assert code == 200
    assert data["vault"] == "ok"
    # The probe leaves nothing in the vault (sweep_vault and backups see only letters).
    assert list(vault.iterdir()) == []


def test_a_vault_directory_that_cannot_be_written_is_a_503(settings: Any, tmp_path: Path) -> None:
    # A regular file where the directory should be: mkdir and every write fail, as root too.
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings.WRITERS_VAULT_DIR = str(blocker)
    code, data, body = healthz()
    assert code == 503
    assert data["status"] == "error"
    assert data["vault"] == "not writable"
    assert data["database"] == "ok"
    assert_no_secrets(body, str(tmp_path))


def test_a_bucket_that_answers_is_ok(bucket: str) -> None:
    code, data, body = healthz()
    assert code == 200
    assert data["vault"] == "ok"
    assert_no_secrets(body, bucket)


def test_a_bucket_that_does_not_exist_degrades_the_site(s3_server: S3Server, settings: Any) -> None:
    name = f"vault-{uuid.uuid4().hex[:12]}"
    settings.WRITERS_VAULT_S3 = {**s3_server.new_bucket(name), "bucket": f"{name}-gone"}
    code, data, body = healthz()
    assert (code, data["status"]) == (200, "degraded")
    assert data["vault"] == "bucket not found"
    assert_no_secrets(body, name, str(s3_server.gate.port))


def test_an_unreachable_store_degrades_the_site_until_it_is_back(
    s3_server: S3Server, bucket: str
) -> None:
    assert healthz()[1]["vault"] == "ok"  # a pooled connection the outage then cuts
    with s3_server.outage():
        code, data, body = healthz()
        assert (code, data["status"]) == (200, "degraded")
        assert data["vault"] == "unreachable"
        assert_no_secrets(body, bucket, str(s3_server.gate.port))
    code, data, _ = healthz()
    assert (code, data["vault"]) == (200, "ok")


class Silent:
    """A port that completes the TCP handshake (the kernel's backlog) and never answers;
    :meth:`connections` counts the attempts made on it."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", free_port()))

    def vault(self, **config: Any) -> dict[str, Any]:
        return {
            "bucket": "vault-silent",
            "endpoint_url": f"http://127.0.0.1:{self.socket.getsockname()[1]}",
            "access_key_id": ACCESS_KEY,
            "secret_access_key": SECRET_KEY,
            "region": "us-east-1",
            **config,
        }

    def connections(self) -> int:
        self.socket.setblocking(False)
        count = 0
        with contextlib.suppress(BlockingIOError):
            while True:
                self.socket.accept()[0].close()
                count += 1
        return count


@pytest.fixture
def silent() -> Iterator[Silent]:
    server = Silent()
    yield server
    server.socket.close()


def test_a_hanging_store_is_given_up_on_after_one_short_attempt(
    silent: Silent, settings: Any
) -> None:
    # The vault's own patience, which the probe must not inherit.
    settings.WRITERS_VAULT_S3 = silent.vault(timeout=30)
    started = time.monotonic()
    code, data, _ = healthz()
    waited = time.monotonic() - started
    assert (code, data["status"], data["vault"]) == (200, "degraded", "unreachable")
    # One connection, given up on after PROBE_SECONDS: not the vault's 30 s, nor retries.
    assert silent.connections() == 1
    assert waited < 30


def test_a_burst_of_health_checks_asks_a_hanging_store_once(
    silent: Silent, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # /healthz is public: ten requests must not tie a web process up for ten probes.
    monkeypatch.setattr(services, "PART_CHECK_SECONDS", 60.0)
    settings.WRITERS_VAULT_S3 = silent.vault(timeout=30)
    answers = [healthz()[1]["vault"] for _ in range(10)]
    assert answers == ["unreachable"] * 10
    assert silent.connections() == 1


def test_the_vault_makes_as_many_attempts_as_configured(silent: Silent, settings: Any) -> None:
    settings.WRITERS_VAULT_S3 = silent.vault(timeout=1, max_attempts=2)
    with pytest.raises(storage.StorageUnavailable):
        storage.read_raw("0" * 32)
    assert silent.connections() == 2


def test_a_stopped_store_degrades_the_site_and_a_restarted_one_is_ok_again(
    s3_server: S3Server, settings: Any
) -> None:
    name = f"vault-{uuid.uuid4().hex[:12]}"
    settings.WRITERS_VAULT_S3 = s3_server.new_bucket(name)
    s3_server.stop()
    try:
        code, data, body = healthz()
        assert (code, data["status"], data["vault"]) == (200, "degraded", "unreachable")
        assert_no_secrets(body, name)
    finally:
        s3_server.start()
    # moto kept its buckets in memory: the restarted store has none until one is made.
    assert healthz()[1]["vault"] == "bucket not found"
    s3_server.new_bucket(name)
    code, data, _ = healthz()
    assert (code, data["vault"]) == (200, "ok")
