"""SmartPick as JSON: the profile's list, the curve, simulations."""

from __future__ import annotations

from uuid import UUID

from ninja import Router, Schema, Status
from ninja.errors import HttpError

from preceptor.lib.http import AuthenticatedRequest

from . import services
from .forms import BudgetForm
from .models import SimulationRun

router = Router(tags=["programs"])


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
    basis: str = (
        "Estimates from SmartPick's interview and match models fitted to published NRMP "
        "figures; ranges move every interview log-odds by 0.5."
    )


class BudgetIn(Schema):
    applications: int


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


def _recommendation(request: AuthenticatedRequest) -> RecommendationOut:
    profile = services.get_profile(request.user)
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
            )
            for r in rec.rows
        ],
    )


@router.get("/recommendation", response=RecommendationOut, url_name="smartpick_recommendation")
def recommendation(request: AuthenticatedRequest) -> RecommendationOut:
    return _recommendation(request)


@router.put("/budget", response=RecommendationOut, url_name="smartpick_budget")
def set_budget(request: AuthenticatedRequest, payload: BudgetIn) -> RecommendationOut:
    if services.get_profile(request.user) is None:
        return _empty()  # nothing to change yet; the note says what to do
    form = BudgetForm({"applications": payload.applications})
    if not form.is_valid():
        raise HttpError(422, " ".join(str(e) for e in form.errors["applications"]))
    services.set_budget(request.user, form.cleaned_data["applications"])
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


@router.post(
    "/simulations",
    response={201: RunOut, 200: Message, 429: Message},
    url_name="smartpick_simulate",
)
def start_simulation(request: AuthenticatedRequest) -> Status[RunOut] | Status[Message]:
    if services.get_profile(request.user) is None:
        return Status(200, Message(detail=NO_PROFILE))
    try:
        return Status(201, _run_out(services.start_simulation(request.user)))
    except services.NothingToSimulate as e:
        return Status(200, Message(detail=str(e)))
    except services.SimulationLimit as e:
        return Status(429, Message(detail=str(e)))


@router.get("/simulations/{run_id}", response=RunOut, url_name="smartpick_run")
def simulation(request: AuthenticatedRequest, run_id: UUID) -> RunOut:
    return _run_out(services.get_run_for_user(request.user, run_id))
