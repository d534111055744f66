from __future__ import annotations

from typing import Annotated

from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import Router, Schema

from preceptor.accounts import services
from preceptor.accounts.models import Profile
from preceptor.api.base import Input, responses, unprocessable
from preceptor.api.fields import Rules
from preceptor.lib.http import AuthenticatedRequest

router = Router(tags=["account"])


class ProfileOut(Schema):
    email: str
    full_name: str
    stage: str
    school: str
    graduation_year: int | None
    target_cycle: int | None
    specialty_of_interest: str
    time_zone: str
    completeness: int


class ProfilePatch(Input):
    """Leave a field out to keep it; null is allowed only for the two years."""

    full_name: Annotated[str | None, Rules(Profile, "full_name")] = None
    stage: Annotated[str | None, Rules(Profile, "stage")] = None
    school: Annotated[str | None, Rules(Profile, "school")] = None
    graduation_year: Annotated[int | None, Rules(Profile, "graduation_year")] = None
    target_cycle: Annotated[int | None, Rules(Profile, "target_cycle")] = None
    specialty_of_interest: Annotated[str | None, Rules(Profile, "specialty_of_interest")] = None
    time_zone: Annotated[str | None, Rules(Profile, "time_zone")] = None


def _out(profile: Profile) -> ProfileOut:
    return ProfileOut(
        email=profile.user.email,
        full_name=profile.full_name,
        stage=profile.stage,
        school=profile.school,
        graduation_year=profile.graduation_year,
        target_cycle=profile.target_cycle,
        specialty_of_interest=profile.specialty_of_interest,
        time_zone=profile.time_zone,
        completeness=profile.completeness()[0],
    )


@router.get("/me", response=responses({200: ProfileOut}), url_name="me")
def me(request: AuthenticatedRequest) -> ProfileOut:
    return _out(services.get_profile(request.user))


@router.patch("/me", response=responses({200: ProfileOut}, 422, change=True), url_name="me_update")
def update_me(request: AuthenticatedRequest, payload: ProfilePatch) -> ProfileOut:
    fields = payload.dict(exclude_unset=True)
    try:
        profile = services.update_profile(request.user, **fields)
    except DjangoValidationError as e:
        raise unprocessable(e) from e
    return _out(profile)
