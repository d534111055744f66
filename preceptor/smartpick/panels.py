"""SmartPick's dashboard panel, checklist step and demo data."""

from __future__ import annotations

from typing import Any

from preceptor.accounts.models import User
from preceptor.lib import memo

from . import services
from .models import ApplicantProfile


def _profile(user: User) -> ApplicantProfile | None:
    """The user's profile, read once for the dashboard's checklist and panel."""
    return memo.once(("smartpick_profile", user.pk), lambda: services.get_profile(user))


def has_profile(user: User) -> bool:
    return _profile(user) is not None


def panel_context(user: User) -> dict[str, Any]:
    profile = _profile(user)
    if profile is None:
        return {"smartpick": None}
    rec = services.recommendation_for(profile)
    return {"smartpick": {"profile": profile, "rec": rec}}


def seed_demo(user: User) -> None:
    """The demo applicant: a US MD senior in internal medicine from New York."""
    services.ensure_catalogue()
    services.save_profile(
        user,
        applicant_type="md",
        step2_score=248,
        step1="passed",
        research_items=4,
        honors=False,
        home_state="NY",
        school_state="NY",
        tie_states=["NJ"],
        preferred_states=[],
        preferred_regions=["Northeast", "Midwest"],
        target_specialty="Internal Medicine",
        backup_specialty="",
        budget_mode="applications",
        budget_applications=40,
        signals_gold=3,
        signals_silver=7,
    )
