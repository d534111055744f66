"""The demo seeder and the production check for file keys."""

from __future__ import annotations

from typing import Any

import pytest

from preceptor.core import demo
from preceptor.writers.checks import file_keys_configured
from preceptor.writers.models import VaultLetter, WriterLink


def test_the_demo_has_a_writer_link_and_a_letter_in_the_vault(db: None, vault: Any) -> None:
    user, _ = demo.seed()
    assert WriterLink.objects.filter(request__application__user=user).exists()
    letter = VaultLetter.objects.get(request__application__user=user)
    assert letter.request.application.uses_vault and letter.waived
    assert letter.page_count == 1
    # Seeding again gives the same account, not twice the data.
    user, _ = demo.seed()
    assert VaultLetter.objects.filter(request__application__user=user).count() == 1


def test_production_without_file_keys_fails_the_deploy_check(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    del settings.WRITERS_FILE_KEYS
    monkeypatch.delenv("PRECEPTOR_FILE_KEYS", raising=False)
    monkeypatch.delenv("PRECEPTOR_FILE_KEYS_FILE", raising=False)
    settings.DEBUG = False
    (error,) = file_keys_configured()
    assert error.id == "writers.E001"
    monkeypatch.setenv("PRECEPTOR_FILE_KEYS", "x" * 10)
    assert file_keys_configured()[0].id == "writers.E001"
    from cryptography.fernet import Fernet

    monkeypatch.setenv("PRECEPTOR_FILE_KEYS", Fernet.generate_key().decode())
    assert file_keys_configured() == []
