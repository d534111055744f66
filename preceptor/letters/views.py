"""Pages: applications overview, application detail, the board, request detail, packets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods

from preceptor.accounts.forms import SPECIALTIES
from preceptor.core import ratelimit
from preceptor.letters import (
    drafts,
    library,
    lifecycle,
    mentorlink,
    packets,
    queries,
    rulebook,
    services,
)
from preceptor.letters.forms import (
    ApplicationForm,
    LibraryUploadForm,
    OutcomeForm,
    PlanRequestForm,
    RenameForm,
    RequestEditForm,
    RequestFormUpload,
    TransitionForm,
    UploadForm,
    UseDocumentForm,
    VersionUploadForm,
    WaiverForm,
)
from preceptor.letters.models import Application, DocumentKind, LetterRequest
from preceptor.lib import memo
from preceptor.lib import text as words
from preceptor.lib.http import AuthenticatedRequest
from preceptor.lib.pdf import MB, removed_sentence


def _errors(e: ValidationError) -> list[str]:
    if hasattr(e, "error_dict"):
        return [m for msgs in e.message_dict.values() for m in msgs]
    return list(e.messages)


def _add_errors(form: Any, e: ValidationError) -> None:
    if hasattr(e, "error_dict"):
        for name, msgs in e.message_dict.items():
            for m in msgs:
                form.add_error(name if name in form.fields else None, m)
    else:
        for m in e.messages:
            form.add_error(None, m)


def _mentors_url() -> str | None:
    # The mentors app is built alongside; link to it only once its page exists.
    try:
        return reverse("mentors:list")
    except NoReverseMatch:
        return None


# ---------------------------------------------------------------- applications


@login_required
@require_http_methods(["GET"])
def overview(request: AuthenticatedRequest) -> HttpResponse:
    today = services.today_for(request.user)
    rules = rulebook.all_rules()
    rows = []
    # Read once for the rows and the week's to-do list.
    apps = list(queries.applications_for(request.user))
    for app in apps:
        reqs = list(app.requests.all())
        counts: dict[str, int] = {}
        for r in reqs:
            counts[r.status] = counts.get(r.status, 0) + 1
        rows.append(
            {
                "app": app,
                "coverage": rulebook.coverage(app, rules),
                "counts": [(lifecycle.LABELS[s], n) for s, n in counts.items()],
                "days_left": (app.personal_deadline - today).days,
            }
        )
    todo = queries.week_todo(request.user, today, apps=apps)
    ctx = {"rows": rows, "todo": todo, "today": today}
    return render(request, "letters/overview.html", ctx)


def _say_if_margin_shrank(
    request: AuthenticatedRequest, app: Application, asked: int | None
) -> None:
    if asked and app.personal_deadline_days < asked:
        messages.info(
            request,
            f"The deadline is near, so your writers get {app.personal_deadline:%B %-d} "
            f"({words.count(app.personal_deadline_days, 'day')} before the official deadline "
            f"instead of {asked}): that still leaves them a week.",
        )


@login_required
@require_http_methods(["GET", "POST"])
def application_new(request: AuthenticatedRequest) -> HttpResponse:
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            app = services.create_application(request.user, **form.cleaned_data)
        except ValidationError as e:
            _add_errors(form, e)
        else:
            messages.success(request, f"{app.display_title} added. Now plan who will write.")
            _say_if_margin_shrank(request, app, form.cleaned_data.get("personal_deadline_days"))
            return redirect("letters:application", app_id=app.public_id)
    return render(
        request, "letters/application_form.html", {"form": form, "specialties": SPECIALTIES}
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request: AuthenticatedRequest, app_id: UUID) -> HttpResponse:
    app = services.get_application_for_user(request.user, app_id)
    form = ApplicationForm(request.POST or None, instance=app)
    if request.method == "POST" and form.is_valid():
        # The ModelForm has copied the values onto ``app``; reload so the service sees the
        # stored values and can tell what changed.
        app.refresh_from_db()
        try:
            services.update_application(app, **form.cleaned_data)
        except ValidationError as e:
            app.refresh_from_db()
            _add_errors(form, e)
        else:
            messages.success(request, "Application saved.")
            _say_if_margin_shrank(request, app, form.cleaned_data.get("personal_deadline_days"))
            return redirect("letters:application", app_id=app.public_id)
    ctx = {"form": form, "app": app, "specialties": SPECIALTIES}
    return render(request, "letters/application_form.html", ctx)


@login_required
@require_http_methods(["POST"])
def application_delete(request: AuthenticatedRequest, app_id: UUID) -> HttpResponse:
    app = services.get_application_for_user(request.user, app_id)
    title = app.display_title
    services.delete_application(app)
    messages.info(request, f"{title} and its letter requests were deleted.")
    return redirect("letters:overview")


@login_required
@require_http_methods(["GET"])
def application_detail(request: AuthenticatedRequest, app_id: UUID) -> HttpResponse:
    app = services.get_application_for_user(request.user, app_id)
    return _render_application(request, app)


def _render_application(
    request: AuthenticatedRequest,
    app: Any,
    *,
    plan_form: PlanRequestForm | None = None,
    upload_form: UploadForm | None = None,
    use_form: UseDocumentForm | None = None,
    outcome_form: OutcomeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = services.today_for(request.user)
    all_rules = rulebook.all_rules()
    rules = rulebook.rules_for(app, all_rules)
    # The requests once, with their mentors; plan_for and coverage count the application's
    # requests through app.requests.all(), which this fills, instead of a query each.
    fetched = app.requests.select_related("mentor")
    reqs = list(fetched)
    for r in reqs:
        r.application = app
    prefetched = getattr(app, "_prefetched_objects_cache", None)
    if prefetched is None:
        prefetched = app._prefetched_objects_cache = {}
    prefetched["requests"] = fetched
    # The outcomes once too: the list and the summary both read app.outcomes.all().
    outcomes = app.outcomes.all()
    outcome_rows = list(outcomes)
    prefetched["outcomes"] = outcomes
    mentors = mentorlink.mentors_for(request.user).exclude(pk__in=[r.mentor_id for r in reqs])
    ctx = {
        "app": app,
        "rules": rules,
        "coverage": rulebook.coverage(app, all_rules),
        "requests": [(r, queries.plan_for(r, today, rules=rules, with_writer=False)) for r in reqs],
        "plan_form": plan_form or PlanRequestForm(mentors),
        "has_mentors": mentors.exists(),
        "mentors_url": _mentors_url(),
        "upload_form": upload_form or UploadForm(),
        "outcomes": outcome_rows,
        "outcome_form": outcome_form or OutcomeForm(),
        "outcome_summary": queries.outcome_summary(app),
        "writers_to_tell": services.writers_to_tell(app, reqs),
        "documents": _packet_rows(app),
        "use_form": use_form or UseDocumentForm(library.documents_for(request.user)),
        "today": today,
    }
    return render(request, "letters/application_detail.html", ctx, status=status)


@login_required
@require_http_methods(["POST"])
def request_add(request: AuthenticatedRequest, app_id: UUID) -> HttpResponse:
    app = services.get_application_for_user(request.user, app_id)
    mentors = mentorlink.mentors_for(request.user)
    form = PlanRequestForm(mentors, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            r = services.plan_request(
                app,
                data["mentor"],
                status=data["status"],
                kind=data["kind"],
                category=data["category"],
            )
        except ValidationError as e:
            _add_errors(form, e)
        else:
            messages.success(
                request, f"{mentorlink.salutation_for(r.mentor)} added as {r.status_label}."
            )
            return redirect("letters:application", app_id=app.public_id)
    return _render_application(request, app, plan_form=form, status=400)


def _take_upload(
    request: AuthenticatedRequest,
    form: Any,
    what: str,
    page: Callable[[int], HttpResponse],
) -> tuple[bytes, str] | HttpResponse:
    """The uploaded file's bytes and name, or the page to answer with: the form's errors
    (400), the upload rate limit (429), or a file over the size limit, refused by its size
    without reading it into memory. ``page(status)`` renders the page with ``form``."""
    if not form.is_valid():
        return page(400)
    if not ratelimit.hit("upload", f"user:{request.user.pk}"):
        form.add_error("file", ratelimit.message("upload"))
        return ratelimit.retry_later(page(200), "upload")
    upload = form.cleaned_data["file"]
    if upload.size > services.MAX_UPLOAD_BYTES:
        form.add_error(
            "file",
            f"{what} is {upload.size / MB:.1f} MB; the limit is "
            f"{services.MAX_UPLOAD_BYTES // MB} MB.",
        )
        return page(400)
    return upload.read(), upload.name


@login_required
@require_http_methods(["POST"])
def document_upload(request: AuthenticatedRequest, app_id: UUID) -> HttpResponse:
    app = services.get_application_for_user(request.user, app_id)
    form = UploadForm(request.POST, request.FILES)

    def page(status: int) -> HttpResponse:
        return _render_application(request, app, upload_form=form, status=status)

    kind = form.data.get("kind", "")
    what = f"Your {services.document_label(kind)}" if kind in DocumentKind.values else "The file"
    got = _take_upload(request, form, what, page)
    if isinstance(got, HttpResponse):
        return got
    data, name = got
    try:
        version = services.upload_document(app, form.cleaned_data["kind"], data, filename=name)
    except ValidationError as e:
        form.add_error("file", e)
        return page(400)
    _uploaded_messages(request, version)
    return redirect(reverse("letters:application", args=[app.public_id]) + "#packet")


def _packet_rows(app: Application) -> list[tuple[str, str, Any, Any]]:
    """(kind, label, use or None, version it sends or None) for each kind of document."""
    uses = {u.kind: u for u in library.packet_uses(app)}
    rows = []
    for kind, label in DocumentKind.choices:
        use = uses.get(kind)
        rows.append((kind, label, use, library.resolve(use) if use else None))
    return rows


def _uploaded_messages(request: AuthenticatedRequest, version: Any) -> None:
    doc = version.document
    n_latest = doc.uses.filter(version__isnull=True).count()
    follow = ""
    if version.number > 1 and n_latest:
        verb = "follows" if n_latest == 1 else "follow"
        follow = (
            f" Sent from now on by {words.count(n_latest, 'application')} that {verb} the latest."
        )
    messages.success(
        request, f"“{doc.title}” version {version.number} uploaded and checked.{follow}"
    )
    if version.removed_content:
        what = f"your {services.document_label(doc.kind)}"
        messages.warning(request, removed_sentence(version.removed_content, what))


@login_required
@require_http_methods(["POST"])
def document_delete(request: AuthenticatedRequest, app_id: UUID, kind: str) -> HttpResponse:
    app = services.get_application_for_user(request.user, app_id)
    if kind not in DocumentKind.values or not library.stop_using(app, kind):
        raise Http404("No such document.")
    messages.info(
        request,
        f"{DocumentKind(kind).label} taken out of this packet; it stays in your documents.",
    )
    return redirect(reverse("letters:application", args=[app.public_id]) + "#packet")


@login_required
@require_http_methods(["POST"])
def document_use(request: AuthenticatedRequest, app_id: UUID) -> HttpResponse:
    app = services.get_application_for_user(request.user, app_id)
    form = UseDocumentForm(library.documents_for(request.user), request.POST)
    if not form.is_valid():
        return _render_application(request, app, use_form=form, status=400)
    doc_id, _, version_id = form.cleaned_data["choice"].partition(":")
    document = library.get_document_for_user(request.user, doc_id)
    version = library.get_version_for_user(request.user, version_id) if version_id else None
    try:
        library.use_in_application(app, document, version)
    except ValidationError as e:
        _add_errors(form, e)
        return _render_application(request, app, use_form=form, status=400)
    which = f"version {version.number}" if version else "always its latest version"
    messages.success(request, f"This packet now sends “{document.title}”, {which}.")
    return redirect(reverse("letters:application", args=[app.public_id]) + "#packet")


# ---------------------------------------------------------------- the document library


def _render_library(
    request: AuthenticatedRequest,
    *,
    add_form: LibraryUploadForm | None = None,
    failed: Any = None,
    version_form: VersionUploadForm | None = None,
    rename_form: RenameForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The library page; ``failed`` is the document whose version or rename form is shown
    back with its errors."""
    rows = []
    for d in library.library_for(request.user):
        uses = library.uses_of(d)
        versions = [(v, library.sent_of(v)) for v in d.versions.all()]
        # Writers, not packets: one mentor writing for two applications is one writer.
        writers = {s.request.mentor_id for _, sent in versions for s in sent}
        is_failed = failed is not None and failed.pk == d.pk
        rows.append(
            {
                "doc": d,
                "uses": uses,
                "versions": versions,
                "summary": library.used_by_sentence(len(uses), len(writers)),
                "version_form": version_form
                if is_failed and version_form
                else VersionUploadForm(auto_id=f"id_v{d.public_id.hex[:8]}_%s"),
                "rename_form": rename_form
                if is_failed and rename_form
                else RenameForm(
                    initial={"title": d.title}, auto_id=f"id_r{d.public_id.hex[:8]}_%s"
                ),
            }
        )
    ctx = {"rows": rows, "add_form": add_form or LibraryUploadForm(), "section": "documents"}
    return render(request, "letters/library.html", ctx, status=status)


