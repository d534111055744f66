from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_POST

from preceptor.lib.http import AuthenticatedRequest

from . import figures, services
from .chart import curve_svg
from .export import recommendation_csv
from .forms import BudgetForm, FilterForm, ProfileForm
from .interview import PARAMS
from .models import ApplicantProfile, SimulationRun
from .recommend import Recommendation


def _filtered(rec: Recommendation, f: FilterForm) -> list[Any]:
    rows = rec.rows
    if not f.is_valid():
        return rows
    d = f.cleaned_data
    if d["tier"]:
        rows = [r for r in rows if r.tier == d["tier"]]
    if d["state"]:
        rows = [r for r in rows if r.state == d["state"]]
    if d["signal"] == "yes":
        rows = [r for r in rows if r.signal]
    elif d["signal"] == "no":
        rows = [r for r in rows if not r.signal]
    if d["q"]:
        q = d["q"].lower()
        rows = [r for r in rows if q in f"{r.name} {r.institution} {r.city}".lower()]
    return rows


def _run_is_current(run: SimulationRun | None, rec: Recommendation) -> bool:
    """Whether a simulation was run for the list shown now (same programs, signals and
    estimate)."""
    if run is None:
        return True
    # The quick estimate moves with everything else the simulation uses (score, type,
    # states...), so a new estimate for the same programs also makes the run stale.
    return (
        run.inputs.get("codes") == [r.code for r in rec.rows]
        and run.inputs.get("signals") == [r.signal for r in rec.rows]
        and run.inputs.get("analytic") == rec.p_match
    )


def _context(request: AuthenticatedRequest, profile: ApplicantProfile, **extra: Any) -> dict:
    rec = services.recommendation_for(profile)
    # The budget form posts the filters with it (hx-include), so they survive an update.
    filters = FilterForm(request.GET or (request.POST if request.method == "POST" else None))
    run = services.latest_run(request.user)
    return {
        "profile": profile,
        "rec": rec,
        "rows": _filtered(rec, filters),
        "filters": filters,
        "budget_form": extra.pop("budget_form", None)
        or BudgetForm(initial={"applications": rec.budget}),
        # No curve without a program to put on it (preferences that fit no program).
        "curve": curve_svg(
            rec.curve,
            budget=rec.budget,
            knee=rec.diminishing_returns,
            low=rec.p_match_low,
            high=rec.p_match_high,
        )
        if rec.rows
        else None,
        "run": run,
        "run_current": _run_is_current(run, rec),
        "fee_source": figures.ERAS_FEE_SOURCE,
        "comlex_converted": profile.step2_score is None and profile.comlex2_score is not None,
        "tiers": {
            t: sum(1 for r in rec.rows if r.tier == t) for t in ("likely", "target", "reach")
        },
        "shock_sd": PARAMS.shock_sd,
        **extra,
    }


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _htmx_target(request: HttpRequest) -> str | None:
    details = getattr(request, "htmx", None)
    return details.target if details else None


def _intro(request: AuthenticatedRequest) -> HttpResponse:
    """What someone without a SmartPick profile sees instead of a list."""
    return render(request, "smartpick/intro.html", {"synthetic": services.catalogue_is_synthetic()})


@login_required
@require_http_methods(["GET"])
def home(request: AuthenticatedRequest) -> HttpResponse:
    profile = services.get_profile(request.user)
    if profile is None:
        return _intro(request)
    ctx = _context(request, profile)
    if _htmx_target(request) == "sp-results":
        return render(request, "smartpick/home.html#results", ctx)
    return render(request, "smartpick/home.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: AuthenticatedRequest) -> HttpResponse:
    current = services.get_profile(request.user)
    specialties = services.catalogue_specialties()
    initial = {}
    if current is None:
        spec = (
            request.user.profile.specialty_of_interest if hasattr(request.user, "profile") else ""
        )
        fig = figures.specialty(spec or "")
        initial = {
            "target_specialty": spec if spec in specialties else "",
            "budget_applications": 30,
            "signals_gold": fig.signals_gold if fig else 0,
            "signals_silver": fig.signals_silver if fig else 0,
        }
    form = ProfileForm(
        request.POST or None, instance=current, specialties=specialties, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        services.save_profile(request.user, **form.profile_data())
        messages.success(request, "Profile saved. Here is your list.")
        return redirect("smartpick:home")
    return render(
        request,
        "smartpick/profile.html",
        {"form": form, "specialties": specialties, "fee_source": figures.ERAS_FEE_SOURCE},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def budget(request: AuthenticatedRequest) -> HttpResponse:
    profile = services.get_profile(request.user)
    if profile is None:
        return redirect("smartpick:profile")
    form = BudgetForm(request.POST)
    if not form.is_valid():
        ctx = _context(request, profile, budget_form=form)
        if _is_htmx(request):
            # htmx swaps only 2xx responses; the fragment carries the error message.
            return render(request, "smartpick/home.html#results", ctx)
        return render(request, "smartpick/home.html", ctx, status=400)
    profile = services.set_budget(request.user, form.cleaned_data["applications"])
    if _is_htmx(request):
        return render(request, "smartpick/home.html#results", _context(request, profile))
    messages.success(request, f"Budget set to {profile.applications} applications.")
    return redirect("smartpick:home")


@login_required
@require_http_methods(["GET"])
def by_state(request: AuthenticatedRequest) -> HttpResponse:
    profile = services.get_profile(request.user)
    if profile is None:
        return _intro(request)
    rec = services.recommendation_for(profile)
    groups: dict[str, list[Any]] = defaultdict(list)
    for r in rec.rows:
        groups[r.state].append(r)
    names = {s[0]: s[1] for s in figures.STATES}
    states = [
        {
            "code": st,
            "name": names.get(st, st),
            "rows": rows,
            "interviews": sum(r.p_interview for r in rows),
            "signals": sum(1 for r in rows if r.signal),
        }
        for st, rows in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ]
    return render(request, "smartpick/states.html", {"rec": rec, "states": states})


@login_required
@require_http_methods(["GET"])
def export(request: AuthenticatedRequest) -> HttpResponse:
    profile = services.get_profile(request.user)
    if profile is None:
        return _intro(request)
    rec = services.recommendation_for(profile)
    response = HttpResponse(recommendation_csv(rec), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="smartpick-list.csv"'
    return response


@login_required
@require_POST
def simulate(request: AuthenticatedRequest) -> HttpResponse:
    profile = services.get_profile(request.user)
    if profile is None:
        return _intro(request)
    try:
        run = services.start_simulation(request.user)
    except (services.NothingToSimulate, services.SimulationLimit) as e:
        if _is_htmx(request):
            # The fragment goes into the simulation's slot (a redirect would put a whole
            # page there).
            return HttpResponse(format_html('<p class="sp-error" role="alert">{}</p>', e))
        messages.error(request, str(e))
        return redirect("smartpick:home")
    if _is_htmx(request):
        return render(request, "smartpick/_run.html", {"run": run, "run_current": True})
    if run.status != SimulationRun.Status.FAILED:
        messages.info(request, "The simulation has started; its progress shows below.")
    return redirect("smartpick:home")


@login_required
@require_http_methods(["GET"])
def run_status(request: AuthenticatedRequest, run_id: str) -> HttpResponse:
    run = services.get_run_for_user(request.user, run_id)
    current = True
    if run.status == SimulationRun.Status.DONE:
        # The list may have changed while it ran (a new budget, a new profile).
        profile = services.get_profile(request.user)
        current = profile is not None and _run_is_current(run, services.recommendation_for(profile))
    return render(request, "smartpick/_run.html", {"run": run, "run_current": current})
