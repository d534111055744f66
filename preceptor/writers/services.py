"""Every change to writer links, vault letters and deliveries goes through these functions.

Who calls what:

- the applicant (views, API): :func:`issue_link`, :func:`revoke_link`, :func:`deliver`,
  :func:`revoke_delivery`, and :func:`read_own_letter` for a letter they did not waive;
- the writer, holding a link token: :func:`resolve_link`, :func:`writer_answer`,
  :func:`writer_mark_submitted`, :func:`upload_letter`;
- a recipient, holding a delivery token: :func:`resolve_delivery`, :func:`download`;
- the notify app: :func:`issue_link` to put a fresh link in its writer reminders.

Confidentiality: only :func:`download` and :func:`read_own_letter` decrypt a letter, and
the second refuses whenever the applicant waived their right of access.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from preceptor.accounts.services import local_date_for, zone_for
from preceptor.lib import emails
from preceptor.lib.pdf import MB, removed_words, validate_pdf
from preceptor.writers import signals, storage, tokens
from preceptor.writers.models import AuditEvent, Delivery, UsedNonce, VaultLetter, WriterLink

if TYPE_CHECKING:
    from preceptor.accounts.models import User
    from preceptor.letters.models import LetterRequest

MAX_LETTER_BYTES = 10 * MB
LINK_GRACE_DAYS = 30
DELIVERY_DAYS = 30
DELIVERY_DOWNLOADS = 3
MAX_DELIVERY_DAYS = 90
MAX_DELIVERY_DOWNLOADS = 10

# The writer has said yes (or even submitted): a letter may be uploaded.
UPLOAD_STATUSES = frozenset(
    {"agreed", "hesitant", "packet_sent", "form_sent", "reminded", "submitted", "thanked"}
    | {"outcome_shared"}
)


class WriterError(ValidationError):
    """An action that is not possible now, with the sentence to show; nothing was changed."""


class WaiverChanged(WriterError):
    """The applicant signed or revoked the waiver after the writer's page was shown."""


class InvalidLink(Exception):
    """A token that is unknown, expired, revoked or used up. Callers say nothing more."""


# ---------------------------------------------------------------- access helpers


def get_request_for_user(user: User, public_id: Any) -> LetterRequest:
    from preceptor.letters.services import get_request_for_user as letters_get

    return letters_get(user, public_id)


def _owned(model: Any, user: User, public_id: Any, path: str, what: str) -> Any:
    try:
        return model.objects.select_related(path.rsplit("__application", 1)[0]).get(
            **{f"{path}__user": user, "public_id": public_id}
        )
    except (model.DoesNotExist, ValidationError, ValueError) as e:
        raise Http404(f"No such {what}.") from e


def get_link_for_user(user: User, public_id: Any) -> WriterLink:
    return _owned(WriterLink, user, public_id, "request__application", "writer link")


def get_letter_for_user(user: User, public_id: Any) -> VaultLetter:
    return _owned(VaultLetter, user, public_id, "request__application", "letter")


def get_delivery_for_user(user: User, public_id: Any) -> Delivery:
    return _owned(Delivery, user, public_id, "letter__request__application", "delivery")


# ---------------------------------------------------------------- small helpers


def default_link_expiry(request: LetterRequest) -> dt.datetime:
    """The end of the day 30 days after the personal deadline, in the applicant's time zone."""
    last_day = request.personal_deadline + dt.timedelta(days=LINK_GRACE_DAYS)
    end = dt.datetime.combine(
        last_day, dt.time(23, 59, 59), tzinfo=zone_for(request.application.user)
    )
    # A request whose deadline is long past still gets a link that works for a while.
    return max(end, timezone.now() + dt.timedelta(days=7))


def local_date(request: LetterRequest, moment: dt.datetime) -> dt.date:
    """The date of ``moment`` in the applicant's time zone (dates shown to writers and
    recipients match the ones the applicant sees)."""
    return local_date_for(request.application.user, moment)


def applicant_name(request: LetterRequest) -> str:
    user = request.application.user
    profile = getattr(user, "profile", None)
    return profile.display_name if profile else user.email


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def writer_url(token: str) -> str:
    return _absolute(reverse("writers:writer", kwargs={"token": token}))


