"""The document library: a user's CV, statements and transcripts, kept once with their
versions, used by any number of applications, and the record of which version went to
which writer.

Every change to the library goes through these functions. Uploads are checked (in a
budgeted child process, active content removed) before a transaction opens, like every
upload: the check may take seconds, and an open write transaction on SQLite would hold
every other writer for that long.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Prefetch, QuerySet, prefetch_related_objects

from preceptor.letters.models import (
    ApplicationDocument,
    DocumentKind,
    DocumentVersion,
    LetterRequest,
    LibraryDocument,
    SentDocument,
)
from preceptor.lib.http import owned_or_404
from preceptor.lib.pdf import MB, validate_pdf
from preceptor.lib.text import count

if TYPE_CHECKING:
    from preceptor.accounts.models import User
    from preceptor.letters.models import Application

MAX_UPLOAD_BYTES = 10 * MB
MAX_TITLE = 120


def kind_label(kind: str) -> str:
    """ "CV", "personal statement draft": for sentences."""
    label = str(DocumentKind(kind).label)
    return label if label.isupper() else label.lower()


def _check_kind(kind: str) -> None:
    if kind not in DocumentKind.values:
        raise ValidationError(f"“{kind}” is not a document the packet uses.")


def _clean_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise ValidationError(
            "Give the document a name, for example “CV (research)”.", code="title"
        )
    if len(title) > MAX_TITLE:
        raise ValidationError(f"Keep the name to {MAX_TITLE} characters.", code="title")
    return title


# ---------------------------------------------------------------- finding


def get_document_for_user(user: User, public_id: Any) -> LibraryDocument:
    """The user's library document, or 404 for anyone else's (and a malformed id)."""
    return owned_or_404(LibraryDocument.objects, "document", user=user, public_id=public_id)


def get_version_for_user(user: User, public_id: Any) -> DocumentVersion:
    return owned_or_404(
        DocumentVersion.objects.select_related("document"),
        "document version",
        document__user=user,
        public_id=public_id,
    )


def _versions() -> QuerySet[DocumentVersion]:
    # A listing never needs the file itself (up to 10 MB a version): downloads read it.
    return DocumentVersion.objects.defer("data").order_by("-number")


def _uses() -> QuerySet[ApplicationDocument]:
    return (
        ApplicationDocument.objects.select_related("application", "version")
        .defer("version__data")
        .order_by("application__official_deadline", "application__id")
    )


def _sent() -> QuerySet[SentDocument]:
    return SentDocument.objects.select_related("request__mentor", "request__application")


def _history() -> tuple[Prefetch[Any], ...]:
    """Each document's versions (newest first, each with the packets that carried it) and
    the applications using it: what the library page and the API list show."""
    return (
        Prefetch("versions", queryset=_versions().prefetch_related(Prefetch("sent", _sent()))),
        Prefetch("uses", queryset=_uses()),
    )


def _prefetched(obj: Any, name: str) -> bool:
    return name in getattr(obj, "_prefetched_objects_cache", {})


def documents_for(user: User) -> list[LibraryDocument]:
    """The user's library, each document with its versions (newest first, without their
    bytes) prefetched."""
    return list(
        LibraryDocument.objects.filter(user=user).prefetch_related(
            Prefetch("versions", queryset=_versions())
        )
    )


def library_for(user: User) -> list[LibraryDocument]:
    """The user's library with where each document is used and what went to which writer,
    in the same few queries however many documents, versions and uses there are."""
    return list(LibraryDocument.objects.filter(user=user).prefetch_related(*_history()))


def with_history(document: LibraryDocument) -> LibraryDocument:
    """One document with what :func:`library_for` fetches for each."""
    prefetch_related_objects([document], *_history())
    return document


def packet_uses(application: Application) -> list[ApplicationDocument]:
    """The application's packet for its page: each use with its document's versions
    prefetched (without their bytes), so :func:`resolve` asks nothing more."""
    return list(
        application.documents.select_related("document", "version")
        .defer("version__data")
        .prefetch_related(Prefetch("document__versions", queryset=_versions()))
    )


def latest(document: LibraryDocument) -> DocumentVersion | None:
    if _prefetched(document, "versions"):
        versions = document.versions.all()  # newest first, fetched already
        return versions[0] if versions else None
    return document.versions.order_by("-number").first()


def resolve(use: ApplicationDocument) -> DocumentVersion | None:
    """The version an application's packet sends: the chosen one, or the latest."""
    return use.version if use.version_id else latest(use.document)


