"""Demo data. Apps add their part with :func:`register`; ``seed`` runs them in order."""

from __future__ import annotations

from collections.abc import Callable

from preceptor.accounts import services as accounts
from preceptor.accounts.models import User

DEMO_EMAIL = "demo@preceptor.test"
DEMO_PASSWORD = "demo-preceptor-2026"

_SEEDERS: list[tuple[int, Callable[[User], None]]] = []


def register(seeder: Callable[[User], None], order: int = 100) -> None:
    _SEEDERS.append((order, seeder))


def seed(*, email: str = DEMO_EMAIL, password: str = DEMO_PASSWORD) -> tuple[User, bool]:
    """Create the demo user, or reset it to the demo state if it exists."""
    user = User.objects.filter(email=email).first()
    created = user is None
    if user is not None:
        # Start from a clean slate so that a rerun gives the same account as a first run.
        accounts.delete_account(user)
    user = accounts.sign_up(email=email, password=password, full_name="Jordan Rivera")
    accounts.update_profile(
        user,
        stage="medical_student",
        school="State University School of Medicine",
        graduation_year=2028,
        target_cycle=2027,
        specialty_of_interest="Internal Medicine",
        time_zone="America/New_York",
    )
    for _, seeder in sorted(_SEEDERS, key=lambda item: item[0]):
        seeder(user)
    return user, created
