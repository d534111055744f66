"""The dashboard's getting-started checklist.

Apps add their steps with :func:`register`; a step is done when its check says so, so the
checklist never drifts from what the user actually has. A step done once the user has any
row of some kind names the model and the path from it to the user (``done_when_any``), and
the checklist asks about all such steps in one query, an ``EXISTS`` each: the dashboard
shows the checklist on every visit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Exists, OuterRef

from preceptor.accounts.models import User


@dataclass(frozen=True)
class Step:
    """``is_done(user)``, or ``done_when_any``: (model, path to the user) of the rows any of
    which makes the step done, e.g. ``("letters.LetterRequest", "application__user")``."""

    key: str
    label: str
    url_name: str
    is_done: Callable[[User], bool] | None = None
    order: int = 100
    done_when_any: tuple[str, str] | None = None

    def __post_init__(self) -> None:
        if (self.is_done is None) == (self.done_when_any is None):
            raise ValueError(f"checklist step {self.key!r}: give is_done or done_when_any")


_STEPS: dict[str, Step] = {}


def register(step: Step) -> None:
    _STEPS[step.key] = step


def steps_for(user: User) -> list[tuple[Step, bool]]:
    steps = sorted(_STEPS.values(), key=lambda s: s.order)
    exists = {f"done_{s.key}": _any_of(*s.done_when_any) for s in steps if s.done_when_any}
    found: dict[str, Any] = (
        dict(User.objects.filter(pk=user.pk).values(**exists).get()) if exists else {}
    )
    return [
        (s, bool(found[f"done_{s.key}"]) if s.is_done is None else s.is_done(user)) for s in steps
    ]


def _any_of(model: str, to_user: str) -> Exists:
    rows = apps.get_model(model)._default_manager.filter(**{to_user: OuterRef("pk")})
    return Exists(rows)


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