def request_url(request: LetterRequest) -> str:
    return _absolute(reverse("writers:request", kwargs={"public_id": request.public_id}))


def _event(request: LetterRequest, kind: str, detail: str = "", **links: Any) -> AuditEvent:
    return AuditEvent.objects.create(request=request, kind=kind, detail=detail[:300], **links)


def claim_nonce(nonce: str | None) -> None:
    """Record a form's one-time value; raise if it is missing or was used already.

    Call inside the transaction that makes the change, so a refused change frees it again.
    """
    if not nonce or len(nonce) > 64:
        raise WriterError("This form is out of date. Reload the page and try again.")
    try:
        with transaction.atomic():
            UsedNonce.objects.create(nonce=nonce)
    except IntegrityError:
        raise WriterError(
            "This form was already sent, so nothing was done a second time."
        ) from None


def _lock(request: LetterRequest) -> LetterRequest:
    from preceptor.letters.models import LetterRequest as Model

    return (
        Model.objects.select_for_update().select_related("application", "mentor").get(pk=request.pk)
    )


def _email_applicant(request: LetterRequest, name: str, **ctx: Any) -> None:
    to = request.application.user.email
    base = {
        "applicant_name": applicant_name(request),
        "writer_name": request.mentor.full_name,
        "application": request.application,
        "request_url": request_url(request),
    }
    transaction.on_commit(lambda: emails.send(name, to, {**base, **ctx}))


# ---------------------------------------------------------------- writer links


def issue_link(
    request: LetterRequest,
    *,
    send_email: bool = False,
    to: str | None = None,
    expires_at: dt.datetime | None = None,
) -> str:
    """Create a fresh writer link for ``request`` and return its absolute URL.

    With ``send_email`` the app emails it to the writer (``to``, default the mentor's
    address). The URL holds the only copy of the token; the database keeps its hash.
    """
    token = tokens.new_token()
    recipient = _valid_or_blank((to or request.mentor.email or "").strip())
    if send_email and not recipient:
        raise WriterError(f"{request.mentor.full_name} has no valid email address; add one first.")
    expires = expires_at or default_link_expiry(request)
    with transaction.atomic():
        link = WriterLink.objects.create(
            request=request,
            token_hash=tokens.hash_token(token),
            expires_at=expires,
            writer_email=recipient,
        )
        _event(request, AuditEvent.Kind.LINK_CREATED)
        if send_email:
            link.sent_to, link.sent_at = recipient, timezone.now()
            link.save(update_fields=["sent_to", "sent_at"])
            _event(request, AuditEvent.Kind.LINK_SENT, f"to {recipient}")
            ctx = {
                "writer_name": request.mentor.full_name,
                "applicant_name": applicant_name(request),
                "application": request.application,
                "personal_deadline": request.personal_deadline,
                "letter_request": request,
                "url": writer_url(token),
                "expires": local_date(request, expires),
            }
            transaction.on_commit(lambda: emails.send("writers-link", recipient, ctx))
    return writer_url(token)


def _valid_or_blank(address: str) -> str:
    try:
        validate_email(address)
    except ValidationError:
        return ""
    return address


def revoke_link(link: WriterLink) -> bool:
    """Revoke ``link``; return False when it was revoked already (nothing changes then)."""
    with transaction.atomic():
        done = WriterLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if done:
            _event(link.request, AuditEvent.Kind.LINK_REVOKED)
    link.refresh_from_db(fields=["revoked_at"])
    return bool(done)


def resolve_link(token: str) -> WriterLink:
    """The usable link for ``token``, or :class:`InvalidLink` (unknown, expired or revoked)."""
    if not tokens.looks_like_token(token):
        raise InvalidLink
    link = (
        WriterLink.objects.select_related("request__application__user", "request__mentor")
        .filter(token_hash=tokens.hash_token(token))
        .first()
    )
    if link is None or not tokens.matches(token, link.token_hash) or not link.is_usable:
        raise InvalidLink
    WriterLink.objects.filter(pk=link.pk).update(last_used_at=timezone.now(), uses=F("uses") + 1)
    return link