def packet_versions(application: Application) -> list[tuple[str, DocumentVersion]]:
    """(kind, version) for each document in the application's packet, in the packet's
    order: CV, statement, transcript."""
    order = {k: i for i, k in enumerate(DocumentKind.values)}
    uses = sorted(
        application.documents.select_related("document", "version"),
        key=lambda u: order.get(u.kind, 99),
    )
    out = []
    for use in uses:
        version = resolve(use)
        if version is not None:
            out.append((use.kind, version))
    return out


@dataclass(frozen=True)
class Use:
    """One application's use of a library document, for the library page."""

    application: Any
    version: DocumentVersion | None  # None: follows the latest
    sends: DocumentVersion | None


@dataclass(frozen=True)
class Sent:
    """One writer's packet that carried a version."""

    request: LetterRequest
    sent_at: Any


def uses_of(document: LibraryDocument) -> list[Use]:
    newest = latest(document)
    uses = (
        document.uses.all() if _prefetched(document, "uses") else _uses().filter(document=document)
    )
    return [
        Use(application=u.application, version=u.version, sends=u.version or newest) for u in uses
    ]


def sent_of(version: DocumentVersion) -> list[Sent]:
    sent = version.sent.all() if _prefetched(version, "sent") else _sent().filter(version=version)
    return [Sent(request=s.request, sent_at=s.sent_at) for s in sent]


def used_by_sentence(n_uses: int, n_sent: int) -> str:
    """ "Used by 2 applications; sent to 1 writer." """
    used = f"Used by {count(n_uses, 'application')}" if n_uses else "Not used by an application"
    if n_sent:
        return f"{used}; sent to {count(n_sent, 'writer')}."
    return f"{used}."


# ---------------------------------------------------------------- changing


def _checked(data: bytes, what: str) -> Any:
    return validate_pdf(data, max_bytes=MAX_UPLOAD_BYTES, what=what)


def _new_version(document: LibraryDocument, info: Any, filename: str) -> DocumentVersion:
    """Store a checked upload as the next version of ``document`` (inside a transaction)."""
    # Lock the document row so two uploads at once cannot take the same number.
    LibraryDocument.objects.select_for_update().filter(pk=document.pk).first()
    digest = hashlib.sha256(info.data).hexdigest()
    newest = document.versions.order_by("-number").first()
    if newest is not None and newest.sha256 == digest:
        raise ValidationError(
            f"This file is the same as version {newest.number} of “{document.title}”; "
            "nothing was added."
        )
    number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    try:
        with transaction.atomic():
            version = DocumentVersion.objects.create(
                document=document,
                number=number,
                original_name=filename[:255],
                data=info.data,
                sha256=digest,
                size=info.size,
                page_count=info.page_count,
            )
    except IntegrityError as e:
        # Another upload to the same document took this number a moment ago.
        raise ValidationError(
            f"Another version of “{document.title}” was uploaded at the same moment; "
            "nothing was added. Please upload again."
        ) from e
    LibraryDocument.objects.filter(pk=document.pk).update(updated=version.uploaded_at)
    version.removed_content = info.removed
    return version


def add_document(
    user: User, kind: str, data: bytes, *, title: str = "", filename: str = ""
) -> DocumentVersion:
    """A new library document with its first version; a bad file or name raises
    ValidationError and stores nothing."""
    _check_kind(kind)
    title = _clean_title(title or str(DocumentKind(kind).label))
    info = _checked(data, f"Your {kind_label(kind)}")
    with transaction.atomic():
        document = LibraryDocument.objects.create(user=user, kind=kind, title=title)
        return _new_version(document, info, filename)


