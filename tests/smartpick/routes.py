from __future__ import annotations

from typing import Any

from preceptor.accounts.models import User
from preceptor.smartpick import panels, services
from tests.isolation import public, route


def _profile(user: User) -> tuple[dict[str, Any], list[str]]:
    panels.seed_demo(user)
    services.save_profile(user, target_specialty="Pediatrics", home_state="VT")
    return {}, ["Pediatrics"]


def _form(user: User) -> tuple[dict[str, Any], list[str]]:
    _profile(user)
    return {}, ['value="VT" selected']


def _run(user: User) -> tuple[dict[str, Any], list[str]]:
    _profile(user)
    run = services.start_simulation(user)
    return {"run_id": run.public_id}, [str(run.public_id)]


# About these programs: public, holds nothing of anyone's (test_pages tests it).
public("smartpick:about")
# How good are these numbers: public, the stored calibration report (test_trust tests it).
public("smartpick:calibration")
route("smartpick:home", _profile, anonymous_status=200)
route("smartpick:profile", _form, anonymous_status=200)
route(
    "smartpick:budget",
    _profile,
    method="POST",
    data={"applications": 12},
    owner_status=302,
    anonymous_status=302,
)
# A code no catalogue has: the owner is told so (302 back to the list); a visitor or a
# stranger has no profile and is sent to make one. Marking a real program:
# test_preferences.py.
route(
    "smartpick:wish",
    _profile,
    method="POST",
    data={"code": "0000000C0", "level": "dream"},
    owner_status=302,
    anonymous_status=302,
)
route("smartpick:states", _profile, anonymous_status=200)
route("smartpick:export", _profile, anonymous_status=200)
route("smartpick:simulate", _profile, method="POST", owner_status=302, anonymous_status=302)
route("smartpick:run", _run, anonymous_status=404)
route("api:smartpick_recommendation", _profile, api=True, anonymous_status=200)
route(
    "api:smartpick_budget",
    _profile,
    api=True,
    method="PUT",
    data={"applications": 12},
    anonymous_status=200,
)
route(
    "api:smartpick_simulate",
    _profile,
    api=True,
    method="POST",
    owner_status=201,
    anonymous_status=200,
)
route("api:smartpick_run", _run, api=True, anonymous_status=404)