def writer_answer(link: WriterLink, answer: str, *, note: str = "", nonce: str | None) -> None:
    """The writer's answer to the ask: ``"agreed"`` or ``"declined"``."""
    from preceptor.letters.services import transition

    if answer not in ("agreed", "declined"):
        raise WriterError("Choose one of the two answers.")
    note = note.strip()[:2000]
    with transaction.atomic():
        request = _lock(link.request)
        if request.status not in ("candidate", "planned", "asked"):
            raise WriterError("Your answer is already recorded, thank you. Nothing was changed.")
        claim_nonce(nonce)
        if request.status != "asked":
            # The applicant sent this link without recording the ask: the link was the ask.
            transition(
                request,
                "asked",
                actor="applicant",
                ask_method="email",
                note="Asked with the writer link.",
            )
        transition(request, answer, actor="writer", note=note, answer_note=note)
        _event(request, AuditEvent.Kind.ANSWERED, "yes" if answer == "agreed" else "no")
        _email_applicant(request, "writers-answered", answer=answer, note=note)
    link.request.refresh_from_db()


def writer_mark_submitted(link: WriterLink, *, nonce: str | None) -> None:
    """The writer says the letter is in (for applications outside the vault)."""
    from preceptor.letters.services import transition

    with transaction.atomic():
        request = _lock(link.request)
        if request.application.uses_vault:
            raise WriterError(
                "This application uses the confidential vault: upload the letter below, "
                "and it counts as submitted."
            )
        if request.status in ("submitted", "thanked", "outcome_shared"):
            raise WriterError("The letter is already marked as submitted. Thank you!")
        claim_nonce(nonce)
        transition(request, "submitted", actor="writer", submitted_confirmed_by="writer")
        _event(request, AuditEvent.Kind.SUBMITTED)
        _email_applicant(request, "writers-submitted")
    link.request.refresh_from_db()


# ---------------------------------------------------------------- the vault


def letters_for(request: LetterRequest) -> list[VaultLetter]:
    return list(request.vault_letters.order_by("-version"))


def is_confidential(request: LetterRequest) -> bool:
    """Whether a letter uploaded for ``request`` now is kept from the applicant.

    True while the waiver is signed, and also once any version arrived under a signed
    waiver: revoking the waiver applies to future letters, and the writer's next version
    of the same letter was written under it.
    """
    return request.waiver_signed or request.vault_letters.filter(waived=True).exists()