def add_version(document: LibraryDocument, data: bytes, *, filename: str = "") -> DocumentVersion:
    """Upload a new version: every application following the latest sends it from now on;
    packets already sent keep the version they carried."""
    info = _checked(data, f"Your {kind_label(document.kind)}")
    with transaction.atomic():
        return _new_version(document, info, filename)


@transaction.atomic
def rename(document: LibraryDocument, title: str) -> LibraryDocument:
    document.title = _clean_title(title)
    document.save(update_fields=["title", "updated"])
    return document


@transaction.atomic
def delete_version(version: DocumentVersion) -> bool:
    """Delete a version no writer has received and no application is set to; returns
    whether the whole document went with it (its last version). Refuses with a message
    otherwise, changing nothing."""
    document = version.document
    sent = version.sent.count()
    if sent:
        raise ValidationError(
            f"Version {version.number} of “{document.title}” went to "
            f"{count(sent, 'writer')}; it is kept so your history shows what they received."
        )
    pinned = list(version.pins.select_related("application"))
    if pinned:
        names = ", ".join(p.application.display_title for p in pinned)
        raise ValidationError(
            f"Version {version.number} of “{document.title}” is the one {names} "
            f"{'uses' if len(pinned) == 1 else 'use'}; choose another version there first."
        )
    version.delete()
    if not document.versions.exists():
        document.delete()
        return True
    return False


@transaction.atomic
def use_in_application(
    application: Application,
    document: LibraryDocument,
    version: DocumentVersion | None = None,
) -> ApplicationDocument:
    """Put ``document`` in the application's packet (in place of any other of its kind):
    ``version`` chosen, or None to always send the latest."""
    if document.user_id != application.user_id:
        raise ValidationError("That document is not in your library.")
    if version is not None and version.document_id != document.pk:
        raise ValidationError("That version belongs to another document.")
    use, _ = ApplicationDocument.objects.update_or_create(
        application=application,
        kind=document.kind,
        defaults={"document": document, "version": version},
    )
    return use


@transaction.atomic
def stop_using(application: Application, kind: str) -> bool:
    """Take the document of ``kind`` out of the application's packet (it stays in the
    library); returns whether there was one."""
    deleted, _ = ApplicationDocument.objects.filter(application=application, kind=kind).delete()
    return bool(deleted)


def upload_for_application(
    application: Application, kind: str, data: bytes, *, filename: str = ""
) -> DocumentVersion:
    """Upload a document from an application's page: a new version of the library document
    this packet already uses for ``kind`` (the packet then sends the latest), or a new
    library document put in the packet. A bad file raises ValidationError, storing nothing."""
    _check_kind(kind)
    info = _checked(data, f"Your {kind_label(kind)}")
    with transaction.atomic():
        use = ApplicationDocument.objects.filter(application=application, kind=kind).first()
        if use is not None:
            version = _new_version(use.document, info, filename)
            if use.version_id:
                ApplicationDocument.objects.filter(pk=use.pk).update(version=None)
            return version
        document = LibraryDocument.objects.create(
            user=application.user, kind=kind, title=_fresh_title(application.user, kind)
        )
        version = _new_version(document, info, filename)
        ApplicationDocument.objects.create(application=application, kind=kind, document=document)
        return version


def _fresh_title(user: User, kind: str) -> str:
    """ "CV", or "CV 2" when the library already has a "CV"."""
    base = str(DocumentKind(kind).label)
    taken = {
        t.casefold()
        for t in LibraryDocument.objects.filter(user=user).values_list("title", flat=True)
    }
    title, n = base, 2
    while title.casefold() in taken:
        title, n = f"{base} {n}", n + 1
    return title


def record_sent(request: LetterRequest) -> list[SentDocument]:
    """Record the versions this writer's packet carries now (kept once per version)."""
    out = []
    for _, version in packet_versions(request.application):
        sent, _ = SentDocument.objects.get_or_create(request=request, version=version)
        out.append(sent)
    return out


def sent_to(request: LetterRequest) -> list[SentDocument]:
    """What went to this writer, oldest first."""
    return list(request.sent_documents.select_related("version__document"))
