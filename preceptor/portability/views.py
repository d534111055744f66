from __future__ import annotations

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from preceptor.accounts.services import today_for
from preceptor.core import ratelimit
from preceptor.lib.http import AuthenticatedRequest
from preceptor.lib.pdf import MB
from preceptor.portability import archive, services
from preceptor.portability.forms import ImportForm
from preceptor.portability.owned import NOT_OWNED, OWNED


def _page(request: AuthenticatedRequest, form: ImportForm, status: int = 200) -> HttpResponse:
    ctx = {
        "form": form,
        "has_data": services.has_data(request.user),
        "max_mb": archive.max_archive_bytes() // MB,
        "owned": [apps.get_model(label)._meta.verbose_name_plural for label in OWNED],
        "not_owned": sorted(
            (apps.get_model(label)._meta.verbose_name_plural, why)
            for label, why in NOT_OWNED.items()
            if label.startswith(("accounts.", "writers.", "notify.", "smartpick.", "letters."))
        ),
    }
    return render(request, "portability/data.html", ctx, status=status)


@login_required
@require_http_methods(["GET"])
def data(request: AuthenticatedRequest) -> HttpResponse:
    return _page(request, ImportForm())


@login_required
@require_http_methods(["POST"])
def export(request: AuthenticatedRequest) -> HttpResponse:
    if not ratelimit.hit("data_export", f"user:{request.user.pk}"):
        return ratelimit.refused(request, "data_export")
    response = HttpResponse(services.export_account(request.user), content_type="application/zip")
    name = services.export_filename(request.user, today_for(request.user))
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["POST"])
def import_(request: AuthenticatedRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form, 400)
    if not ratelimit.hit("data_import", f"user:{request.user.pk}"):
        form.add_error("file", ratelimit.message("data_import"))
        return ratelimit.retry_later(_page(request, form), "data_import")
    upload = form.cleaned_data["file"]
    limit = archive.max_archive_bytes()
    if upload.size > limit:
        # Refused by its size, before reading it.
        form.add_error(
            "file",
            f"The archive is {upload.size / MB:.1f} MB; the limit is {limit // MB} MB. "
            "Nothing was imported.",
        )
        return _page(request, form, 400)
    try:
        result = services.import_account(request.user, upload.file)
    except services.Refused as e:
        form.add_error("file", str(e))
        return _page(request, form, 400)
    note = (
        f" Active content was removed from {len(result.removed)} document(s)."
        if result.removed
        else ""
    )
    messages.success(request, f"Imported {result.total} records from your export.{note}")
    return redirect("mentors:list")
