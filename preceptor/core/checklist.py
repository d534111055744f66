"""The dashboard's getting-started checklist.

Apps add their steps with :func:`register`; a step is done when its check says so, so the
checklist never drifts from what the user actually has.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from preceptor.accounts.models import User


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    url_name: str
    is_done: Callable[[User], bool]
    order: int = 100


_STEPS: dict[str, Step] = {}


def register(step: Step) -> None:
    _STEPS[step.key] = step


def steps_for(user: User) -> list[tuple[Step, bool]]:
    return [(s, s.is_done(user)) for s in sorted(_STEPS.values(), key=lambda s: s.order)]


def _profile_complete(user: User) -> bool:
    from preceptor.accounts.services import get_profile

    return get_profile(user).completeness()[0] == 100


def _time_zone_set(user: User) -> bool:
    from preceptor.accounts.services import get_profile

    return get_profile(user).time_zone_set


register(Step("profile", "Complete your profile", "accounts:profile", _profile_complete, 10))
register(
    Step(
        "time_zone",
        "Set your time zone so reminders arrive on the right day",
        "accounts:profile",
        _time_zone_set,
        20,
    )
)