@login_required
@require_http_methods(["GET"])
def library_page(request: AuthenticatedRequest) -> HttpResponse:
    return _render_library(request)


@login_required
@require_http_methods(["POST"])
def library_add(request: AuthenticatedRequest) -> HttpResponse:
    form = LibraryUploadForm(request.POST, request.FILES)

    def page(status: int) -> HttpResponse:
        return _render_library(request, add_form=form, status=status)

    kind = form.data.get("kind", "")
    what = f"Your {services.document_label(kind)}" if kind in DocumentKind.values else "The file"
    got = _take_upload(request, form, what, page)
    if isinstance(got, HttpResponse):
        return got
    data, name = got
    try:
        version = library.add_document(
            request.user,
            form.cleaned_data["kind"],
            data,
            title=form.cleaned_data["title"],
            filename=name,
        )
    except ValidationError as e:
        form.add_error("title" if e.code == "title" else "file", e)
        return page(400)
    _uploaded_messages(request, version)
    return redirect(reverse("letters:library") + f"#doc-{version.document.public_id}")


@login_required
@require_http_methods(["POST"])
def library_version_add(request: AuthenticatedRequest, doc_id: UUID) -> HttpResponse:
    document = library.get_document_for_user(request.user, doc_id)
    form = VersionUploadForm(
        request.POST, request.FILES, auto_id=f"id_v{document.public_id.hex[:8]}_%s"
    )

    def page(status: int) -> HttpResponse:
        return _render_library(request, failed=document, version_form=form, status=status)

    got = _take_upload(request, form, f"Your {services.document_label(document.kind)}", page)
    if isinstance(got, HttpResponse):
        return got
    data, name = got
    try:
        version = library.add_version(document, data, filename=name)
    except ValidationError as e:
        form.add_error("file", e)
        return page(400)
    _uploaded_messages(request, version)
    return redirect(reverse("letters:library") + f"#doc-{document.public_id}")


