"""SmartPick as JSON: the profile's list, the curve, simulations.

Open to visitors without an account too (their profile is the one in their session, as
on the pages), throttled per address for them (``SMARTPICK_VISITOR_API_RATE``)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.security.apikey import APIKeyCookie
from ninja.throttling import SimpleRateThrottle
from pydantic import StrictInt

from preceptor.api.base import Input, responses

from . import services
from .forms import BudgetForm
from .models import SimulationRun
from .store import client_address, keyed_hash, store_for

VISITOR_API_RATE = "60/min"


class SessionOrVisitor(APIKeyCookie):
    """The browser session, signed in or not (with the CSRF check for changes): a
    visitor's profile is the one in their session."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return store_for(request)


class VisitorThrottle(SimpleRateThrottle):
    """Visitors' requests per address (signed-in users are not limited here)."""

    scope = "smartpick_visitor"

    def __init__(self) -> None:
        super().__init__(rate=VISITOR_API_RATE)

    def allow_request(self, request: HttpRequest) -> bool:
        rate = getattr(settings, "SMARTPICK_VISITOR_API_RATE", VISITOR_API_RATE)
        self.num_requests, self.duration = self.parse_rate(rate)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        if request.user.is_authenticated:
            return None
        return self.cache_format % {
            "scope": self.scope,
            "ident": keyed_hash(client_address(request)),
        }


router = Router(tags=["programs"], auth=SessionOrVisitor(), throttle=VisitorThrottle())


class ProvenanceOut(Schema):
    """Where the program's figures come from, and for which year."""

    positions: int
    positions_year: int | None
    positions_basis: str
    positions_note: str
    positions_source: str
    location_basis: str
    location_note: str
    location_source: str
    history_note: str


class ProgramOut(Schema):
    order: int
    nrmp_code: str
    program: str
    institution: str
    city: str
    state: str
    specialty: str
    tier: str
    signal: str
    p_interview: float
    p_interview_low: float
    p_interview_high: float
    p_match_here: float
    reasons: list[str]
    synthetic: bool
    wish: str = "fine"
    adds_little: bool = False
    provenance: ProvenanceOut | None = None


class RecommendationOut(Schema):
    p_match: float
    p_match_low: float
    p_match_high: float
    budget: int
    eras_cost: int
    expected_interviews: float
    diminishing_returns: int
    curve: list[float]
    synthetic_catalogue: bool
    notes: list[str]
    programs: list[ProgramOut]
    floor: float = 0.9
    floor_met: bool = False
    recommended_size: int = 0
    recommended_eras_cost: int = 0
    typical_applications: int = 0
    typical_source: str = ""
    fee_saving: int = 0
    basis: str = (
        "Estimates from SmartPick's interview and match models fitted to published NRMP "
        "figures; ranges move every interview log-odds by 0.5."
    )


class BudgetIn(Input):
    applications: StrictInt


class RunOut(Schema):
    id: UUID
    status: str
    progress: int
    result: dict
    error: str


NO_PROFILE = "Fill in your SmartPick profile first (/programs/profile/)."


def _empty() -> RecommendationOut:
    return RecommendationOut(
        p_match=0.0,
        p_match_low=0.0,
        p_match_high=0.0,
        budget=0,
        eras_cost=0,
        expected_interviews=0.0,
        diminishing_returns=0,
        curve=[0.0],
        synthetic_catalogue=services.catalogue_is_synthetic(),
        notes=[NO_PROFILE],
        programs=[],
    )


def _recommendation(request: HttpRequest) -> RecommendationOut:
    profile = store_for(request).get()
    if profile is None:
        return _empty()
    rec = services.recommendation_for(profile)
    return RecommendationOut(
        p_match=rec.p_match,
        p_match_low=rec.p_match_low,
        p_match_high=rec.p_match_high,
        budget=rec.budget,
        eras_cost=rec.cost,
        expected_interviews=rec.expected_interviews,
        diminishing_returns=rec.diminishing_returns,
        curve=rec.curve,
        synthetic_catalogue=rec.synthetic,
        notes=rec.notes,
        floor=rec.floor,
        floor_met=rec.floor_met,
        recommended_size=rec.recommended_size,
        recommended_eras_cost=rec.recommended_cost,
        typical_applications=rec.typical_applications,
        typical_source=rec.typical_source,
        fee_saving=rec.fee_saving,
        programs=[
            ProgramOut(
                order=r.order,
                nrmp_code=r.code,
                program=r.name,
                institution=r.institution,
                city=r.city,
                state=r.state,
                specialty=r.specialty,
                tier=r.tier,
                signal=r.signal,
                p_interview=r.p_interview,
                p_interview_low=r.p_interview_low,
                p_interview_high=r.p_interview_high,
                p_match_here=r.p_match_here,
                reasons=r.reasons,
                synthetic=r.synthetic,
                wish=r.wish,
                adds_little=r.adds_little,
                provenance=ProvenanceOut.model_validate(r.provenance.as_dict())
                if r.provenance
                else None,
            )
            for r in rec.rows
        ],
    )


@router.get(
    "/recommendation",
    response=responses({200: RecommendationOut}, 429),
    url_name="smartpick_recommendation",
)
def recommendation(request: HttpRequest) -> RecommendationOut:
    return _recommendation(request)


@router.put(
    "/budget",
    response=responses({200: RecommendationOut}, 422, 429, change=True),
    url_name="smartpick_budget",
)
def set_budget(request: HttpRequest, payload: BudgetIn) -> RecommendationOut:
    store = store_for(request)
    if store.get() is None:
        return _empty()  # nothing to change yet; the note says what to do
    form = BudgetForm({"applications": payload.applications})
    if not form.is_valid():
        raise HttpError(422, " ".join(str(e) for e in form.errors["applications"]))
    store.set_budget(form.cleaned_data["applications"])
    return _recommendation(request)


def _run_out(run: SimulationRun) -> RunOut:
    return RunOut(
        id=run.public_id,
        status=run.status,
        progress=run.progress,
        result=run.result,
        error=run.error,
    )


class Message(Schema):
    detail: str


# 429: the limit on queued and running simulations (per user, per visitor and address).
@router.post(
    "/simulations",
    response=responses({201: RunOut, 200: Message}, 429, change=True),
    url_name="smartpick_simulate",
)
def start_simulation(request: HttpRequest) -> Status[RunOut] | Status[Message]:
    store = store_for(request)
    if store.get() is None:
        return Status(200, Message(detail=NO_PROFILE))
    try:
        return Status(201, _run_out(store.start_simulation()))
    except services.NothingToSimulate as e:
        return Status(200, Message(detail=str(e)))
    except services.SimulationLimit as e:
        raise HttpError(429, str(e)) from e


@router.get(
    "/simulations/{run_id}",
    response=responses({200: RunOut}, 404, 422, 429),
    url_name="smartpick_run",
)
def simulation(request: HttpRequest, run_id: UUID) -> RunOut:
    return _run_out(store_for(request).run(run_id))
