"""No letter content ever leaves in an export: not a waived letter's, nor any other's."""

from __future__ import annotations

import json

from preceptor.accounts.models import User
from preceptor.writers import storage
from preceptor.writers.models import AuditEvent, Delivery, VaultLetter, WriterLink
from tests.portability.conftest import members


def test_a_waived_letter_never_reaches_the_export(demo_user: User, export: bytes) -> None:
    letters = list(VaultLetter.objects.filter(request__application__user=demo_user))
    assert any(letter.waived for letter in letters), "the demo has a waived letter"
    files = members(export)
    for letter in letters:
        content = storage.read(letter.stored_name)
        for name, member in files.items():
            assert content not in member, name
        # Nor its name in the vault, nor any sign of the row.
        assert all(letter.stored_name.encode() not in m for m in files.values())
        assert all(str(letter.public_id).encode() not in m for m in files.values())
    data = json.loads(files["data.json"])
    assert not [label for label in data["models"] if label.startswith("writers.")]
    assert set(files) - {"manifest.json", "data.json"} == {
        n for n in files if n.startswith("documents/letters-DocumentVersion-")
    }


def test_nothing_of_the_vault_or_the_links_is_exported(demo_user: User, export: bytes) -> None:
    blob = b"".join(members(export).values())
    for link in WriterLink.objects.filter(request__application__user=demo_user):
        assert link.token_hash.encode() not in blob
    for delivery in Delivery.objects.filter(letter__request__application__user=demo_user):
        assert delivery.token_hash.encode() not in blob
    for event in AuditEvent.objects.filter(request__application__user=demo_user):
        if event.detail:
            assert event.detail.encode() not in blob