def upload_letter(
    link: WriterLink, data: bytes, *, nonce: str | None, confidential_seen: bool | None = None
) -> VaultLetter:
    """Store the writer's letter, encrypted: replace the current version, or add one.

    The current version is replaced while it has never been delivered; once delivered it
    is kept as it was and the upload becomes the next version. The upload also records the
    request as submitted (by the writer) when it was not yet.

    ``confidential_seen`` is what the writer's page said about the waiver when it was
    shown; if the applicant changed the waiver since, nothing is stored and the writer is
    asked to look again, so no letter is ever stored readable that its writer meant to be
    confidential.
    """
    from preceptor.letters import lifecycle
    from preceptor.letters.services import transition

    request = link.request
    if not request.application.uses_vault:
        raise WriterError(
            "This application does not use the confidential vault; submit the letter as the "
            "instructions above describe."
        )
    if request.status == "asked":
        raise WriterError("Please answer the request first, then upload the letter.")
    if request.status not in UPLOAD_STATUSES:
        raise WriterError("This request is not open for a letter, so nothing was uploaded.")
    # Checked (in a budgeted child process, active content removed) before any transaction
    # opens, and stripped before it is encrypted: the vault never holds the active parts.
    info = validate_pdf(data, max_bytes=MAX_LETTER_BYTES, what="The letter")
    name = storage.write(info.data)
    removed = f" ({removed_words(info.removed)} removed)" if info.removed else ""
    try:
        with transaction.atomic():
            request = _lock(request)
            if request.status not in UPLOAD_STATUSES:
                raise WriterError("This request is not open for a letter, so nothing was uploaded.")
            confidential = is_confidential(request)
            if confidential_seen is not None and confidential_seen != confidential:
                raise WaiverChanged(
                    f"{applicant_name(request)} changed the confidentiality waiver after you "
                    "opened this page, so nothing was stored. The page now shows whether the "
                    "letter will be confidential: please upload it again if that suits you."
                )
            claim_nonce(nonce)
            latest = request.vault_letters.order_by("-version").first()
            # Everyone who received a receipt for an earlier version hears of this one.
            receipt_to = sorted({link.writer_email, *_writer_addresses(request)} - {""})
            now = timezone.now()
            if latest is not None and not latest.is_locked:
                old_name = latest.stored_name
                latest.stored_name, latest.size, latest.page_count = (
                    name,
                    info.size,
                    info.page_count,
                )
                latest.replaced_at = now
                latest.waived = confidential
                # The first writer address stays: the writer who sent the letter keeps
                # hearing of it, whoever replaces it.
                latest.writer_email = latest.writer_email or link.writer_email
                latest.save(
                    update_fields=[
                        *("stored_name", "size", "page_count", "replaced_at", "waived"),
                        "writer_email",
                    ]
                )
                letter = latest
                transaction.on_commit(lambda: storage.delete(old_name))
                _event(
                    request,
                    AuditEvent.Kind.REPLACED,
                    f"version {letter.version}{removed}",
                    letter=letter,
                )
            else:
                version = (request.vault_letters.aggregate(v=Max("version"))["v"] or 0) + 1
                letter = VaultLetter.objects.create(
                    request=request,
                    version=version,
                    stored_name=name,
                    size=info.size,
                    page_count=info.page_count,
                    waived=confidential,
                    writer_email=link.writer_email,
                    received_at=now,
                )
                _event(
                    request, AuditEvent.Kind.UPLOADED, f"version {version}{removed}", letter=letter
                )
            if lifecycle.can_transition(request.status, "submitted", actor="writer"):
                transition(
                    request,
                    "submitted",
                    actor="writer",
                    note="The letter arrived in the vault.",
                    submitted_confirmed_by="writer",
                )
            _email_applicant(
                request,
                "writers-received",
                version=letter.version,
                page_count=letter.page_count,
                replaced=letter.replaced_at == now,
            )
            # A receipt to the writer's address as it was when the link was made (and to
            # whoever had a receipt for an earlier version): an upload made by anyone else
            # who got hold of the link, the applicant included, does not go unnoticed, even
            # if the mentor's address was edited since.
            receipt = {
                "writer_name": request.mentor.full_name,
                "applicant_name": applicant_name(request),
                "application": request.application,
                "version": letter.version,
                "page_count": letter.page_count,
                "waived": letter.waived,
            }
            for address in receipt_to:
                transaction.on_commit(
                    partial(emails.send, "writers-upload-receipt", address, receipt)
                )
            transaction.on_commit(
                lambda: signals.letter_received.send(
                    sender=VaultLetter, letter=letter, request=request
                )
            )
    except BaseException:
        storage.delete(name)
        raise
    link.request.refresh_from_db()
    letter.removed_content = info.removed
    return letter


def read_own_letter(user: User, letter: VaultLetter) -> bytes:
    """The applicant's own copy of a letter they did not waive their right to read."""
    if letter.request.application.user_id != user.pk:
        raise Http404("No such letter.")
    if letter.waived or letter.request.waiver_signed:
        raise WriterError(
            "You waived your right to read this letter, so it is delivered only to the "
            "recipients you choose."
        )
    return storage.read(letter.stored_name)


# ---------------------------------------------------------------- deliveries


def delivery_url(token: str) -> str:
    return _absolute(reverse("writers:recipient", kwargs={"token": token}))


