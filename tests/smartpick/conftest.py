from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from preceptor.accounts.models import User
from preceptor.smartpick import services
from preceptor.smartpick.importer import public_data_dir
from preceptor.smartpick.models import ApplicantProfile

# ../shared/data beside the repository (or beside the main checkout, for a worktree).
SHARED = public_data_dir() or Path(__file__).resolve().parents[2].parent / "shared" / "data"

# A complete, valid profile form (as a browser would post it).
FORM = {
    "applicant_type": "md",
    "target_specialty": "Internal Medicine",
    "backup_specialty": "",
    "step2_score": "248",
    "comlex2_score": "",
    "step1": "passed",
    "extra_attempts": "0",
    "research_items": "3",
    "usce_months": "0",
    "home_state": "NY",
    "school_state": "NY",
    "tie_states_text": "NJ",
    "preferred_states_text": "",
    "max_distance_miles": "",
    "program_size": "any",
    "program_setting": "any",
    "partner_specialty": "",
    "partner_constraint": "",
    "budget_mode": "applications",
    "budget_applications": "30",
    "budget_dollars": "",
    "signals_gold": "3",
    "signals_silver": "7",
}


def make_profile(user: User, **overrides: Any) -> ApplicantProfile:
    data: dict[str, Any] = {
        "applicant_type": "md",
        "step2_score": 248,
        "home_state": "NY",
        "school_state": "NY",
        "target_specialty": "Internal Medicine",
        "budget_applications": 30,
        "signals_gold": 3,
        "signals_silver": 7,
        **overrides,
    }
    return services.save_profile(user, **data)


@pytest.fixture
def alice_profile(alice: User) -> ApplicantProfile:
    return make_profile(alice)