@login_required
@require_http_methods(["POST"])
def library_rename(request: AuthenticatedRequest, doc_id: UUID) -> HttpResponse:
    document = library.get_document_for_user(request.user, doc_id)
    form = RenameForm(request.POST, auto_id=f"id_r{document.public_id.hex[:8]}_%s")
    if form.is_valid():
        try:
            library.rename(document, form.cleaned_data["title"])
        except ValidationError as e:
            form.add_error("title", e)
        else:
            messages.success(request, f"Renamed to “{document.title}”.")
            return redirect(reverse("letters:library") + f"#doc-{document.public_id}")
    return _render_library(request, failed=document, rename_form=form, status=400)


@login_required
@require_http_methods(["POST"])
def library_version_delete(request: AuthenticatedRequest, version_id: UUID) -> HttpResponse:
    version = library.get_version_for_user(request.user, version_id)
    document = version.document
    n_uses = document.uses.count()
    try:
        gone = library.delete_version(version)
    except ValidationError as e:
        for m in e.messages:
            messages.error(request, m)
        return redirect(reverse("letters:library") + f"#doc-{document.public_id}")
    if gone:
        verb = "sends" if n_uses == 1 else "send"
        out = f"; {words.count(n_uses, 'application')} no longer {verb} it" if n_uses else ""
        messages.info(request, f"“{document.title}” deleted: it had no other version{out}.")
        return redirect("letters:library")
    messages.info(request, f"Version {version.number} of “{document.title}” deleted.")
    return redirect(reverse("letters:library") + f"#doc-{document.public_id}")


