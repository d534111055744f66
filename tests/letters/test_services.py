"""Services: every allowed and forbidden transition through the database, logs, signals."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from preceptor.letters import lifecycle, services, signals
from preceptor.letters.models import Application, LetterRequest, RequestTransition
from preceptor.letters.services import TransitionError
from tests.letters.factories import make_application, make_mentor, make_request

pytestmark = pytest.mark.django_db

PAIRS = list(itertools.product(lifecycle.STATUSES, repeat=2))
DETAILS = {"asked": {"ask_method": "video"}, "form_sent": {"letter_id": "ID-9"}}


def _snapshot(r: LetterRequest) -> dict[str, Any]:
    r.refresh_from_db()
    return {f.attname: getattr(r, f.attname) for f in r._meta.concrete_fields}


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_every_transition_through_the_service(alice, a: str, b: str) -> None:  # type: ignore[no-untyped-def]
    r = make_request(alice, a)
    logged = RequestTransition.objects.filter(request=r).count()
    before = _snapshot(r)
    if lifecycle.can_transition(a, b):
        services.transition(r, b, **DETAILS.get(b, {}))
        r.refresh_from_db()
        assert r.status == b
        last = r.transitions.last()
        assert last is not None and (last.from_status, last.to_status) == (a, b)
    else:
        with pytest.raises(TransitionError) as e:
            services.transition(r, b, **DETAILS.get(b, {}))
        assert f"“{lifecycle.LABELS[a]}”" in str(e.value)
        assert _snapshot(r) == before  # nothing changed
        assert RequestTransition.objects.filter(request=r).count() == logged


def test_transition_error_is_a_django_validation_error() -> None:
    assert issubclass(TransitionError, ValidationError)


def test_asking_needs_a_method_and_records_the_date(alice) -> None:  # type: ignore[no-untyped-def]
    r = make_request(alice, "planned")
    with pytest.raises(TransitionError, match="Say how you asked"):
        services.transition(r, "asked")
    r.refresh_from_db()
    assert r.status == "planned" and r.asked_on is None
    day = services.today_for(alice) - dt.timedelta(days=3)
    services.transition(r, "asked", ask_method="in_person", on=day)
    assert (r.status, r.asked_on, r.ask_method) == ("asked", day, "in_person")


def test_a_future_date_is_refused(alice) -> None:  # type: ignore[no-untyped-def]
    r = make_request(alice, "planned")
    with pytest.raises(TransitionError, match="in the future"):
        services.transition(
            r, "asked", ask_method="email", on=services.today_for(alice) + dt.timedelta(days=5)
        )
    r.refresh_from_db()
    assert r.status == "planned"


def test_eras_form_needs_a_letter_id(alice) -> None:  # type: ignore[no-untyped-def]
    r = make_request(alice, "packet_sent")
    with pytest.raises(TransitionError, match="ERAS letter ID"):
        services.transition(r, "form_sent")
    services.transition(r, "form_sent", letter_id="  ABC123 ")
    assert r.letter_id == "ABC123"


@pytest.mark.usefixtures("utc_rollover")
def test_reminders_are_counted(alice) -> None:  # type: ignore[no-untyped-def]
    r = make_request(alice, "form_sent")
    services.transition(r, "reminded")
    services.transition(r, "reminded", actor="system")
    r.refresh_from_db()
    assert r.reminders_sent == 2 and r.last_reminded_on == services.today_for(alice)


def test_submission_records_who_confirmed(alice) -> None:  # type: ignore[no-untyped-def]
    r = make_request(alice, "form_sent")
    services.transition(r, "submitted", actor="writer")
    assert r.submitted_confirmed_by == "writer" and r.submitted_on is not None
    r2 = make_request(alice, "agreed", app=r.application)
    services.transition(r2, "submitted", actor="portal")
    assert r2.submitted_confirmed_by == "portal"


@pytest.mark.parametrize(
    ("status", "to", "ok"),
    [
        ("asked", "agreed", True),
        ("asked", "declined", True),
        ("asked", "hesitant", True),
        ("reminded", "submitted", True),
        ("agreed", "packet_sent", False),
        ("planned", "asked", False),
        ("submitted", "thanked", False),
    ],
)
def test_what_a_writer_may_do(alice, status: str, to: str, ok: bool) -> None:  # type: ignore[no-untyped-def]
    r = make_request(alice, status)
    if ok:
        services.transition(r, to, actor="writer", **DETAILS.get(to, {}))
        assert r.status == to
        assert r.transitions.last().actor == "writer"  # type: ignore[union-attr]
    else:
        with pytest.raises(TransitionError, match="writer cannot"):
            services.transition(r, to, actor="writer", **DETAILS.get(to, {}))


def test_unknown_details_status_or_actor_are_refused(alice) -> None:  # type: ignore[no-untyped-def]
    r = make_request(alice, "planned")
    with pytest.raises(TransitionError, match="do not belong"):
        services.transition(r, "asked", ask_method="email", status="thanked")
    with pytest.raises(TransitionError, match="not a letter request status"):
        services.transition(r, "accepted")
    with pytest.raises(TransitionError, match="not someone"):
        services.transition(r, "asked", actor="dean", ask_method="email")


def test_signal_is_sent_after_commit(alice, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    r = make_request(alice, "planned")
    seen: list[dict[str, Any]] = []

    def listener(sender: Any, **kw: Any) -> None:
        seen.append(kw)

    signals.request_transitioned.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.transition(r, "asked", ask_method="email")
            assert seen == []  # not before the commit
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(TransitionError):
            services.transition(r, "thanked")
    finally:
        signals.request_transitioned.disconnect(listener)
    assert len(seen) == 1
    assert (seen[0]["from_status"], seen[0]["to_status"], seen[0]["actor"]) == (
        "planned",
        "asked",
        "applicant",
    )
    assert seen[0]["request"].pk == r.pk


def test_deadlines_changed_signal(alice, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    seen: list[Application] = []

    def listener(sender: Any, application: Application, **kw: Any) -> None:
        seen.append(application)

    signals.deadlines_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            app = make_application(alice)
        with django_capture_on_commit_callbacks(execute=True):
            services.update_application(app, programs="Only a program change")
        with django_capture_on_commit_callbacks(execute=True):
            services.update_application(app, personal_deadline_days=10)
    finally:
        signals.deadlines_changed.disconnect(listener)
    assert len(seen) == 2


# ---- applications


def test_application_defaults(alice) -> None:  # type: ignore[no-untyped-def]
    app = make_application(alice)
    assert app.personal_deadline_days == 14
    assert app.personal_deadline == app.official_deadline - dt.timedelta(days=14)
    assert app.uses_vault is False
    assert app.results_on is not None and app.results_on.month == 3  # Match Day
    direct = make_application(alice, service="direct", specialty="")
    assert direct.uses_vault is True
    other = make_application(alice, service="other", uses_vault=False)
    assert other.uses_vault is False


def test_orm_created_direct_application_uses_the_vault(alice) -> None:  # type: ignore[no-untyped-def]
    app = Application.objects.create(
        user=alice, service="direct", cycle=2027, official_deadline=dt.date(2027, 1, 1)
    )
    assert app.uses_vault is True
    app = Application.objects.create(
        user=alice,
        service="direct",
        cycle=2027,
        official_deadline=dt.date(2027, 1, 1),
        uses_vault=False,
    )
    assert app.uses_vault is False


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"official_deadline": dt.date(2020, 1, 1)}, "in the past"),
        ({"personal_deadline_days": 20}, "7 to 14 days"),
        ({"personal_deadline_days": 3}, "7 to 14 days"),
    ],
)
def test_bad_application_input_changes_nothing(alice, fields, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match=message):
        make_application(alice, **fields)
    assert not Application.objects.exists()
    app = make_application(alice)
    before = (app.official_deadline, app.personal_deadline_days)
    with pytest.raises(ValidationError, match=message):
        services.update_application(app, **fields)
    app.refresh_from_db()
    assert (app.official_deadline, app.personal_deadline_days) == before


def test_plan_request_guesses_the_category_and_refuses_duplicates(alice, bob) -> None:  # type: ignore[no-untyped-def]
    app = make_application(alice)
    mentor = make_mentor(alice, "Ana Patel", specialty="internal medicine")
    r = services.plan_request(app, mentor)
    assert r.category == "in_specialty" and r.status == "planned"
    assert r.transitions.count() == 1
    with pytest.raises(ValidationError, match="already on this application"):
        services.plan_request(app, mentor)
    with pytest.raises(Http404):
        services.plan_request(app, make_mentor(bob, "Bob Mentor"))
    with pytest.raises(TransitionError):
        services.plan_request(app, make_mentor(alice, "Other"), status="asked")


def test_strengths_at_most_six(alice) -> None:  # type: ignore[no-untyped-def]
    r = make_request(alice)
    with pytest.raises(ValidationError, match="at most 6"):
        services.update_request(r, strengths=[f"s{i}" for i in range(7)])
    services.update_request(r, strengths="One\n\n Two \nThree")
    assert r.strengths == ["One", "Two", "Three"]


def test_waiver_is_recorded_with_its_date(alice) -> None:  # type: ignore[no-untyped-def]
    r = make_request(alice, "agreed")
    day = dt.date(2026, 5, 1)
    services.record_waiver(r, signed=True, on=day)
    r.refresh_from_db()
    assert r.waiver_signed and r.waiver_signed_on == day
    services.record_waiver(r, signed=False)
    r.refresh_from_db()
    assert not r.waiver_signed and r.waiver_signed_on is None
    assert r.transitions.filter(note__startswith="Waiver").count() == 2


def test_only_unasked_requests_can_be_removed(alice) -> None:  # type: ignore[no-untyped-def]
    r = make_request(alice, "asked")
    with pytest.raises(TransitionError, match="Only a candidate or planned"):
        services.delete_request(r)
    assert LetterRequest.objects.filter(pk=r.pk).exists()
    p = make_request(alice, "planned", app=r.application)
    services.delete_request(p)
    assert not LetterRequest.objects.filter(pk=p.pk).exists()


def test_deleting_the_account_removes_everything_but_a_mentor_with_letters_is_kept(alice) -> None:  # type: ignore[no-untyped-def]
    from django.db.models import RestrictedError

    from preceptor.accounts.services import delete_account

    r = make_request(alice, "submitted")
    with pytest.raises(RestrictedError):
        r.mentor.delete()
    delete_account(alice)
    assert not LetterRequest.objects.exists() and not Application.objects.exists()


def test_access_helpers_404_for_strangers(alice, charlie) -> None:  # type: ignore[no-untyped-def]
    r = make_request(alice)
    with pytest.raises(Http404):
        services.get_request_for_user(charlie, r.public_id)
    with pytest.raises(Http404):
        services.get_application_for_user(charlie, r.application.public_id)
    with pytest.raises(Http404):
        services.get_application_for_user(alice, "not-a-uuid")
    assert services.get_request_for_user(alice, r.public_id) == r


def test_a_step_dated_before_the_ask_is_refused(alice) -> None:  # type: ignore[no-untyped-def]
    r = make_request(alice, "planned")
    today = services.today_for(alice)
    services.transition(r, "asked", ask_method="email", on=today - dt.timedelta(days=5))
    with pytest.raises(TransitionError, match="is before you asked"):
        services.transition(r, "agreed", on=today - dt.timedelta(days=6))
    r.refresh_from_db()
    assert r.status == "asked" and r.answered_on is None
    services.transition(r, "agreed", on=today - dt.timedelta(days=4))
    assert r.answered_on == today - dt.timedelta(days=4)
