from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from preceptor.accounts.services import get_profile
from preceptor.core import checklist, dashboard, services
from preceptor.lib import memo
from preceptor.lib.http import AuthenticatedRequest


@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:dashboard")
    return render(request, "core/home.html")


@login_required
@require_http_methods(["GET"])
def dashboard_view(request: AuthenticatedRequest) -> HttpResponse:
    # The checklist and the panels ask some of the same questions: each is asked once.
    with memo.page():
        profile = get_profile(request.user)
        percent, missing = profile.completeness()
        steps = checklist.steps_for(request.user)
        ctx = {
            "profile": profile,
            "percent": percent,
            "missing": missing,
            "steps": steps,
            "steps_done": sum(1 for _, done in steps if done),
            "panels": dashboard.panels_for(request.user),
        }
        return render(request, "core/dashboard.html", ctx)


@never_cache
@require_http_methods(["GET", "HEAD"])
def healthz(request: HttpRequest) -> JsonResponse:
    report = services.health()
    status = 503 if report.status == "error" else 200
    return JsonResponse(report.as_dict(), status=status)
