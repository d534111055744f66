"""Every mentors route under the isolation walker (owner, stranger → 404, anonymous)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from preceptor.accounts.models import User
from preceptor.mentors import services
from preceptor.mentors.models import Achievement
from tests.isolation import route

Setup = tuple[dict[str, Any], list[str]]
MARKER = "Zanzibar Quillfeather"


def _mentor(user: User) -> Any:
    today = services.today_for(user)
    m = services.create_mentor(
        user,
        full_name=MARKER,
        degree="MD",
        specialty="Internal Medicine",
        email="zq@example.edu",
        tags="secret-tag-xyz",
    )
    services.add_period(
        m,
        kind="clinical",
        title="Quillfeather rotation",
        start=today - dt.timedelta(days=60),
        end=today - dt.timedelta(days=30),
    )
    i = services.log_interaction(
        m,
        occurred_on=today - dt.timedelta(days=3),
        summary="Quillfeather summary",
        action_items=["Quillfeather task"],
    )
    services.add_achievement(user, title="Quillfeather award", achieved_on=today)
    return m, i


def _none(user: User) -> Setup:
    _mentor(user)
    return {}, [MARKER, "Quillfeather"]


def _m(user: User) -> Setup:
    m, _ = _mentor(user)
    return {"pk": m.public_id}, [MARKER]


def _api_m(user: User) -> Setup:
    m, _ = _mentor(user)
    return {"mentor_id": m.public_id}, [MARKER]


def _draft(user: User) -> Setup:
    m, _ = _mentor(user)
    return {"pk": m.public_id, "kind": "update"}, [MARKER]


def _i(user: User) -> Setup:
    _, i = _mentor(user)
    return {"pk": i.public_id}, ["Quillfeather summary"]


def _p(user: User) -> Setup:
    m, _ = _mentor(user)
    return {"pk": m.periods.get().public_id}, ["Quillfeather rotation"]


def _a(user: User) -> Setup:
    m, _ = _mentor(user)
    return {"pk": m.action_items.get().public_id}, ["Quillfeather task"]


def _ach(user: User) -> Setup:
    _mentor(user)
    return {"pk": Achievement.objects.get(user=user).public_id}, ["Quillfeather award"]


route("mentors:list", _none)
route("mentors:add", _none)
route(
    "mentors:add",
    _none,
    method="POST",
    data={"full_name": "Someone New", "role": "attending", "status": "active"},
    owner_status=302,
)
route("mentors:network", _none)
route("mentors:import", _none)
route("mentors:import", _none, method="POST", data={"step": "preview"}, owner_status=400)
route("mentors:export", _none)
route("mentors:achievements", _none)
route(
    "mentors:achievements",
    _none,
    method="POST",
    data={"title": "Another", "kind": "award", "achieved_on": "2020-01-01"},
    owner_status=302,
)
route("mentors:achievement_edit", _ach)
route(
    "mentors:achievement_edit",
    _ach,
    method="POST",
    data={"title": "Renamed", "kind": "award", "achieved_on": "2020-01-01"},
    owner_status=302,
)
route("mentors:achievement_delete", _ach, method="POST", owner_status=302)
route("mentors:detail", _m)
route("mentors:edit", _m)
route(
    "mentors:edit",
    _m,
    method="POST",
    data={"full_name": MARKER, "role": "attending", "status": "active"},
    owner_status=302,
)
route("mentors:delete", _m)
route("mentors:delete", _m, method="POST", owner_status=302)
route("mentors:log", _m)
route(
    "mentors:log",
    _m,
    method="POST",
    data={"log-occurred_on": "2020-01-01", "log-kind": "email", "log-initiated_by": "me"},
    owner_status=302,
)
route("mentors:period_add", _m)
route(
    "mentors:period_add",
    _m,
    method="POST",
    data={"kind": "research", "start": "2020-01-01"},
    owner_status=302,
)
route(
    "mentors:action_add", _m, method="POST", data={"action-text": "Read a paper"}, owner_status=302
)
route("mentors:snooze", _m, method="POST", data={"clear": "on"}, owner_status=302)
route("mentors:draft", _draft)
route("mentors:interaction_edit", _i)
route(
    "mentors:interaction_edit",
    _i,
    method="POST",
    data={"occurred_on": "2020-01-01", "kind": "call", "initiated_by": "mentor"},
    owner_status=302,
)
route("mentors:interaction_delete", _i, method="POST", owner_status=302)
route("mentors:period_edit", _p)
route(
    "mentors:period_edit",
    _p,
    method="POST",
    data={"kind": "research", "start": "2020-01-01"},
    owner_status=302,
)
route("mentors:period_delete", _p, method="POST", owner_status=302)
route("mentors:action_update", _a, method="POST", data={"op": "done"}, owner_status=302)

route("api:mentors_list", _none, api=True)
route(
    "api:mentors_create",
    _none,
    api=True,
    method="POST",
    data={"full_name": "Api Person"},
    owner_status=201,
)
route("api:mentors_readiness", _none, api=True)
route("api:mentors_detail", _api_m, api=True)
route(
    "api:mentors_log_interaction",
    _api_m,
    api=True,
    method="POST",
    data={"occurred_on": "2020-01-01", "summary": "api"},
    owner_status=201,
)
