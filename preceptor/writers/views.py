"""Pages for three people: the writer (a link token), the recipient (a delivery token) and
the applicant (logged in). HTTP only: parse, call a service, render.

Token pages share :func:`_guard`: rate limits per client address and per token, and one
friendly page for every unusable token that says nothing about why.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from preceptor.core import ratelimit
from preceptor.letters import library, rulebook
from preceptor.lib.http import AuthenticatedRequest
from preceptor.lib.pdf import removed_sentence
from preceptor.writers import services, storage
from preceptor.writers.forms import AnswerForm, DeliveryForm, LinkForm, UploadForm, new_nonce
from preceptor.writers.models import Delivery, WriterLink
from preceptor.writers.uploads import SizeLimitHandler

log = logging.getLogger(__name__)

NEW_LINK_SESSION_KEY = "writers_new_link"


# ---------------------------------------------------------------- token plumbing


def _private(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Token pages: never cached, never indexed, and no Referer carrying the token elsewhere."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store, private"
        # same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on
        # form posts and the CSRF check (rightly) refuses them.
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapper


def _invalid(request: HttpRequest) -> HttpResponse:
    return render(request, "writers/invalid_link.html", status=404)


def _too_many(request: HttpRequest) -> HttpResponse:
    response = render(request, "writers/too_many.html", status=429)
    response["Retry-After"] = "3600"
    return response


def _guard(
    request: HttpRequest, token: str, resolve: Callable[[str], Any]
) -> tuple[Any, HttpResponse | None]:
    """Resolve ``token`` under the rate limits; return (object, None) or (None, response)."""
    ip = ratelimit.client_ip(request)
    bad_limit, _ = ratelimit.limits("ip_bad")
    if not ratelimit.hit("ip", ip) or ratelimit.peek("ip_bad", ip) >= bad_limit:
        return None, _too_many(request)
    try:
        obj = resolve(token)
    except services.InvalidLink:
        ratelimit.hit("ip_bad", ip)
        return None, _invalid(request)
    if not ratelimit.hit("token", obj.token_hash):
        return None, _too_many(request)
    if request.method == "POST" and not ratelimit.hit("token_post", obj.token_hash):
        return None, _too_many(request)
    return obj, None


def _errors(e: ValidationError) -> list[str]:
    return list(e.messages)


# ---------------------------------------------------------------- the writer


def _writer_context(link: WriterLink, token: str, **extra: Any) -> dict[str, Any]:
    r = link.request
    application = r.application
    confidential = services.is_confidential(r) if application.uses_vault else r.waiver_signed
    how_to_submit, portal_url = rulebook.submission(application)
    return {
        "token": token,
        "link": link,
        "letter_request": r,
        "application": application,
        "writer_name": r.mentor.full_name,
        "applicant_name": services.applicant_name(r),
        "letters": services.letters_for(r) if application.uses_vault else [],
        "can_answer": r.status in ("candidate", "planned", "asked"),
        "can_upload": application.uses_vault and r.status in services.UPLOAD_STATUSES,
        "can_mark_submitted": not application.uses_vault
        and r.status in ("agreed", "hesitant", "packet_sent", "form_sent", "reminded"),
        "is_submitted": r.status in ("submitted", "thanked", "outcome_shared"),
        "answer_form": extra.pop("answer_form", None) or AnswerForm(),
        "confidential": confidential,
        "upload_form": extra.pop("upload_form", None)
        or UploadForm(initial={"confidential": "yes" if confidential else "no"}),
        "submit_nonce": new_nonce(),
        "expires_on": services.local_date(r, link.expires_at),
        "how_to_submit": how_to_submit,
        "portal_url": portal_url,
        "packet_documents": library.packet_versions(application),
        **extra,
    }


def _render_writer(
    request: HttpRequest, link: WriterLink, token: str, *, status: int = 200, **extra: Any
) -> HttpResponse:
    return render(
        request, "writers/writer.html", _writer_context(link, token, **extra), status=status
    )


@_private
@require_GET
def writer(request: HttpRequest, token: str) -> HttpResponse:
    link, refused = _guard(request, token, services.resolve_link)
    if refused:
        return refused
    return _render_writer(request, link, token)


@_private
@require_POST
def writer_answer(request: HttpRequest, token: str) -> HttpResponse:
    link, refused = _guard(request, token, services.resolve_link)
    if refused:
        return refused
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.writer_answer(
                link,
                form.cleaned_data["answer"],
                note=form.cleaned_data["note"],
                nonce=form.cleaned_data["nonce"],
            )
        except ValidationError as e:
            # TransitionError is a ValidationError too: show its sentence, nothing changed.
            return _render_writer(request, link, token, status=400, errors=_errors(e))
        if form.cleaned_data["answer"] == "agreed":
            messages.success(request, "Thank you! Your yes has been passed on.")
        else:
            messages.info(
                request, "Thank you for letting them know. Your answer has been passed on."
            )
        return redirect("writers:writer", token=token)
    return _render_writer(request, link, token, status=400, answer_form=form)


@_private
@require_POST
def writer_submitted(request: HttpRequest, token: str) -> HttpResponse:
    link, refused = _guard(request, token, services.resolve_link)
    if refused:
        return refused
    try:
        services.writer_mark_submitted(link, nonce=request.POST.get("nonce"))
    except ValidationError as e:
        return _render_writer(request, link, token, status=400, errors=_errors(e))
    messages.success(request, "Thank you! The letter is marked as submitted.")
    return redirect("writers:writer", token=token)


@csrf_exempt  # checked below by csrf_protect, once the size-limited handler is in place
@_private
@require_POST
def writer_upload(request: HttpRequest, token: str) -> HttpResponse:
    # The limit must be in place before anything reads the body (the CSRF check does).
    request.upload_handlers = [
        SizeLimitHandler(request, services.MAX_LETTER_BYTES),
        *request.upload_handlers,
    ]
    return _writer_upload(request, token)


@csrf_protect
def _writer_upload(request: HttpRequest, token: str) -> HttpResponse:
    link, refused = _guard(request, token, services.resolve_link)
    if refused:
        return refused
    form = UploadForm(request.POST, request.FILES)
    if not ratelimit.hit("upload", link.token_hash):
        errors = [ratelimit.message("upload")]
        return ratelimit.retry_later(_render_writer(request, link, token, errors=errors), "upload")
    if getattr(request, "upload_too_large", False):
        message = "The letter is too large: the limit is 10 MB. Nothing was stored."
        return _render_writer(request, link, token, status=400, errors=[message])
    if not form.is_valid():
        return _render_writer(request, link, token, status=400, upload_form=form)
    try:
        letter = services.upload_letter(
            link,
            form.cleaned_data["letter"].read(),
            nonce=form.cleaned_data["nonce"],
            confidential_seen=form.confidential_seen,
        )
    except services.WaiverChanged as e:
        # A fresh form, so the page and the next try agree on confidentiality.
        return _render_writer(request, link, token, status=409, errors=_errors(e))
    except storage.StorageUnavailable:
        # Nothing was stored: no file, no row (services.upload_letter stores the file first).
        log.error("vault object store unreachable during an upload for link %s", link.pk)
        message = (
            "The letter store cannot be reached right now, so your letter was not stored. "
            "Nothing changed: please upload it again in a few minutes."
        )
        return _render_writer(request, link, token, status=503, errors=[message])
    except ValidationError as e:
        r = link.request
        if r.application.uses_vault and r.status in services.UPLOAD_STATUSES:
            form.add_error("letter", _errors(e))  # next to the file field
            return _render_writer(request, link, token, status=400, upload_form=form)
        return _render_writer(request, link, token, status=400, errors=_errors(e))
    messages.success(
        request,
        f"Thank you! Your letter ({letter.page_count} page{'s' if letter.page_count != 1 else ''}) "
        "is stored, encrypted, and marked as submitted.",
    )
    if letter.removed_content:
        messages.warning(request, removed_sentence(letter.removed_content, "the letter"))
    return redirect("writers:writer", token=token)


def _download_name(*parts: str) -> str:
    name = "_".join(re.sub(r"[^A-Za-z0-9]+", "", p) for p in parts if p)
    return f"{name or 'document'}.pdf"


@_private
@require_GET
def writer_packet(request: HttpRequest, token: str) -> HttpResponse:
    link, refused = _guard(request, token, services.resolve_link)
    if refused:
        return refused
    if not ratelimit.hit("packet", link.token_hash):
        return ratelimit.refused(request, "packet")
    try:
        from preceptor.letters.packets import build_packet_pdf

        data = build_packet_pdf(link.request)
        # The writer has these versions now: the applicant's history says which.
        library.record_sent(link.request)
    except ImportError:
        return render(request, "writers/packet_unavailable.html", status=503)
    try:
        from preceptor.letters.packets import packet_filename

        filename = packet_filename(link.request, "pdf")
    except ImportError:
        filename = _download_name(services.applicant_name(link.request), "LetterPacket")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ---------------------------------------------------------------- the recipient


@_private
@require_GET
def recipient(request: HttpRequest, token: str) -> HttpResponse:
    delivery, refused = _guard(request, token, services.resolve_delivery)
    if refused:
        return refused
    r = delivery.letter.request
    ctx = {
        "token": token,
        "delivery": delivery,
        "applicant_name": services.applicant_name(r),
        "writer_name": r.mentor.full_name,
        "application": r.application,
        "expires_on": services.local_date(r, delivery.expires_at),
    }
    return render(request, "writers/recipient.html", ctx)


@_private
@require_POST
def recipient_download(request: HttpRequest, token: str) -> HttpResponse:
    # A GET never downloads: mail scanners that open every link must not use up the count.
    delivery, refused = _guard(request, token, services.resolve_delivery)
    if refused:
        return refused
    try:
        delivery, data = services.download(token)
    except services.InvalidLink:
        return _invalid(request)
    except storage.StorageError:
        log.exception("vault letter %s unreadable", delivery.letter_id)
        return render(request, "writers/storage_error.html", status=503)
    r = delivery.letter.request
    filename = _download_name(
        "Letter",
        services.applicant_name(r),
        "from",
        r.mentor.full_name,
        f"v{delivery.letter.version}",
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ---------------------------------------------------------------- the applicant


def _request_context(request: AuthenticatedRequest, r: Any, **extra: Any) -> dict[str, Any]:
    letters = services.letters_for(r) if r.application.uses_vault else []
    new_links = request.session.get(NEW_LINK_SESSION_KEY) or {}
    new_link = new_links.pop(str(r.public_id), None)
    if new_link:
        request.session[NEW_LINK_SESSION_KEY] = new_links
    return {
        "letter_request": r,
        "application": r.application,
        "mentor": r.mentor,
        "links": list(r.writer_links.all()),
        "new_link": new_link,
        "letters": letters,
        "deliveries": list(Delivery.objects.filter(letter__request=r).select_related("letter")),
        "events": list(r.writer_events.all()[:200]),
        "delivery_form": extra.pop("delivery_form", None) or DeliveryForm(),
        "email_nonce": new_nonce(),
        "copy_nonce": new_nonce(),
        "waived": r.waiver_signed,
        **extra,
    }


@login_required
@require_GET
def overview(request: AuthenticatedRequest) -> HttpResponse:
    from preceptor.letters.models import LetterRequest

    requests = (
        LetterRequest.objects.filter(application__user=request.user)
        .select_related("application", "mentor")
        .order_by("application__official_deadline", "application_id", "id")
    )
    rows = []
    for r in requests:
        links = list(r.writer_links.all())
        letters = services.letters_for(r) if r.application.uses_vault else []
        rows.append(
            {
                "request": r,
                "active_links": sum(1 for link in links if link.is_usable),
                "latest": letters[0] if letters else None,
                "deliveries": Delivery.objects.filter(letter__request=r).count(),
            }
        )
    return render(request, "writers/overview.html", {"rows": rows})


@login_required
@require_GET
def request_page(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    r = services.get_request_for_user(request.user, public_id)
    return render(request, "writers/request.html", _request_context(request, r))


@login_required
@require_POST
def link_create(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    r = services.get_request_for_user(request.user, public_id)
    form = LinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose whether to email the link or copy it.")
        return redirect("writers:request", public_id=r.public_id)
    action = form.cleaned_data["action"]
    try:
        from django.db import transaction

        with transaction.atomic():
            services.claim_nonce(form.cleaned_data["nonce"])
            url = services.issue_link(r, send_email=action == "email")
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
        return redirect("writers:request", public_id=r.public_id)
    if action == "email":
        messages.success(
            request, f"The link is on its way to {r.mentor.full_name} ({r.mentor.email})."
        )
    else:
        # Shown once on the next page, then gone: only its hash is kept.
        new_links = request.session.get(NEW_LINK_SESSION_KEY) or {}
        new_links[str(r.public_id)] = url
        request.session[NEW_LINK_SESSION_KEY] = new_links
        messages.success(request, "Here is a new link to copy into your own email.")
    return redirect("writers:request", public_id=r.public_id)


@login_required
@require_POST
def link_revoke(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    link = services.get_link_for_user(request.user, public_id)
    if services.revoke_link(link):
        messages.success(request, "The link is revoked; it no longer opens anything.")
    else:
        messages.info(request, "That link was already revoked. Nothing changed.")
    return redirect("writers:request", public_id=link.request.public_id)


@login_required
@require_http_methods(["POST"])
def deliver(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    r = services.get_request_for_user(request.user, public_id)
    form = DeliveryForm(request.POST)
    if form.is_valid():
        try:
            delivery = services.deliver(
                r,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                max_downloads=form.cleaned_data["max_downloads"],
                valid_days=form.cleaned_data["valid_days"],
                nonce=form.cleaned_data["nonce"],
            )
        except ValidationError as e:
            form.add_error(None, _errors(e))
        else:
            messages.success(
                request,
                f"Delivered: {delivery.recipient_name} will get an email with their own "
                "download link.",
            )
            return redirect("writers:request", public_id=r.public_id)
    ctx = _request_context(request, r, delivery_form=form)
    return render(request, "writers/request.html", ctx, status=400)


@login_required
@require_POST
def delivery_revoke(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    delivery = services.get_delivery_for_user(request.user, public_id)
    if services.revoke_delivery(delivery):
        messages.success(request, f"The link sent to {delivery.recipient_name} no longer works.")
    else:
        messages.info(request, "That delivery link was already revoked. Nothing changed.")
    return redirect("writers:request", public_id=delivery.letter.request.public_id)


@login_required
@require_GET
def letter_copy(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    letter = services.get_letter_for_user(request.user, public_id)
    try:
        data = services.read_own_letter(request.user, letter)
    except ValidationError as e:
        ctx = {"message": e.messages[0], "letter_request": letter.request}
        return render(request, "writers/waived.html", ctx, status=403)
    except storage.StorageError:
        log.exception("vault letter %s unreadable", letter.pk)
        return render(request, "writers/storage_error.html", status=503)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="Letter_v{letter.version}.pdf"'
    response["Cache-Control"] = "no-store, private"
    return response