def deliver(
    request: LetterRequest,
    *,
    name: str,
    email: str,
    max_downloads: int = DELIVERY_DOWNLOADS,
    valid_days: int = DELIVERY_DAYS,
    nonce: str | None = None,
    require_nonce: bool = True,
) -> Delivery:
    """Send the newest version of the request's letter to one recipient."""
    name, email = " ".join((name or "").split())[:200], (email or "").strip().lower()
    if not name:
        raise WriterError("Enter the recipient's name (a program, committee or person).")
    if not PLAIN_ADDRESS.fullmatch(email):
        raise WriterError(
            "Enter the recipient's email address in plain letters, digits and . _ + - "
            "(no quotes, spaces or accented characters), like admissions@example.edu."
        )
    try:
        validate_email(email)
    except ValidationError:
        raise WriterError(
            "Enter the recipient's email address, like admissions@example.edu."
        ) from None
    if mailbox(email) == mailbox(request.application.user.email):
        raise WriterError(
            "A confidential letter cannot be delivered to your own address. Enter the "
            "program's or committee's email."
        )
    if not 1 <= max_downloads <= MAX_DELIVERY_DOWNLOADS:
        raise WriterError(f"Allow between 1 and {MAX_DELIVERY_DOWNLOADS} downloads.")
    if not 1 <= valid_days <= MAX_DELIVERY_DAYS:
        raise WriterError(f"Keep the link open between 1 and {MAX_DELIVERY_DAYS} days.")
    if not request.application.uses_vault:
        raise WriterError("This application does not use the vault; there is nothing to deliver.")
    token = tokens.new_token()
    with transaction.atomic():
        request = _lock(request)
        if require_nonce or nonce:
            claim_nonce(nonce)
        letter = request.vault_letters.order_by("-version").first()
        if letter is None:
            raise WriterError("No letter has arrived yet, so there is nothing to deliver.")
        writer_addresses = _writer_addresses(request)
        if letter.waived and not writer_addresses:
            raise WriterError(
                "A confidential letter is delivered only when its writer can be told of each "
                "delivery, and this one came through a link made without the writer's email. "
                "Add the writer's email to the mentor, send them a new link by email, and ask "
                "them to upload the letter again through it."
            )
        now = timezone.now()
        delivery = Delivery.objects.create(
            letter=letter,
            recipient_name=name,
            recipient_email=email,
            token_hash=tokens.hash_token(token),
            expires_at=now + dt.timedelta(days=valid_days),
            max_downloads=max_downloads,
        )
        if letter.first_delivered_at is None:
            letter.first_delivered_at = now
            letter.save(update_fields=["first_delivered_at"])
        _event(
            request,
            AuditEvent.Kind.DELIVERED,
            f"to {name} <{email}> (version {letter.version})",
            letter=letter,
            delivery=delivery,
        )
        ctx = {
            "recipient_name": name,
            "applicant_name": applicant_name(request),
            "writer_name": request.mentor.full_name,
            "application": request.application,
            "url": delivery_url(token),
            "expires": local_date(request, delivery.expires_at),
            "max_downloads": max_downloads,
        }
        transaction.on_commit(lambda: emails.send("writers-delivery", email, ctx))
        # The writer hears of every delivery: the waiver protects them, so they see where
        # their letter goes (and can object to an address they don't recognise).
        report = {
            "writer_name": request.mentor.full_name,
            "applicant_name": applicant_name(request),
            "application": request.application,
            "recipient_name": name,
            "recipient_email": email,
            "version": letter.version,
            "waived": letter.waived,
        }
        for writer_address in writer_addresses:
            transaction.on_commit(
                partial(emails.send, "writers-delivery-report", writer_address, report)
            )
    return delivery


# Recipients' addresses: ASCII dot-atoms only. Quoted local parts, escapes and non-ASCII
# domains are legal but are rewritten on the way out (IDNA folds look-alike and invisible
# characters), so what the applicant typed could differ from where the letter goes.
PLAIN_ADDRESS = re.compile(
    r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+"
)


def _writer_addresses(request: LetterRequest) -> list[str]:
    """Every address that had a receipt for a version of this request's letter."""
    return sorted(set(request.vault_letters.values_list("writer_email", flat=True)) - {""})