# ---------------------------------------------------------------- requests


@login_required
@require_http_methods(["GET"])
def board(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "letters/board.html", {"columns": queries.board(request.user)})


def _render_request(
    request: AuthenticatedRequest,
    r: LetterRequest,
    *,
    transition_form: TransitionForm | None = None,
    edit_form: RequestEditForm | None = None,
    form_upload: RequestFormUpload | None = None,
    status: int = 200,
) -> HttpResponse:
    today = services.today_for(request.user)
    app = r.application
    # The application's requests, read once for the plan (letters planned) and coverage.
    prefetch_related_objects([app], "requests")
    plan = queries.plan_for(r, today)
    draft_key = request.GET.get("draft")
    draft = queries.draft_for(r, draft_key)
    achievements = mentorlink.achievement_choices(request.user)
    if edit_form is None:
        edit_form = RequestEditForm(
            achievements,
            initial={
                "kind": r.kind,
                "category": r.category,
                "letter_id": r.letter_id,
                "strengths": "\n".join(r.strengths or []),
                "achievement_ids": [str(i) for i in r.achievement_ids or []],
                "summary": r.summary or mentorlink.summary_of_work(r.mentor),
                "writer_reminders": r.writer_reminders,
                "notes": r.notes,
            },
        )
    suggestions: list[mentorlink.Suggestion] = []
    suggestion_basis = ""
    if r.status in ("declined", "hesitant"):
        exclude = list(app.requests.values_list("mentor_id", flat=True))
        suggestions, suggestion_basis = mentorlink.suggest_next(
            request.user,
            service=app.service,
            specialty=app.specialty,
            exclude=exclude,
            today=today,
        )
    ctx = {
        "r": r,
        "app": app,
        "plan": plan,
        "coverage": rulebook.coverage(app),
        "next_action": lifecycle.NEXT_ACTION[r.status],
        "moves": [(s, lifecycle.LABELS[s]) for s in lifecycle.menu(r.status)],
        "transition_form": transition_form or TransitionForm(),
        "edit_form": edit_form,
        "draft": draft,
        "draft_steps": list(drafts.STEPS.items()),
        "transitions": r.transitions.all(),
        "suggestions": suggestions,
        "suggestion_basis": suggestion_basis,
        "writer": mentorlink.describe(r.mentor),
        "today": today,
        "has_documents": app.documents.exists(),
        "sent_documents": library.sent_to(r),
        "form_upload": form_upload or RequestFormUpload(),
    }
    if getattr(request, "htmx", False) and request.GET.get("draft"):
        return render(request, "letters/request_detail.html#draft", ctx)
    return render(request, "letters/request_detail.html", ctx, status=status)


