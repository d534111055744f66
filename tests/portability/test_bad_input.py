"""Each bad archive is refused with a sentence, and the account it was meant for is unchanged."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

import pytest

from preceptor.accounts.models import User
from preceptor.letters import services as letters
from preceptor.mentors.models import Mentor
from preceptor.portability import services
from tests.letters.factories import make_request, pdf_bytes
from tests.lib.pdfs import pdf_with_javascript
from tests.portability.conftest import members


@pytest.fixture
def small_export(alice: User) -> bytes:
    r = make_request(alice, "agreed")
    letters.upload_document(r.application, "cv", pdf_bytes(2, "Alice CV"), filename="cv.pdf")
    return services.export_account(alice)


def rebuild(
    archive: bytes,
    change: Callable[[dict[str, bytes]], None] = lambda m: None,
    *,
    manifest: Callable[[dict[str, Any]], None] | None = None,
    checksums: bool = True,
) -> bytes:
    """The archive with its members changed; checksums recomputed unless told not to."""
    files = members(archive)
    change(files)
    meta = json.loads(files.pop("manifest.json"))
    if checksums:
        meta["files"] = {n: hashlib.sha256(c).hexdigest() for n, c in files.items()}
    if manifest:
        manifest(meta)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(meta))
        for name, content in files.items():
            zf.writestr(name, content)
    return out.getvalue()


def edit_data(edit: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, bytes]], None]:
    def change(files: dict[str, bytes]) -> None:
        data = json.loads(files["data.json"])
        edit(data)
        files["data.json"] = json.dumps(data).encode()

    return change


def refused(user: User, archive: bytes) -> str:
    with pytest.raises(services.Refused) as e:
        services.import_account(user, archive)
    assert not services.has_data(user)
    user.profile.refresh_from_db()
    assert user.profile.full_name == "Bob Second"
    return str(e.value)


def test_a_clean_copy_imports(bob: User, small_export: bytes) -> None:
    # The helper itself changes nothing that matters: the cases below fail for their reason.
    services.import_account(bob, rebuild(small_export))
    assert Mentor.objects.filter(user=bob).count() == 1


def test_an_account_with_data_is_refused(alice: User, small_export: bytes) -> None:
    with pytest.raises(services.Refused, match="already holds data"):
        services.import_account(alice, small_export)
    assert Mentor.objects.filter(user=alice).count() == 1


def test_another_format_is_refused(bob: User, small_export: bytes) -> None:
    archive = rebuild(small_export, manifest=lambda m: m.update(format=2))
    assert "format 2" in refused(bob, archive)


def test_another_format_inside_data_json_is_refused(bob: User, small_export: bytes) -> None:
    archive = rebuild(small_export, edit_data(lambda d: d.update(format=99)))
    assert "format 99" in refused(bob, archive)


@pytest.mark.parametrize("keep", [0.5, 0.9, 0.99])
def test_a_truncated_archive_is_refused(bob: User, small_export: bytes, keep: float) -> None:
    message = refused(bob, small_export[: int(len(small_export) * keep)])
    assert "damaged or cut short" in message


def test_something_else_is_refused(bob: User) -> None:
    assert "not a Preceptor export" in refused(bob, b"%PDF-1.7 not a zip at all")
    assert "not a Preceptor export" in refused(bob, rebuild_empty())


def rebuild_empty() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("data.json", "{}")
    return out.getvalue()


def test_a_checksum_mismatch_is_refused(bob: User, small_export: bytes) -> None:
    def tamper(files: dict[str, bytes]) -> None:
        files["data.json"] = files["data.json"].replace(b"Ana Patel", b"Eve Patel")

    message = refused(bob, rebuild(small_export, tamper, checksums=False))
    assert "data.json" in message and "checksum" in message


def test_a_file_the_manifest_does_not_list_is_refused(bob: User, small_export: bytes) -> None:
    def extra(files: dict[str, bytes]) -> None:
        files["documents/extra.pdf"] = pdf_bytes()

    archive = rebuild(small_export, extra, manifest=lambda m: m["files"].pop("documents/extra.pdf"))
    assert "documents/extra.pdf" in refused(bob, archive)


def test_an_archive_over_the_size_limit_is_refused(
    bob: User, small_export: bytes, settings: Any
) -> None:
    settings.PORTABILITY_MAX_ARCHIVE_MB = 0
    assert "the limit is 0 MB" in refused(bob, small_export)


def test_an_archive_that_unpacks_too_far_is_refused(
    bob: User, small_export: bytes, settings: Any
) -> None:
    def big(files: dict[str, bytes]) -> None:
        files["documents/big.pdf"] = b"%PDF-1.4\n" + b" " * (3 * 1024 * 1024)

    settings.PORTABILITY_MAX_UNPACKED_MB = 2
    assert "would unpack to" in refused(bob, rebuild(small_export, big))


def test_a_zip_bomb_is_refused_before_it_is_unpacked(bob: User, small_export: bytes) -> None:
    def bomb(files: dict[str, bytes]) -> None:
        files["documents/bomb.pdf"] = b"%PDF-1.4\n" + b"\0" * (50 * 1024 * 1024)

    archive = rebuild(small_export, bomb)
    assert len(archive) < 1024 * 1024
    assert "zip bomb" in refused(bob, archive)


def test_an_archive_of_countless_files_is_refused(bob: User, small_export: bytes) -> None:
    from preceptor.portability.archive import MAX_MEMBERS

    def many(files: dict[str, bytes]) -> None:
        files.update({f"documents/{i}.pdf": b"" for i in range(MAX_MEMBERS)})

    assert "an export has at most" in refused(bob, rebuild(small_export, many))


@pytest.mark.parametrize(
    "name",
    [
        "../outside.pdf",
        "/etc/outside.pdf",
        "documents/../../outside.pdf",
        "documents\\..\\outside.pdf",
        "C:/outside.pdf",
        "documents/sub/inner.pdf",
        "notes.txt",
    ],
)
def test_a_path_outside_the_archive_is_refused(bob: User, small_export: bytes, name: str) -> None:
    def add(files: dict[str, bytes]) -> None:
        files[name] = pdf_bytes()

    assert name in refused(bob, rebuild(small_export, add))


def test_a_document_that_fails_the_upload_checks_is_refused(bob: User, small_export: bytes) -> None:
    def damage(files: dict[str, bytes]) -> None:
        (path,) = [n for n in files if n.startswith("documents/")]
        files[path] = b"not a pdf at all"

    message = refused(bob, rebuild(small_export, damage))
    assert "not a PDF" in message and "Nothing was imported" in message


def test_active_content_is_removed_as_on_upload(bob: User, small_export: bytes) -> None:
    def script(files: dict[str, bytes]) -> None:
        (path,) = [n for n in files if n.startswith("documents/")]
        files[path] = pdf_with_javascript()

    result = services.import_account(bob, rebuild(small_export, script))
    assert len(result.removed) == 1
    from preceptor.letters.models import DocumentVersion

    doc = DocumentVersion.objects.get(document__user=bob)
    assert b"/JavaScript" not in bytes(doc.data)
    assert doc.size == len(bytes(doc.data))
    assert doc.sha256 == hashlib.sha256(bytes(doc.data)).hexdigest()


def test_a_rule_only_the_database_checks_leaves_nothing(bob: User, small_export: bytes) -> None:
    def twin_tags(data: dict[str, Any]) -> None:
        data["models"]["mentors.Tag"] = [
            {"id": f"mentors.Tag:{n}", "fields": {"name": "cardiology"}} for n in (1, 2)
        ]

    assert "tags with the same name" in refused(bob, rebuild(small_export, edit_data(twin_tags)))


def test_a_bad_row_late_in_the_import_leaves_nothing(bob: User, small_export: bytes) -> None:
    # Mentors and applications come first; the bad request comes after them, and its
    # refusal rolls them back too.
    def bad_status(data: dict[str, Any]) -> None:
        data["models"]["letters.LetterRequest"][0]["fields"]["status"] = "bribed"

    message = refused(bob, rebuild(small_export, edit_data(bad_status)))
    assert "letters.LetterRequest:1" in message and "status" in message


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (lambda d: d["models"].update({"writers.VaultLetter": []}), "does not know"),
        (
            lambda d: d["models"]["mentors.Mentor"][0]["fields"].update(secret="x"),
            "does not know",
        ),
        (
            lambda d: d["models"]["letters.LetterRequest"][0]["fields"].update(
                mentor="mentors.Mentor:99"
            ),
            "not a mentors.Mentor in the export",
        ),
        (
            # A key of another model: it must never reach a row outside this export.
            lambda d: d["models"]["letters.LetterRequest"][0]["fields"].update(
                mentor="letters.Application:1"
            ),
            "not a mentors.Mentor in the export",
        ),
        (
            lambda d: d["models"]["letters.LetterRequest"][0]["fields"].update(mentor=[1]),
            "not a mentors.Mentor",
        ),
        (
            lambda d: d["models"]["letters.LetterRequest"][0]["fields"].update(
                achievement_ids=[{"pk": 1}]
            ),
            "not a mentors.Achievement",
        ),
        (
            lambda d: d["models"]["mentors.Mentor"][0]["fields"].update(tags="mentors.Tag:1"),
            "not a list",
        ),
        (lambda d: d["models"]["mentors.Mentor"][0].update(id=7), "no id"),
        (
            lambda d: d["models"]["mentors.Mentor"][0]["fields"].update(met_on="yesterday"),
            "met_on",
        ),
        (lambda d: d["models"]["mentors.Mentor"][0]["fields"].update(full_name=["x"]), "list"),
        (lambda d: d.update(models=[]), "not an export"),
        (
            lambda d: d["models"]["mentors.Mentor"][0]["fields"].update(full_name="A\x00B"),
            "NUL",
        ),
        (
            lambda d: d["models"]["mentors.Mentor"][0]["fields"].update(cadence_ideal_days=-4),
            "cadence_ideal_days",
        ),
    ],
)
def test_a_malformed_data_json_is_refused(
    bob: User, small_export: bytes, edit: Callable[[dict[str, Any]], None], words: str
) -> None:
    assert words in refused(bob, rebuild(small_export, edit_data(edit)))
