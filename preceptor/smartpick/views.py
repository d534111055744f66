from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from preceptor.lib import text as words

from . import catalogue, figures, services
from .chart import curve_svg
from .export import recommendation_csv
from .forms import BudgetForm, FilterForm, ProfileForm, WishForm
from .interview import PARAMS
from .models import ApplicantProfile, SimulationRun
from .recommend import WISHES, Recommendation
from .store import ProfileStore, store_for

# Every view works for a signed-in user (the profile in their account) and for a visitor
# without an account (the profile in their session): ``store_for`` gives either store.
EXPIRED = (
    "Your session expired, so the profile you built without an account is no longer "
    "here (if you saved your list, log in to see it)."
)


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


def _context(
    request: HttpRequest, store: ProfileStore, profile: ApplicantProfile, **extra: Any
) -> dict:
    rec = services.recommendation_for(profile)
    # The budget form posts the filters with it (hx-include), so they survive an update.
    filters = FilterForm(request.GET or (request.POST if request.method == "POST" else None))
    run = store.latest_run()
    return {
        "visitor": store.is_visitor,
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
        "kind_label": dict(figures.APPLICANT_TYPES).get(profile.applicant_type, ""),
        "typical_cost": figures.eras_cost(rec.typical_applications),
        **extra,
    }


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _htmx_target(request: HttpRequest) -> str | None:
    details = getattr(request, "htmx", None)
    return details.target if details else None


def _intro(request: HttpRequest, store: ProfileStore) -> HttpResponse:
    """What someone without a SmartPick profile sees instead of a list."""
    if store.expired():
        messages.warning(request, EXPIRED)
        store.keep()  # a new session, so that the notice shows once
    return render(
        request,
        "smartpick/intro.html",
        {"synthetic": services.catalogue_is_synthetic(), "visitor": store.is_visitor},
    )


def _expired(request: HttpRequest, store: ProfileStore, **kept: Any) -> HttpResponse:
    """A change that needs the profile, after the visitor's session ended: say so, keep
    what the request carried for the profile form, and go there."""
    expired = store.expired()
    store.keep(**kept)
    if expired:
        text = EXPIRED
        if "budget_applications" in kept:
            n = kept["budget_applications"]
            text += f" We kept the budget you entered ({n} application{'s' if n != 1 else ''})."
        messages.warning(request, text + " Fill in your profile again to get your list back.")
    else:
        messages.info(request, "Fill in your profile first.")
    if _is_htmx(request):
        return HttpResponseClientRedirect(reverse("smartpick:profile"))
    return redirect("smartpick:profile")


@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    store = store_for(request)
    profile = store.get()
    if profile is None:
        return _intro(request, store)
    ctx = _context(request, store, profile)
    if _htmx_target(request) == "sp-results":
        return render(request, "smartpick/home.html#results", ctx)
    return render(request, "smartpick/home.html", ctx)


