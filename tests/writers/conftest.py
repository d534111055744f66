"""Every writers test gets its own vault directory and its own file key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet


@pytest.fixture(autouse=True)
def vault(settings: Any, tmp_path: Path) -> Path:
    settings.WRITERS_VAULT_DIR = str(tmp_path / "vault")
    settings.WRITERS_FILE_KEYS = [Fernet.generate_key().decode()]
    settings.SITE_URL = "http://testserver"
    return tmp_path / "vault"