@login_required
@require_http_methods(["GET"])
def request_detail(request: AuthenticatedRequest, req_id: UUID) -> HttpResponse:
    # The page only reads: what several of its parts ask is asked once (lib/memo.py).
    with memo.page():
        return _render_request(request, services.get_request_for_user(request.user, req_id))


@login_required
@require_http_methods(["POST"])
def request_transition(request: AuthenticatedRequest, req_id: UUID) -> HttpResponse:
    r = services.get_request_for_user(request.user, req_id)
    form = TransitionForm(request.POST)
    if form.is_valid():
        to = form.cleaned_data["to_status"]
        try:
            services.transition(
                r, to, actor="applicant", on=form.cleaned_data.get("on"), **form.transition_kwargs()
            )
        except ValidationError as e:
            for m in _errors(e):
                form.add_error(None, m)
        else:
            messages.success(request, f"Marked {lifecycle.LABELS[to]}. Next: {r.next_action}")
            return redirect("letters:request", req_id=r.public_id)
    return _render_request(request, r, transition_form=form, status=400)


@login_required
@require_http_methods(["POST"])
def request_edit(request: AuthenticatedRequest, req_id: UUID) -> HttpResponse:
    r = services.get_request_for_user(request.user, req_id)
    form = RequestEditForm(mentorlink.achievement_choices(request.user), request.POST)
    if form.is_valid():
        try:
            services.update_request(r, **form.cleaned_data)
        except ValidationError as e:
            _add_errors(form, e)
        else:
            messages.success(request, "Saved.")
            return redirect(reverse("letters:request", args=[r.public_id]) + "#packet")
    return _render_request(request, r, edit_form=form, status=400)


