"""Demo account -> export -> import into a fresh account -> export: the same content."""

from __future__ import annotations

import datetime as dt
from typing import Any

from preceptor.accounts.models import User
from preceptor.letters.models import DocumentVersion, LetterRequest
from preceptor.mentors.models import Achievement, Mentor
from preceptor.notify.models import Reminder
from preceptor.portability import records, services
from preceptor.portability.owned import OWNED
from tests.conftest import make_user
from tests.portability.conftest import data_of, manifest_of, members


def test_the_export_holds_every_owned_row_and_the_documents(demo_user: User, export: bytes) -> None:
    data, manifest = data_of(export), manifest_of(export)
    assert data["format"] == manifest["format"] == records.FORMAT
    assert set(data["models"]) == set(OWNED)
    assert manifest["counts"]["mentors.Mentor"] == Mentor.objects.filter(user=demo_user).count()
    assert manifest["counts"]["letters.LetterRequest"] == (
        LetterRequest.objects.filter(application__user=demo_user).count()
    )
    docs = DocumentVersion.objects.filter(document__user=demo_user)
    files = {k: v for k, v in members(export).items() if k.startswith("documents/")}
    assert sorted(bytes(d.data) for d in docs) == sorted(files.values())
    assert set(manifest["files"]) == set(members(export)) - {"manifest.json"}


def test_the_export_uses_opaque_ids_and_iso_dates(demo_user: User, export: bytes) -> None:
    data = data_of(export)
    mentor = data["models"]["mentors.Mentor"][0]
    assert mentor["id"] == "mentors.Mentor:1"
    assert "public_id" not in mentor["fields"] and "user" not in mentor["fields"]
    dt.datetime.fromisoformat(mentor["fields"]["created"])
    request = data["models"]["letters.LetterRequest"][0]["fields"]
    assert request["mentor"].startswith("mentors.Mentor:")
    assert request["application"].startswith("letters.Application:")
    keys = {str(m.public_id) for m in Mentor.objects.filter(user=demo_user)}
    assert not any(key in str(data) for key in keys)


def test_round_trip_reproduces_the_account(
    demo_user: User, django_capture_on_commit_callbacks: Any
) -> None:
    # A request that names achievements (keys inside a JSON field, remapped on import).
    chosen = list(Achievement.objects.filter(user=demo_user).values_list("pk", flat=True)[:2])
    first = LetterRequest.objects.filter(application__user=demo_user).order_by("pk").first()
    assert first is not None and chosen
    LetterRequest.objects.filter(pk=first.pk).update(achievement_ids=chosen)
    export = services.export_account(demo_user)
    fresh = make_user("fresh@example.org", "Fresh Start")
    with django_capture_on_commit_callbacks(execute=True):
        result = services.import_account(fresh, export)
    assert result.counts["mentors.Mentor"] == Mentor.objects.filter(user=demo_user).count()

    again = services.export_account(fresh)
    # Same content, ids and times included: the import keeps each row's times and order.
    assert data_of(again)["models"] == data_of(export)["models"]
    assert manifest_of(again)["counts"] == manifest_of(export)["counts"]
    assert {k: v for k, v in members(again).items() if k.startswith("documents/")} == {
        k: v for k, v in members(export).items() if k.startswith("documents/")
    }

    # New rows with new keys: nothing shared with the account the export came from.
    old = set(Mentor.objects.filter(user=demo_user).values_list("pk", "public_id"))
    new = set(Mentor.objects.filter(user=fresh).values_list("pk", "public_id"))
    assert len(new) == len(old)
    assert not {pk for pk, _ in old} & {pk for pk, _ in new}
    assert not {u for _, u in old} & {u for _, u in new}
    # Relations point inside the new account, JSON keys included.
    for r in LetterRequest.objects.filter(application__user=fresh).select_related("mentor"):
        assert r.mentor.user_id == fresh.pk
        owned = set(Achievement.objects.filter(user=fresh).values_list("pk", flat=True))
        assert set(r.achievement_ids or []) <= owned
    assert any(r.achievement_ids for r in LetterRequest.objects.filter(application__user=fresh))
    # The tags came along with their mentors.
    assert sum(m.tags.count() for m in Mentor.objects.filter(user=fresh)) == sum(
        m.tags.count() for m in Mentor.objects.filter(user=demo_user)
    )
    # Reminders are rebuilt from the imported rows, as the original's were.
    assert Reminder.objects.filter(user=fresh).count() > 0
    # The original account is untouched, and the new one keeps its own sign-in.
    assert data_of(services.export_account(demo_user))["models"] == data_of(export)["models"]
    fresh.refresh_from_db()
    assert fresh.email == "fresh@example.org"


def test_an_empty_account_round_trips(alice: User, bob: User) -> None:
    first = services.export_account(alice)
    services.import_account(bob, first)
    assert data_of(services.export_account(bob))["models"] == data_of(first)["models"]
