"""Every writers test gets its own vault directory and its own file key; a module that asks
for ``s3_server`` gets a real S3-compatible server (moto's) of its own."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet

from tests.s3server import S3Server


@pytest.fixture(autouse=True)
def vault(settings: Any, tmp_path: Path) -> Path:
    settings.WRITERS_VAULT_DIR = str(tmp_path / "vault")
    settings.WRITERS_FILE_KEYS = [Fernet.generate_key().decode()]
    settings.SITE_URL = "http://testserver"
    return tmp_path / "vault"


@pytest.fixture(scope="module")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[S3Server]:
    server = S3Server(tmp_path_factory.mktemp("moto"))
    yield server
    server.close()


@pytest.fixture
def bucket(s3_server: S3Server, settings: Any) -> str:
    name = f"vault-{uuid.uuid4().hex[:12]}"
    settings.WRITERS_VAULT_S3 = s3_server.new_bucket(name)
    return name