@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    store = store_for(request)
    current = store.get()
    specialties = services.catalogue_specialties()
    initial: dict[str, Any] = {}
    if current is None:
        spec = getattr(getattr(request.user, "profile", None), "specialty_of_interest", "")
        fig = figures.specialty(spec or "")
        initial = {
            "target_specialty": spec if spec in specialties else "",
            "budget_applications": 30,
            "signals_gold": fig.signals_gold if fig else 0,
            "signals_silver": fig.signals_silver if fig else 0,
            **store.kept(),
        }
    form = ProfileForm(
        request.POST or None,
        instance=current,
        specialties=specialties,
        program_codes=services.catalogue_codes() if request.method == "POST" else None,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        expired = store.expired()
        store.save(**form.profile_data())
        if expired:
            messages.warning(
                request, "Your session had expired; your list is back from what you entered."
            )
        messages.success(request, "Profile saved. Here is your list.")
        return redirect("smartpick:home")
    return render(
        request,
        "smartpick/profile.html",
        {
            "form": form,
            "specialties": specialties,
            "fee_source": figures.ERAS_FEE_SOURCE,
            "visitor": store.is_visitor,
        },
        status=400 if form.errors else 200,
    )


@require_POST
def budget(request: HttpRequest) -> HttpResponse:
    store = store_for(request)
    profile = store.get()
    form = BudgetForm(request.POST)
    if profile is None:
        kept = {"budget_applications": form.cleaned_data["applications"]} if form.is_valid() else {}
        return _expired(request, store, **kept)
    if not form.is_valid():
        ctx = _context(request, store, profile, budget_form=form)
        if _is_htmx(request):
            # htmx swaps only 2xx responses; the fragment carries the error message.
            return render(request, "smartpick/home.html#results", ctx)
        return render(request, "smartpick/home.html", ctx, status=400)
    profile = store.set_budget(form.cleaned_data["applications"])
    if _is_htmx(request):
        return render(request, "smartpick/home.html#results", _context(request, store, profile))
    messages.success(request, f"Budget set to {words.count(profile.applications, 'application')}.")
    return redirect("smartpick:home")


@require_POST
def wish(request: HttpRequest) -> HttpResponse:
    """Mark how much the applicant wants one program (a form on each card of the list)."""
    store = store_for(request)
    if store.get() is None:
        return redirect("smartpick:profile")
    form = WishForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("smartpick:home")
    code, level = form.cleaned_data["code"], form.cleaned_data["level"]
    try:
        store.set_wish(code, level)
    except services.UnknownProgram as e:
        messages.error(request, f"{e} Your preferences were not changed.")
        return redirect("smartpick:home")
    messages.success(
        request, f"Saved: {WISHES[level][0].lower()} for program {code}. The list is updated."
    )
    return redirect(f"{reverse('smartpick:home')}#program-{code}")


@require_http_methods(["GET"])
def by_state(request: HttpRequest) -> HttpResponse:
    store = store_for(request)
    profile = store.get()
    if profile is None:
        return _intro(request, store)
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


@require_http_methods(["GET"])
def export(request: HttpRequest) -> HttpResponse:
    store = store_for(request)
    profile = store.get()
    if profile is None:
        return _intro(request, store)
    rec = services.recommendation_for(profile)
    response = HttpResponse(recommendation_csv(rec), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="smartpick-list.csv"'
    return response


@require_POST
def simulate(request: HttpRequest) -> HttpResponse:
    store = store_for(request)
    if store.get() is None:
        return _expired(request, store)
    try:
        run = store.start_simulation()
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


@require_http_methods(["GET"])
def run_status(request: HttpRequest, run_id: str) -> HttpResponse:
    store = store_for(request)
    run = store.run(run_id)
    current = True
    if run.status == SimulationRun.Status.DONE:
        # The list may have changed while it ran (a new budget, a new profile).
        profile = store.get()
        current = profile is not None and _run_is_current(run, services.recommendation_for(profile))
    return render(request, "smartpick/_run.html", {"run": run, "run_current": current})


@require_http_methods(["GET"])
def calibration(request: HttpRequest) -> HttpResponse:
    """Public page "How good are these numbers?": the stored calibration report, the
    model's parameters with the figure behind each, and the known limits."""
    from .calibration_page import page_context

    return render(request, "smartpick/calibration.html", page_context())


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "none"


@require_http_methods(["GET"])
def about(request: HttpRequest) -> HttpResponse:
    """About these programs: the catalogue's vintage, coverage and sources (public)."""
    cat = services.load_catalogue()
    provs = cat.provenance.tolist()
    total, per = catalogue.coverage(cat.specialty.tolist(), provs)
    years: dict[int, int] = defaultdict(int)
    for p in provs:
        if p.positions_year and p.positions_basis != catalogue.POSITIONS_SYNTHETIC:
            years[p.positions_year] += 1
    estimated = sum(p.positions_basis == catalogue.POSITIONS_ESTIMATED for p in provs)
    sources = services.catalogue_sources()
    rows = [
        {
            "c": c,
            "known": _share(c.positions_known, c.programs),
            "city": _share(c.placed_by_city, c.programs),
        }
        for c in per
    ]
    nrmp = [
        {
            "year": year,
            "programs": n_programs,
            "positions": n_positions,
            "programs_share": _share(total.programs, n_programs),
            "positions_share": _share(total.positions, n_positions),
        }
        for year, (n_programs, n_positions) in sorted(catalogue.NRMP_TOTALS.items())
    ]
    return render(
        request,
        "smartpick/about.html",
        {
            "total": total,
            "known_share": _share(total.positions_known, total.programs),
            "city_share": _share(total.placed_by_city, total.programs),
            "estimated": estimated,
            "estimated_positions": sum(
                p.positions for p in provs if p.positions_basis == catalogue.POSITIONS_ESTIMATED
            ),
            "years": sorted(years.items(), reverse=True),
            "nrmp": nrmp,
            "per": rows,
            "shipped": any(s.startswith(catalogue.SHIPPED_PREFIX) for s in sources),
            "synthetic": bool(cat.synthetic.any()),
            "sources": sources,
            "files": catalogue.CATALOGUE_SOURCES,
            "positions_bases": catalogue.POSITIONS_BASES,
            "location_bases": catalogue.LOCATION_BASES,
        },
    )