def mailbox(address: str) -> str:
    """The mailbox an address reaches, for telling whether two spellings are the same.

    Case, a quoted local part (``"jo"@x.org``), a ``+tag`` and a trailing dot on the domain
    do not change the mailbox at common providers; neither do dots in a Gmail address.
    """
    local, _, domain = address.strip().rpartition("@")
    local = local.strip()
    if len(local) >= 2 and local[0] == local[-1] == '"':
        local = local[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    local = local.lower().split("+", 1)[0]
    domain = domain.lower().rstrip(".")
    if domain == "googlemail.com":
        domain = "gmail.com"
    if domain == "gmail.com":
        local = local.replace(".", "")
    return f"{local}@{domain}"


def revoke_delivery(delivery: Delivery) -> bool:
    with transaction.atomic():
        done = Delivery.objects.filter(pk=delivery.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if done:
            _event(
                delivery.letter.request,
                AuditEvent.Kind.DELIVERY_REVOKED,
                f"to {delivery.recipient_name} <{delivery.recipient_email}>",
                letter=delivery.letter,
                delivery=delivery,
            )
    delivery.refresh_from_db(fields=["revoked_at"])
    return bool(done)


def resolve_delivery(token: str) -> Delivery:
    """The usable delivery for ``token``, or :class:`InvalidLink`."""
    if not tokens.looks_like_token(token):
        raise InvalidLink
    delivery = (
        Delivery.objects.select_related(
            "letter__request__application__user", "letter__request__mentor"
        )
        .filter(token_hash=tokens.hash_token(token))
        .first()
    )
    if delivery is None or not tokens.matches(token, delivery.token_hash):
        raise InvalidLink
    if delivery.status != "active":
        raise InvalidLink
    return delivery


def download(token: str) -> tuple[Delivery, bytes]:
    """Count one download and return the letter; :class:`InvalidLink` once used up.

    The count is taken with a conditional UPDATE, so two downloads at once cannot both
    take the last one; if the file cannot be read the count is given back (rolled back).
    """
    delivery = resolve_delivery(token)
    with transaction.atomic():
        taken = Delivery.objects.filter(
            pk=delivery.pk,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            downloads__lt=F("max_downloads"),
        ).update(downloads=F("downloads") + 1)
        if taken != 1:
            raise InvalidLink
        delivery.refresh_from_db(fields=["downloads"])
        data = storage.read(delivery.letter.stored_name)
        _event(
            delivery.letter.request,
            AuditEvent.Kind.DOWNLOADED,
            f"by {delivery.recipient_name} <{delivery.recipient_email}> "
            f"({delivery.downloads} of {delivery.max_downloads})",
            letter=delivery.letter,
            delivery=delivery,
        )
    return delivery, data


def rotate_all(progress: Any = None) -> tuple[int, list[str]]:
    """Re-encrypt every stored letter with the newest key; return (done, problems)."""
    done, problems = 0, []
    letters = list(VaultLetter.objects.order_by("pk").values_list("pk", "stored_name"))
    for i, (pk, name) in enumerate(letters, 1):
        try:
            storage.rotate(name)
            done += 1
        except storage.StorageError as e:
            problems.append(f"letter {pk}: {e}")
        if progress:
            progress(i, len(letters))
    return done, problems


def sweep_vault(
    *, grace: dt.timedelta = dt.timedelta(hours=1), dry_run: bool = False
) -> tuple[list[str], list[str]]:
    """Remove stored files that no letter names; return (removed, problems).

    Such orphans are left when a delete fails (the object store was down when a letter
    was replaced or deleted, or when an upload's transaction failed after its file was
    stored). Only files older than ``grace`` go: an upload stores its file a moment
    before the row that names it commits.
    """
    cutoff = timezone.now() - grace
    # Listed before the names are read: a file whose row commits in between is kept.
    candidates = [
        name
        for name, modified in storage.stored_files()
        # Only what the vault writes (a letter's name, or a temporary file of one): any other
        # file in the directory is not the vault's to remove.
        if modified < cutoff and _VAULT_FILE.fullmatch(name)
    ]
    named = set(VaultLetter.objects.values_list("stored_name", flat=True))
    removed, problems = [], []
    for name in candidates:
        if name in named:
            continue
        if dry_run or _remove_leftover(name):
            removed.append(name)
        else:
            problems.append(f"{name} could not be removed")
    return removed, problems


_VAULT_FILE = re.compile(r"[0-9a-f]{32}(\.tmp-[0-9a-f]{8})?")


def _remove_leftover(name: str) -> bool:
    if "." in name:  # a temporary file of an interrupted write (filesystem only)
        try:
            (storage.vault_dir() / name).unlink(missing_ok=True)
        except OSError:
            return False
        return True
    return storage.delete(name)
