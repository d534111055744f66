"""An account with the demo data and its export, for the round trip and the bad inputs."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet

from preceptor.accounts.models import User
from preceptor.core import demo
from preceptor.portability import services


@pytest.fixture(autouse=True)
def vault(settings: Any, tmp_path: Path) -> Path:
    # The demo puts a waived letter in the vault: a vault and a key of the test's own.
    settings.WRITERS_VAULT_DIR = str(tmp_path / "vault")
    settings.WRITERS_FILE_KEYS = [Fernet.generate_key().decode()]
    settings.SITE_URL = "http://testserver"
    return tmp_path / "vault"


@pytest.fixture
def demo_user(db: None) -> User:
    user, _ = demo.seed()
    return user


@pytest.fixture
def export(demo_user: User) -> bytes:
    return services.export_account(demo_user)


def members(archive: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def data_of(archive: bytes) -> dict[str, Any]:
    return json.loads(members(archive)["data.json"])


def manifest_of(archive: bytes) -> dict[str, Any]:
    return json.loads(members(archive)["manifest.json"])
