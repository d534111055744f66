"""Pages of the mentor network. HTTP only: parse, call a service, render.

Every form is a real form with a CSRF token that works without JavaScript; with htmx the
detail page swaps just the live part (cadence, log form, timeline, action items).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from preceptor.accounts.forms import SPECIALTIES
from preceptor.accounts.services import get_profile
from preceptor.core import ratelimit
from preceptor.lib import text as words
from preceptor.lib.http import AuthenticatedRequest
from preceptor.mentors import csvio, drafts, network, services
from preceptor.mentors.forms import (
    SERVICE_LABELS,
    AchievementForm,
    ActionItemForm,
    ActionUpdateForm,
    ImportUploadForm,
    InteractionForm,
    ListFilterForm,
    MentorForm,
    PeriodForm,
    SnoozeForm,
    TargetForm,
)
from preceptor.mentors.models import Achievement, ActionItem, Mentor, Tag

IMPORT_SESSION_KEY = "mentors_import"


def _htmx(request: AuthenticatedRequest) -> bool:
    """Whether htmx sent the request (django-htmx's middleware sets ``request.htmx``)."""
    return bool(getattr(request, "htmx", False))


def _add_errors(form: Any, e: ValidationError) -> None:
    if hasattr(e, "error_dict"):
        for name, msgs in e.message_dict.items():
            for m in msgs:
                form.add_error(name if name in form.fields else None, m)
    else:
        for m in e.messages:
            form.add_error(None, m)


def _target(request: AuthenticatedRequest, form: TargetForm | None = None) -> tuple[str, str]:
    """The readiness target from the query string, else from the profile."""
    service, specialty = services.target_for(request.user)
    if form is not None and form.is_valid():
        service = form.cleaned_data.get("service") or service
        specialty = (form.cleaned_data.get("specialty") or "").strip() or specialty
    return service, specialty


# ---------------------------------------------------------------- list


@login_required
@require_http_methods(["GET"])
def mentor_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    today = services.today_for(user)
    form = ListFilterForm(request.GET or None)
    service, specialty = _target(request, form)
    if not form.is_bound:
        form = ListFilterForm(initial={"service": service, "specialty": specialty})
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    qs = services.mentors_of(user)
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("role"):
        qs = qs.filter(role=data["role"])
    if data.get("tag"):
        qs = qs.filter(tags__name=data["tag"].strip().lower())
    qs = services.search(qs, data.get("q", ""))
    mentors = list(services.with_related(qs))
    rows: list[dict[str, Any]] = []
    for m in mentors:
        cadence = services.cadence_of(m, today)
        readiness = services.readiness_of(m, service=service, specialty=specialty, today=today)
        rows.append({"mentor": m, "cadence": cadence, "readiness": readiness})
    sort = data.get("sort") or "urgency"
    if sort == "readiness":
        rows.sort(key=lambda r: (-r["readiness"].score, r["mentor"].full_name.lower()))
    elif sort == "name":
        rows.sort(key=lambda r: r["mentor"].full_name.lower())
    else:
        rows.sort(key=_urgency)
    ctx = {
        "rows": rows,
        "form": form,
        "service": service,
        "service_label": SERVICE_LABELS.get(service, service),
        "specialty": specialty,
        "sort": sort,
        "today": today,
        "total": services.mentors_of(user).count(),
        "tags": Tag.objects.filter(user=user, mentors__isnull=False).distinct(),
        "specialties": SPECIALTIES,
        "unreported": services.unreported_action_items(user).count(),
    }
    if _htmx(request):
        return render(request, "mentors/list.html#rows", ctx)
    return render(request, "mentors/list.html", ctx)


def _urgency(row: dict[str, Any]) -> tuple[int, dt.date, str]:
    c = row["cadence"]
    if c is None:  # former mentors last
        return (9, dt.date.max, row["mentor"].full_name.lower())
    return (
        c.rank if hasattr(c, "rank") else _rank(c.state),
        c.overdue_on if c.state == "overdue" else c.due_on,
        row["mentor"].full_name.lower(),
    )


def _rank(state: str) -> int:
    from preceptor.mentors.cadence import STATES

    return STATES.index(state)


# ---------------------------------------------------------------- mentor forms


@login_required
@require_http_methods(["GET", "POST"])
def mentor_add(request: AuthenticatedRequest) -> HttpResponse:
    form = MentorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        tags = data.pop("tags", "")
        try:
            mentor = services.create_mentor(request.user, tags=tags, **data)
        except ValidationError as e:
            _add_errors(form, e)
        else:
            messages.success(request, f"{mentor} is in your network. Log your last contact next.")
            return redirect("mentors:detail", pk=mentor.public_id)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "mentors/mentor_form.html",
        {"form": form, "specialties": SPECIALTIES},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def mentor_edit(request: AuthenticatedRequest, pk: str) -> HttpResponse:
    mentor = services.get_mentor_for_user(request.user, pk)
    form = MentorForm(request.POST or None, instance=mentor)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        tags = data.pop("tags", "")
        # The form wrote its values onto the instance; start from the stored row instead.
        mentor = services.get_mentor_for_user(request.user, pk)
        try:
            services.update_mentor(mentor, tags=tags, **data)
        except ValidationError as e:
            _add_errors(form, e)
        else:
            messages.success(request, "Saved.")
            return redirect("mentors:detail", pk=mentor.public_id)
    status = 400 if form.is_bound else 200
    ctx = {
        "form": form,
        "mentor": services.get_mentor_for_user(request.user, pk),
        "specialties": SPECIALTIES,
    }
    return render(request, "mentors/mentor_form.html", ctx, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def mentor_delete(request: AuthenticatedRequest, pk: str) -> HttpResponse:
    mentor = services.get_mentor_for_user(request.user, pk)
    error = None
    if request.method == "POST":
        try:
            services.delete_mentor(mentor)
        except ValidationError as e:
            error = " ".join(e.messages)
        else:
            messages.success(request, f"{mentor} and their history were deleted.")
            return redirect("mentors:list")
    return render(
        request,
        "mentors/mentor_delete.html",
        {"mentor": mentor, "error": error},
        status=400 if error else 200,
    )


# ---------------------------------------------------------------- detail


def _detail_context(
    request: AuthenticatedRequest,
    mentor: Mentor,
    *,
    log_form: InteractionForm | None = None,
    action_form: ActionItemForm | None = None,
    loaded: bool = False,
) -> dict[str, Any]:
    """``loaded``: ``mentor`` was just read with its related rows (``with_related``);
    otherwise (after a change) they are read again here."""
    user = request.user
    today = services.today_for(user)
    if not loaded:
        mentor = services.with_related(services.mentors_of(user).filter(pk=mentor.pk)).get()
    target_form = TargetForm(request.GET or None)
    service, specialty = _target(request, target_form)
    if not target_form.is_bound:
        target_form = TargetForm(initial={"service": service, "specialty": specialty})
    actions = list(mentor.action_items.all())
    return {
        "mentor": mentor,
        "today": today,
        "cadence": services.cadence_of(mentor, today),
        "readiness": services.readiness_of(
            mentor, service=service, specialty=specialty, today=today
        ),
        "service": service,
        "service_label": SERVICE_LABELS.get(service, service),
        "specialty": specialty,
        "target_form": target_form,
        "specialties": SPECIALTIES,
        "interactions": list(mentor.interactions.all()),
        "periods": sorted(mentor.periods.all(), key=lambda p: p.start, reverse=True),
        "open_actions": [a for a in actions if a.status == ActionItem.Status.OPEN],
        "closed_actions": [a for a in actions if a.status != ActionItem.Status.OPEN],
        "log_form": log_form or InteractionForm(today=today, prefix="log"),
        "action_form": action_form or ActionItemForm(prefix="action"),
        "snooze_form": SnoozeForm(initial={"until": today + dt.timedelta(days=14)}),
        "draft_kinds": drafts.KINDS,
    }


@login_required
@require_http_methods(["GET"])
def mentor_detail(request: AuthenticatedRequest, pk: str) -> HttpResponse:
    mentor = services.get_mentor_for_user(request.user, pk, related=True)
    return render(request, "mentors/detail.html", _detail_context(request, mentor, loaded=True))


@login_required
@require_http_methods(["GET", "POST"])
def log_interaction(request: AuthenticatedRequest, pk: str) -> HttpResponse:
    """Log a contact. Inline on the detail page (htmx swaps the live part) or as a page."""
    mentor = services.get_mentor_for_user(request.user, pk)
    today = services.today_for(request.user)
    form = InteractionForm(request.POST or None, today=today, prefix="log")
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("action_items", None)
        try:
            services.log_interaction(mentor, action_items=form.action_list(), today=today, **data)
        except ValidationError as e:
            _add_errors(form, e)
        else:
            msg = "Logged. The cadence clock starts again from this contact."
            if _htmx(request):
                ctx = _detail_context(request, mentor)
                ctx["flash"] = msg
                return render(request, "mentors/detail.html#live", ctx)
            messages.success(request, msg)
            return redirect("mentors:detail", pk=mentor.public_id)
    if _htmx(request):
        return render(
            request, "mentors/detail.html#live", _detail_context(request, mentor, log_form=form)
        )
    return render(
        request,
        "mentors/log.html",
        {"mentor": mentor, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def interaction_edit(request: AuthenticatedRequest, pk: str) -> HttpResponse:
    interaction = services.get_interaction_for_user(request.user, pk)
    today = services.today_for(request.user)
    form = InteractionForm(request.POST or None, instance=interaction, today=today)
    form.fields.pop("action_items")
    if request.method == "POST" and form.is_valid():
        interaction = services.get_interaction_for_user(request.user, pk)
        try:
            services.update_interaction(interaction, today=today, **form.cleaned_data)
        except ValidationError as e:
            _add_errors(form, e)
        else:
            messages.success(request, "Saved.")
            return redirect("mentors:detail", pk=interaction.mentor.public_id)
    ctx = {"form": form, "mentor": interaction.mentor, "interaction": interaction}
    return render(
        request, "mentors/interaction_form.html", ctx, status=400 if form.is_bound else 200
    )


@login_required
@require_http_methods(["POST"])
def interaction_delete(request: AuthenticatedRequest, pk: str) -> HttpResponse:
    interaction = services.get_interaction_for_user(request.user, pk)
    mentor = interaction.mentor
    services.delete_interaction(interaction)
    messages.success(request, "Interaction deleted.")
    return redirect("mentors:detail", pk=mentor.public_id)


# ---------------------------------------------------------------- supervision periods


@login_required
@require_http_methods(["GET", "POST"])
def period_add(request: AuthenticatedRequest, pk: str) -> HttpResponse:
    mentor = services.get_mentor_for_user(request.user, pk)
    form = PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_period(mentor, **form.cleaned_data)
        except ValidationError as e:
            _add_errors(form, e)
        else:
            messages.success(request, "Supervision period added.")
            return redirect("mentors:detail", pk=mentor.public_id)
    return render(
        request,
        "mentors/period_form.html",
        {"form": form, "mentor": mentor},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def period_edit(request: AuthenticatedRequest, pk: str) -> HttpResponse:
    period = services.get_period_for_user(request.user, pk)
    form = PeriodForm(request.POST or None, instance=period)
    if request.method == "POST" and form.is_valid():
        period = services.get_period_for_user(request.user, pk)
        try:
            services.update_period(period, **form.cleaned_data)
        except ValidationError as e:
            _add_errors(form, e)
        else:
            messages.success(request, "Saved.")
            return redirect("mentors:detail", pk=period.mentor.public_id)
    ctx = {"form": form, "mentor": period.mentor, "period": period}
    return render(request, "mentors/period_form.html", ctx, status=400 if form.is_bound else 200)


@login_required
@require_http_methods(["POST"])
def period_delete(request: AuthenticatedRequest, pk: str) -> HttpResponse:
    period = services.get_period_for_user(request.user, pk)
    mentor = period.mentor
    services.delete_period(period)
    messages.success(request, "Supervision period deleted.")
    return redirect("mentors:detail", pk=mentor.public_id)


# ---------------------------------------------------------------- action items, snooze


@login_required
@require_http_methods(["POST"])
def action_add(request: AuthenticatedRequest, pk: str) -> HttpResponse:
    mentor = services.get_mentor_for_user(request.user, pk)
    form = ActionItemForm(request.POST, prefix="action")
    if form.is_valid():
        try:
            services.add_action_item(mentor, **form.cleaned_data)
        except ValidationError as e:
            _add_errors(form, e)
        else:
            return _back_to_detail(request, mentor, "Action item added.")
    # The page again with the form as typed and its errors beside the fields: a redirect
    # would lose what the user wrote.
    # (htmx swaps only a 2xx answer, so the fragment comes back as 200.)
    ctx = _detail_context(request, mentor, action_form=form)
    if _htmx(request):
        return render(request, "mentors/detail.html#live", ctx)
    return render(request, "mentors/detail.html", ctx, status=400)


def _back_to_detail(request: AuthenticatedRequest, mentor: Mentor, msg: str) -> HttpResponse:
    if _htmx(request):
        ctx = _detail_context(request, mentor)
        ctx["flash"] = msg
        return render(request, "mentors/detail.html#live", ctx)
    messages.success(request, msg)
    return redirect(reverse("mentors:detail", kwargs={"pk": mentor.public_id}) + "#actions")


@login_required
@require_http_methods(["POST"])
def action_update(request: AuthenticatedRequest, pk: str) -> HttpResponse:
    item = services.get_action_for_user(request.user, pk)
    mentor = item.mentor
    form = ActionUpdateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That is not something we can do with an action item.")
        return redirect("mentors:detail", pk=mentor.public_id)
    op = form.cleaned_data["op"]
    try:
        if op == "done":
            services.complete_action(item)
            msg = "Done. Remember to tell them; it is what keeps a mentor invested."
        elif op == "decline":
            services.decline_action(item, reason=form.cleaned_data["reason"])
            msg = "Noted, with your reason. Tell them when you next write."
        elif op == "reopen":
            services.reopen_action(item)
            msg = "Reopened."
        elif op == "report":
            services.report_back(item)
            msg = "Reported back. Loop closed."
        else:
            services.delete_action(item)
            msg = "Action item deleted."
    except ValidationError as e:
        if _htmx(request):
            ctx = _detail_context(request, mentor)
            ctx["action_error"] = (item.public_id, " ".join(e.messages))
            return render(request, "mentors/detail.html#live", ctx)
        messages.error(request, " ".join(e.messages))
        return redirect(reverse("mentors:detail", kwargs={"pk": mentor.public_id}) + "#actions")
    return _back_to_detail(request, mentor, msg)


@login_required
@require_http_methods(["POST"])
def snooze(request: AuthenticatedRequest, pk: str) -> HttpResponse:
    mentor = services.get_mentor_for_user(request.user, pk)
    form = SnoozeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter a date to snooze until.")
        return redirect("mentors:detail", pk=mentor.public_id)
    if form.cleaned_data["clear"]:
        services.unsnooze(mentor)
        return _back_to_detail(request, mentor, "Snooze ended.")
    until = form.cleaned_data["until"]
    if until is None:
        messages.error(request, "Enter a date to snooze until.")
        return redirect("mentors:detail", pk=mentor.public_id)
    try:
        services.snooze(mentor, until=until)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect("mentors:detail", pk=mentor.public_id)
    return _back_to_detail(request, mentor, f"Snoozed until {until:%B} {until.day}.")


# ---------------------------------------------------------------- drafts


@login_required
@require_http_methods(["GET"])
def draft(request: AuthenticatedRequest, pk: str, kind: str) -> HttpResponse:
    mentor = services.get_mentor_for_user(request.user, pk)
    if kind not in drafts.KINDS:
        raise Http404("No such draft.")
    d = services.draft_for(mentor, kind)
    ctx = {"mentor": mentor, "draft": d, "kinds": drafts.KINDS, "kind": kind}
    return render(request, "mentors/draft.html", ctx)


# ---------------------------------------------------------------- achievements


@login_required
@require_http_methods(["GET", "POST"])
def achievements(request: AuthenticatedRequest) -> HttpResponse:
    today = services.today_for(request.user)
    form = AchievementForm(request.POST or None, initial={"achieved_on": today})
    if request.method == "POST" and form.is_valid():
        try:
            services.add_achievement(request.user, **form.cleaned_data)
        except ValidationError as e:
            _add_errors(form, e)
        else:
            messages.success(request, "Added. It will appear in your next update emails.")
            return redirect("mentors:achievements")
    items = Achievement.objects.filter(user=request.user)
    return render(
        request,
        "mentors/achievements.html",
        {"form": form, "items": items},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def achievement_edit(request: AuthenticatedRequest, pk: str) -> HttpResponse:
    item = services.get_achievement_for_user(request.user, pk)
    form = AchievementForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        item = services.get_achievement_for_user(request.user, pk)
        try:
            services.update_achievement(item, **form.cleaned_data)
        except ValidationError as e:
            _add_errors(form, e)
        else:
            messages.success(request, "Saved.")
            return redirect("mentors:achievements")
    return render(
        request,
        "mentors/achievement_form.html",
        {"form": form, "item": item},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["POST"])
def achievement_delete(request: AuthenticatedRequest, pk: str) -> HttpResponse:
    item = services.get_achievement_for_user(request.user, pk)
    services.delete_achievement(item)
    messages.success(request, "Achievement deleted.")
    return redirect("mentors:achievements")


# ---------------------------------------------------------------- network view


@login_required
@require_http_methods(["GET"])
def network_view(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    today = services.today_for(user)
    target_form = TargetForm(request.GET or None)
    service, specialty = _target(request, target_form)
    if not target_form.is_bound:
        target_form = TargetForm(initial={"service": service, "specialty": specialty})
    ranked = services.readiness_for(user, service=service, specialty=specialty, today=today)
    profile = get_profile(user)
    report = network.coverage(
        [services.network_facts(r.mentor, r.score) for r in ranked],
        stage=profile.stage,
        service=service,
        specialty=specialty,
    )
    ctx = {
        "report": report,
        "ranked": ranked,
        "service": service,
        "service_label": SERVICE_LABELS.get(service, service),
        "specialty": specialty,
        "target_form": target_form,
        "specialties": SPECIALTIES,
        "stage": profile.get_stage_display() if profile.stage else "",
    }
    return render(request, "mentors/network.html", ctx)


# ---------------------------------------------------------------- CSV


@login_required
@require_http_methods(["GET"])
def export(request: AuthenticatedRequest) -> HttpResponse:
    body = services.export_csv(request.user)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mentors.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_csv(request: AuthenticatedRequest) -> HttpResponse:
    """Upload → map columns and preview (nothing saved) → import all rows or none."""
    user = request.user
    step = request.POST.get("step", "upload")
    upload = ImportUploadForm()
    ctx: dict[str, Any] = {"upload": upload, "fields": csvio.FIELDS}
    if request.method == "GET":
        request.session.pop(IMPORT_SESSION_KEY, None)
        return render(request, "mentors/import.html", ctx)
    if step == "upload":
        upload = ImportUploadForm(request.POST, request.FILES)
        ctx["upload"] = upload
        if not upload.is_valid():
            return render(request, "mentors/import.html", ctx, status=400)
        f = upload.cleaned_data["file"]
        if not ratelimit.hit("csv_import", f"user:{user.pk}"):
            upload.add_error("file", ratelimit.message("csv_import"))
            return ratelimit.retry_later(render(request, "mentors/import.html", ctx), "csv_import")
        if f.size > csvio.MAX_BYTES:
            upload.add_error(
                "file", f"The file is larger than {csvio.MAX_BYTES // 1024 // 1024} MB."
            )
            return render(request, "mentors/import.html", ctx, status=400)
        try:
            parsed = csvio.read(f.read())
        except csvio.CsvError as e:
            upload.add_error("file", str(e))
            return render(request, "mentors/import.html", ctx, status=400)
        request.session[IMPORT_SESSION_KEY] = {
            "headers": parsed.headers,
            "rows": parsed.rows,
            "encoding": parsed.encoding,
            "name": f.name[:100],
        }
        mapping = csvio.guess_mapping(parsed.headers)
        return _preview(request, parsed, mapping, ctx)
    stored = request.session.get(IMPORT_SESSION_KEY)
    if not stored:
        ctx["expired"] = "That upload has expired or was never made; choose the file again."
        return render(request, "mentors/import.html", ctx, status=400)
    parsed = csvio.Parsed(stored["headers"], stored["rows"], stored.get("encoding", "UTF-8"))
    mapping = _mapping_from(request, parsed)
    if step == "preview":
        return _preview(request, parsed, mapping, ctx)
    if step == "import":
        try:
            result = services.import_mentors(user, parsed, mapping)
        except csvio.CsvError as e:
            ctx["mapping_error"] = str(e)
            return _preview(request, parsed, mapping, ctx, status=400)
        if result.errors:
            ctx["rows"] = result.rows
            return _preview(request, parsed, mapping, ctx, status=400)
        request.session.pop(IMPORT_SESSION_KEY, None)
        messages.success(request, f"Imported {words.count(result.created, 'mentor')}.")
        return redirect("mentors:list")
    return redirect("mentors:import")


def _mapping_from(request: AuthenticatedRequest, parsed: csvio.Parsed) -> dict[str, int | None]:
    mapping: dict[str, int | None] = {}
    for name in csvio.FIELDS:
        raw = request.POST.get(f"map_{name}", "")
        try:
            index = int(raw) if raw != "" else None
        except ValueError:
            index = None
        mapping[name] = index if index is not None and 0 <= index < len(parsed.headers) else None
    return mapping


def _preview(
    request: AuthenticatedRequest,
    parsed: csvio.Parsed,
    mapping: dict[str, int | None],
    ctx: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    if "rows" not in ctx and "mapping_error" not in ctx:
        try:
            ctx["rows"] = services.check_import(request.user, parsed, mapping)
        except csvio.CsvError as e:
            ctx["mapping_error"] = str(e)
            status = 400
    rows = ctx.get("rows") or []
    bad = [r for r in rows if not r.ok]
    ctx.update(
        {
            "step": "preview",
            "headers": list(enumerate(parsed.headers)),
            "mapping": mapping,
            "mapping_rows": [
                (name, label, mapping.get(name)) for name, (label, _) in csvio.FIELDS.items()
            ],
            "total": len(parsed.rows),
            "encoding": parsed.encoding,
            "bad": bad[:200],
            "bad_count": len(bad),
            "sample": [r for r in rows if r.ok][:20],
            "file_name": (request.session.get(IMPORT_SESSION_KEY) or {}).get("name", ""),
        }
    )
    return render(request, "mentors/import.html", ctx, status=status)
