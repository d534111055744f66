"""A kept recommendation is shared by every user whose request is the same: each caller
gets a copy, so what one page does to its rows and notes never reaches another user's."""

from __future__ import annotations

import copy

import pytest

from preceptor.accounts.models import User
from preceptor.smartpick import services
from tests.smartpick.conftest import make_profile

pytestmark = pytest.mark.django_db


def test_changing_one_users_recommendation_leaves_anothers_as_computed(
    alice: User, bob: User
) -> None:
    alice_rec = services.recommendation_for(make_profile(alice))
    # The same request: bob's comes from what alice's call kept. A snapshot of it as it was:
    as_computed = copy.deepcopy(services.recommendation_for(make_profile(bob)))
    assert as_computed == alice_rec

    alice_rec.rows[0].reasons.append("only for alice")
    alice_rec.rows[0].p_interview = -1.0
    alice_rec.rows.pop()
    alice_rec.notes.append("only for alice")
    alice_rec.curve.append(-1.0)
    alice_rec.by_wish.append(("only for alice", -1.0))
    alice_rec.stale_wishes.append("only for alice")
    alice_rec.p_match = -1.0

    bob_rec = services.recommendation_for(make_profile(bob))
    assert bob_rec == as_computed
    # And changing bob's copy does not change the next caller's either.
    bob_rec.rows.clear()
    assert services.recommendation_for(make_profile(alice)) == as_computed
