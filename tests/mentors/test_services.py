"""Services: every change checked, bad input rejected with nothing saved."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404

from preceptor.accounts.models import User
from preceptor.mentors import services
from preceptor.mentors.models import ActionItem, Interaction, Mentor, SupervisionPeriod

TODAY = dt.date(2026, 3, 2)


def days(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


@pytest.fixture
def ortiz(alice: User) -> Mentor:
    return services.create_mentor(
        alice,
        today=TODAY,
        full_name="  Ana   Ortiz ",
        degree="MD",
        specialty="Internal Medicine",
        email="ana@example.edu",
        tags="Clinical, research, clinical",
    )


def test_create_mentor_normalizes_name_and_tags(ortiz: Mentor) -> None:
    assert ortiz.full_name == "Ana Ortiz"
    assert str(ortiz) == "Dr. Ana Ortiz"
    assert sorted(t.name for t in ortiz.tags.all()) == ["clinical", "research"]


def test_a_mentor_without_a_doctorate_is_shown_by_name(alice: User) -> None:
    m = services.create_mentor(alice, today=TODAY, full_name="Sam Lee", degree="other")
    assert str(m) == "Sam Lee"


def test_duplicates_are_refused(alice: User, ortiz: Mentor) -> None:
    with pytest.raises(ValidationError) as e:
        services.create_mentor(alice, today=TODAY, full_name="ana ortiz")
    assert "already have Dr. Ana Ortiz" in str(e.value)
    with pytest.raises(ValidationError):
        services.create_mentor(
            alice, today=TODAY, full_name="Someone Else", email="ANA@example.edu"
        )
    assert Mentor.objects.filter(user=alice).count() == 1


def test_another_users_mentor_with_the_same_name_is_not_a_duplicate(
    bob: User, ortiz: Mentor
) -> None:
    services.create_mentor(bob, today=TODAY, full_name="Ana Ortiz")


def test_future_dates_are_refused(alice: User, ortiz: Mentor) -> None:
    with pytest.raises(ValidationError) as e:
        services.create_mentor(alice, today=TODAY, full_name="X", met_on=TODAY + dt.timedelta(1))
    assert "future" in str(e.value)
    with pytest.raises(ValidationError):
        services.log_interaction(ortiz, occurred_on=TODAY + dt.timedelta(1), today=TODAY)
    with pytest.raises(ValidationError):
        services.add_period(ortiz, kind="clinical", start=TODAY + dt.timedelta(1), today=TODAY)
    with pytest.raises(ValidationError):
        services.add_achievement(alice, title="t", achieved_on=TODAY + dt.timedelta(1), today=TODAY)
    assert not Interaction.objects.exists() and not SupervisionPeriod.objects.exists()


def test_a_period_cannot_end_before_it_starts(ortiz: Mentor) -> None:
    with pytest.raises(ValidationError) as e:
        services.add_period(ortiz, kind="clinical", start=days(10), end=days(20), today=TODAY)
    assert "before the start" in str(e.value)
    period = services.add_period(ortiz, kind="clinical", start=days(20), end=days(10), today=TODAY)
    with pytest.raises(ValidationError):
        services.update_period(period, end=days(30), today=TODAY)
    period.refresh_from_db()
    assert period.end == days(10)


def test_the_database_also_refuses_an_end_before_the_start(ortiz: Mentor) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        SupervisionPeriod.objects.create(mentor=ortiz, kind="clinical", start=days(1), end=days(5))


def test_a_bad_update_leaves_the_mentor_unchanged(ortiz: Mentor) -> None:
    with pytest.raises(ValidationError):
        services.update_mentor(ortiz, full_name="", specialty="Surgery", today=TODAY)
    assert ortiz.full_name == "Ana Ortiz" and ortiz.specialty == "Internal Medicine"
    with pytest.raises(ValidationError):
        services.update_mentor(ortiz, cadence_ideal_days=30, cadence_max_days=10, today=TODAY)
    ortiz.refresh_from_db()
    assert ortiz.cadence_ideal_days is None


def test_invalid_choices_are_refused(alice: User) -> None:
    with pytest.raises(ValidationError):
        services.create_mentor(alice, today=TODAY, full_name="X", role="wizard")
    assert not Mentor.objects.exists()


def test_logging_an_interaction_resets_the_cadence_and_ends_a_snooze(ortiz: Mentor) -> None:
    services.log_interaction(ortiz, occurred_on=days(70), today=TODAY)
    services.snooze(ortiz, until=TODAY + dt.timedelta(days=5), today=TODAY)
    assert services.cadence_of(ortiz, TODAY).state == "snoozed"  # type: ignore[union-attr]
    ortiz.snoozed_until = None
    assert services.cadence_of(ortiz, TODAY).state == "overdue"  # type: ignore[union-attr]
    services.log_interaction(ortiz, occurred_on=TODAY, today=TODAY, action_items=["Read X", " "])
    ortiz.refresh_from_db()
    state = services.cadence_of(ortiz, TODAY)
    assert state is not None and state.state == "ok" and state.last_contact == TODAY
    assert ortiz.snoozed_until is None
    assert [a.text for a in ortiz.action_items.all()] == ["Read X"]


def test_an_older_interaction_does_not_move_the_last_contact(ortiz: Mentor) -> None:
    services.log_interaction(ortiz, occurred_on=days(5), today=TODAY)
    services.log_interaction(ortiz, occurred_on=days(50), today=TODAY)
    assert services.cadence_of(ortiz, TODAY).last_contact == days(5)  # type: ignore[union-attr]


def test_a_prospect_becomes_active_once_contacted(alice: User) -> None:
    m = services.create_mentor(alice, today=TODAY, full_name="P", status="prospect")
    services.log_interaction(m, occurred_on=TODAY, today=TODAY)
    m.refresh_from_db()
    assert m.status == "active"


def test_snooze_limits(ortiz: Mentor) -> None:
    with pytest.raises(ValidationError):
        services.snooze(ortiz, until=TODAY, today=TODAY)
    with pytest.raises(ValidationError):
        services.snooze(ortiz, until=TODAY + dt.timedelta(days=400), today=TODAY)
    ortiz.refresh_from_db()
    assert ortiz.snoozed_until is None


def test_cadence_states_are_sorted_most_urgent_first(alice: User) -> None:
    made = {}
    for name, last in [("Fine", 3), ("Very late", 200), ("Late", 70), ("Soon", 25)]:
        m = services.create_mentor(alice, today=TODAY, full_name=name)
        services.log_interaction(m, occurred_on=days(last), today=TODAY)
        made[name] = m
    services.create_mentor(alice, today=TODAY, full_name="Gone", status="former")
    states = services.cadence_states(alice, TODAY)
    assert [s.mentor.full_name for s in states] == ["Very late", "Late", "Soon", "Fine"]
    assert [s.state for s in states] == ["overdue", "overdue", "due_soon", "ok"]
    assert states[0].overdue_on == days(200) + dt.timedelta(days=56)


def test_cadence_states_cost_the_same_queries_for_any_number_of_mentors(
    alice: User, django_assert_num_queries: Any
) -> None:
    for i in range(12):
        services.create_mentor(alice, today=TODAY, full_name=f"Mentor {i}")
    # As in a request: the user fresh from the database, its profile not yet read.
    user = User.objects.get(pk=alice.pk)
    # The mentors with their last contact, their periods, and the user's profile once
    # (each mentor's "added on" is a date in the user's time zone).
    with django_assert_num_queries(3):
        states = services.cadence_states(user, TODAY)
    assert len(states) == 12


def test_working_together_tightens_the_cadence(ortiz: Mentor) -> None:
    services.log_interaction(ortiz, occurred_on=days(22), today=TODAY)
    assert services.cadence_of(ortiz, TODAY).state == "due_soon"  # type: ignore[union-attr]
    services.add_period(ortiz, kind="research", start=days(100), today=TODAY)
    state = services.cadence_of(ortiz, TODAY)
    assert state is not None and state.state == "overdue" and state.ideal_days == 7


def test_action_item_life_cycle_and_unreported(alice: User, ortiz: Mentor) -> None:
    a = services.add_action_item(ortiz, text="Submit the abstract")
    b = services.add_action_item(ortiz, text="Join the journal club")
    assert not services.unreported_action_items(alice).exists()
    with pytest.raises(ValidationError):
        services.report_back(a)
    with pytest.raises(ValidationError):
        services.decline_action(b, reason="  ")
    b.refresh_from_db()
    assert b.status == "open"
    services.complete_action(a, on=TODAY)
    services.decline_action(b, reason="Clashes with clinic", on=TODAY)
    assert set(services.unreported_action_items(alice)) == {a, b}
    services.report_back(a, on=TODAY)
    assert list(services.unreported_action_items(alice)) == [b]
    services.reopen_action(a)
    a.refresh_from_db()
    assert a.status == "open" and not a.reported_back


def test_the_database_refuses_a_decline_without_a_reason(ortiz: Mentor) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionItem.objects.create(mentor=ortiz, text="x", status="declined")


def test_unreported_items_are_per_user(alice: User, bob: User, ortiz: Mentor) -> None:
    services.complete_action(services.add_action_item(ortiz, text="x"))
    assert services.unreported_action_items(alice).count() == 1
    assert services.unreported_action_items(bob).count() == 0


def test_readiness_for_ranks_best_first_with_reasons(alice: User, ortiz: Mentor) -> None:
    services.add_period(
        ortiz,
        kind="clinical",
        title="the cardiology rotation",
        start=days(200),
        end=days(120),
        today=TODAY,
    )
    services.log_interaction(ortiz, occurred_on=days(10), today=TODAY, example="Ran the code")
    far = services.create_mentor(
        alice, today=TODAY, full_name="Far Away", specialty="Surgery", prominence="national"
    )
    ranked = services.readiness_for(
        alice, service="eras", specialty="Internal Medicine", today=TODAY
    )
    assert [r.mentor for r in ranked] == [ortiz, far]
    assert any("cardiology rotation" in r for r in ranked[0].reasons)
    assert ranked[1].warnings
    assert services.readiness_for(alice, service="nonsense", specialty="", today=TODAY)


def test_access_helpers_404_for_strangers(bob: User, ortiz: Mentor) -> None:
    with pytest.raises(Http404):
        services.get_mentor_for_user(bob, ortiz.public_id)
    for bad in ("not-a-uuid", None, 12):
        with pytest.raises(Http404):
            services.get_mentor_for_user(ortiz.user, bad)


def test_deleting_a_mentor_removes_their_history(ortiz: Mentor) -> None:
    services.log_interaction(ortiz, occurred_on=TODAY, today=TODAY, action_items=["x"])
    services.delete_mentor(ortiz)
    assert not Interaction.objects.exists() and not ActionItem.objects.exists()


def test_drafts_fill_in_news_since_the_last_contact(alice: User, ortiz: Mentor) -> None:
    from preceptor.accounts import services as accounts

    accounts.update_profile(alice, specialty_of_interest="Internal Medicine")
    services.log_interaction(ortiz, occurred_on=days(40), today=TODAY, summary="Career chat.")
    services.add_achievement(alice, title="Old award", achieved_on=days(100), today=TODAY)
    services.add_achievement(alice, title="Poster accepted", achieved_on=days(10), today=TODAY)
    services.add_achievement(
        alice, title="Step 2 score", achieved_on=days(5), today=TODAY, share_in_updates=False
    )
    item = services.add_action_item(ortiz, text="Join the journal club")
    services.decline_action(item, reason="it clashes with clinic")
    d = services.draft_for(ortiz, "update", today=TODAY)
    assert d.body.startswith("Dear Dr. Ortiz,")
    assert "Poster accepted" in d.body and "Old award" not in d.body and "Step 2" not in d.body
    assert (
        "“Join the journal club”: I thought it over and decided against it for now — it clashes"
        in d.body
    )
    assert "Since we spoke 5 weeks ago, I wanted" in d.body
    assert d.mailto.startswith("mailto:ana%40example.edu?subject=")
    assert "Alice Owner" in services.draft_for(ortiz, "first_contact", today=TODAY).body
    assert "Agenda" in services.draft_for(ortiz, "agenda", today=TODAY).body
    with pytest.raises(Http404):
        services.draft_for(ortiz, "nope")