@login_required
@require_http_methods(["POST"])
def request_waiver(request: AuthenticatedRequest, req_id: UUID) -> HttpResponse:
    r = services.get_request_for_user(request.user, req_id)
    form = WaiverForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter the date you signed as a date, for example 2026-12-06.")
        return redirect("letters:request", req_id=r.public_id)
    try:
        services.record_waiver(r, signed=form.cleaned_data["signed"], on=form.cleaned_data["on"])
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(
            request, "Waiver recorded." if r.waiver_signed else "Waiver revoked for the future."
        )
    return redirect("letters:request", req_id=r.public_id)


@login_required
@require_http_methods(["POST"])
def request_delete(request: AuthenticatedRequest, req_id: UUID) -> HttpResponse:
    r = services.get_request_for_user(request.user, req_id)
    try:
        services.delete_request(r)
    except ValidationError as e:
        messages.error(request, " ".join(_errors(e)))
        return redirect("letters:request", req_id=r.public_id)
    messages.info(request, "Request removed.")
    return redirect("letters:application", app_id=r.application.public_id)


@login_required
@require_http_methods(["GET"])
def packet_pdf(request: AuthenticatedRequest, req_id: UUID) -> HttpResponse:
    r = services.get_request_for_user(request.user, req_id)
    if not ratelimit.hit("packet", f"user:{request.user.pk}"):
        return ratelimit.refused(request, "packet")
    response = HttpResponse(packets.build_packet_pdf(r), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{packets.packet_filename(r, "pdf")}"'
    return response


@login_required
@require_http_methods(["GET"])
def packet_zip(request: AuthenticatedRequest, req_id: UUID) -> HttpResponse:
    r = services.get_request_for_user(request.user, req_id)
    if not ratelimit.hit("packet", f"user:{request.user.pk}"):
        return ratelimit.refused(request, "packet")
    response = HttpResponse(packets.build_packet_zip(r), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{packets.packet_filename(r, "zip")}"'
    return response


# ---------------------------------------------------------------- outcomes: closing the loop


@login_required
@require_http_methods(["POST"])
def outcome_set(request: AuthenticatedRequest, app_id: UUID) -> HttpResponse:
    app = services.get_application_for_user(request.user, app_id)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            o = services.set_outcome(app, **form.cleaned_data)
        except ValidationError as e:
            _add_errors(form, e)
        else:
            messages.success(request, f"{o.program}: {o.get_stage_display()}.")
            return redirect(reverse("letters:application", args=[app.public_id]) + "#outcomes")
    return _render_application(request, app, outcome_form=form, status=400)


@login_required
@require_http_methods(["POST"])
def outcome_delete(request: AuthenticatedRequest, outcome_id: UUID) -> HttpResponse:
    outcome = services.get_outcome_for_user(request.user, outcome_id)
    app = outcome.application
    services.delete_outcome(outcome)
    messages.success(request, f"Removed {outcome.program} from the outcomes.")
    return redirect(reverse("letters:application", args=[app.public_id]) + "#outcomes")


@login_required
@require_http_methods(["GET"])
def tell_writers(request: AuthenticatedRequest, app_id: UUID) -> HttpResponse:
    """One personal note for each writer of this application: their letter, what happened,
    thanks. Copy it or open it in your email app, then mark the writer as told."""
    app = services.get_application_for_user(request.user, app_id)
    writers = [(r, queries.draft_for(r, "outcome_update")) for r in services.writers_to_tell(app)]
    ctx = {"app": app, "writers": writers, "summary": queries.outcome_summary(app)}
    return render(request, "letters/tell_writers.html", ctx)


@login_required
@require_http_methods(["POST"])
def request_told(request: AuthenticatedRequest, req_id: UUID) -> HttpResponse:
    r = services.get_request_for_user(request.user, req_id)
    try:
        services.record_told(r)
    except services.TransitionError as e:
        messages.error(request, str(e))
    else:
        messages.success(
            request,
            f"Recorded: you told {mentorlink.salutation_for(r.mentor)} how it went. "
            "It is on their mentor page too.",
        )
    return redirect("letters:tell_writers", app_id=r.application.public_id)


@login_required
@require_http_methods(["GET"])
def request_practice(request: AuthenticatedRequest, req_id: UUID) -> HttpResponse:
    """Practise the ask: talking points from the record, with advice for this case."""
    r = services.get_request_for_user(request.user, req_id)
    ctx = {"r": r, "sections": queries.practice_for(r), "draft": queries.draft_for(r, "ask")}
    return render(request, "letters/practice.html", ctx)


@login_required
@require_http_methods(["POST"])
def request_form_upload(request: AuthenticatedRequest, req_id: UUID) -> HttpResponse:
    """Attach the service's request form (letter ID sheet) to this writer's packet."""
    r = services.get_request_for_user(request.user, req_id)
    form = RequestFormUpload(request.POST, request.FILES)

    def page(status: int) -> HttpResponse:
        return _render_request(request, r, form_upload=form, status=status)

    got = _take_upload(request, form, "The request form", page)
    if isinstance(got, HttpResponse):
        return got
    data, name = got
    try:
        removed = services.attach_request_form(r, data, filename=name)
    except ValidationError as e:
        form.add_error("file", e)
        return page(400)
    messages.success(request, "Request form attached: it goes first in the packet.")
    if removed:
        messages.warning(request, removed_sentence(removed, "the request form"))
    return redirect(reverse("letters:request", args=[r.public_id]) + "#packet")


@login_required
@require_http_methods(["POST"])
def request_form_delete(request: AuthenticatedRequest, req_id: UUID) -> HttpResponse:
    r = services.get_request_for_user(request.user, req_id)
    services.remove_request_form(r)
    messages.success(request, "Request form removed from the packet.")
    return redirect(reverse("letters:request", args=[r.public_id]) + "#packet")
