"""Service rules in the database: loaded by the data migration, editable, used by the checker."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from preceptor.letters import queries, rulebook, services
from preceptor.letters.models import ServiceRule
from tests.letters.factories import make_application, make_mentor, make_request

pytestmark = pytest.mark.django_db


def test_the_data_migration_loads_every_shipped_rule() -> None:
    from importlib import import_module

    from django.apps import apps

    # Run the migration's own function (the table may have been flushed by a
    # transactional test on this worker, so its first run cannot be relied on here).
    ServiceRule.objects.all().delete()
    import_module("preceptor.letters.migrations.0002_service_rules").load(apps, None)
    rows = rulebook.fixture_rows()
    assert ServiceRule.objects.count() == len(rows)
    eras = ServiceRule.objects.get(service="eras", specialty="")
    assert eras.max_letters == 4 and float(eras.max_file_mb) == 1.0 and eras.source


def test_an_empty_table_falls_back_to_the_shipped_rules(alice) -> None:  # type: ignore[no-untyped-def]
    ServiceRule.objects.all().delete()
    app = make_application(alice, specialty="Emergency Medicine")
    assert rulebook.coverage(app).summary.startswith("ERAS emergency medicine: 0 of 2")


def test_install_keeps_admin_edits_unless_told() -> None:
    rulebook.install(ServiceRule)
    ServiceRule.objects.filter(service="eras", specialty="").update(max_letters=3)
    assert rulebook.install(ServiceRule) == 0
    assert ServiceRule.objects.get(service="eras", specialty="").max_letters == 3
    rulebook.install(ServiceRule, overwrite=True)
    assert ServiceRule.objects.get(service="eras", specialty="").max_letters == 4


def test_an_edited_rule_changes_the_check(alice) -> None:  # type: ignore[no-untyped-def]
    rulebook.install(ServiceRule)
    app = make_application(alice)
    for _ in range(4):
        make_request(alice, "agreed", app=app, category="in_specialty")
    # The department letter is only a suggestion, so four letters complete the application.
    assert rulebook.coverage(app).complete is True
    assert "4 of at most 4 letters" in rulebook.coverage(app).summary
    ServiceRule.objects.filter(service="eras", specialty="Internal Medicine").update(max_letters=3)
    coverage = rulebook.coverage(app)
    assert "4 of at most 3 letters" in coverage.summary and coverage.complete is False


def test_admin_validation_of_requirements() -> None:
    rule = ServiceRule(
        service="other",
        specialty="x",
        name="x",
        source="s",
        requirements=[{"label": "x", "kinds": ["nope"]}],
    )
    with pytest.raises(ValidationError, match="unknown kinds"):
        rule.full_clean()


def test_writer_criteria_come_from_the_mentor_record(alice) -> None:  # type: ignore[no-untyped-def]
    from preceptor.mentors.models import Interaction, SupervisionPeriod

    today = services.today_for(alice)
    mentor = make_mentor(alice, "Ana Patel")
    app = make_application(alice)
    r = services.plan_request(app, mentor)
    SupervisionPeriod.objects.create(
        mentor=mentor,
        kind="shadowing",
        title="Clinic shadowing",
        start=today - dt.timedelta(days=30),
    )
    keys = {w.key for w in queries.plan_for(r, today).warnings}
    assert {"writer_little_contact", "writer_not_supervisor", "writer_few_contacts"} <= keys
    SupervisionPeriod.objects.create(
        mentor=mentor,
        kind="clinical",
        title="Medicine clerkship",
        start=today - dt.timedelta(days=200),
        end=today - dt.timedelta(days=150),
        description="Carried four patients a day",
    )
    for days in (190, 170):
        Interaction.objects.create(
            mentor=mentor,
            occurred_on=today - dt.timedelta(days=days),
            summary="Feedback session",
            example="Led family meeting",
        )
    keys = {w.key for w in queries.plan_for(r, today).warnings}
    assert not keys & {"writer_little_contact", "writer_not_supervisor", "writer_few_contacts"}
    summary = services.get_request_for_user(alice, r.public_id)
    from preceptor.letters.mentorlink import summary_of_work

    text = summary_of_work(summary.mentor)
    assert "Medicine clerkship (direct clinical supervision)" in text
    assert "Carried four patients a day" in text and "Led family meeting" in text


def test_each_service_says_where_and_how_writers_submit(alice) -> None:  # type: ignore[no-untyped-def]
    from preceptor.letters import queries
    from tests.letters.factories import make_application, make_request

    eras = make_application(alice)
    how, portal = rulebook.submission(eras)
    assert portal == "https://www.aamc.org/services/eras-for-institutions/lor-portal"
    assert "Letter ID" in how and "1 MB" in how
    r = make_request(alice, "packet_sent", app=eras)
    assert portal in queries.draft_for(r, "form").body
    # The applicant's own instructions come first.
    own = make_application(alice, instructions="Email it to the fellowship office.")
    assert rulebook.submission(own)[0] == "Email it to the fellowship office."
    for service in ("amcas", "aacomas", "tmdsas", "eras_fellowship", "carms"):
        app = make_application(alice, service=service, specialty="", cycle=2027)
        assert rulebook.submission(app)[0], service


def test_the_writer_sees_where_and_how_to_submit(alice) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client
    from django.urls import reverse

    from preceptor.writers import services as writers
    from tests.letters.factories import make_request
    from tests.writers.factories import token_of

    r = make_request(alice, "asked")
    token = token_of(writers.issue_link(r))
    page = Client().get(reverse("writers:writer", kwargs={"token": token})).content.decode()
    assert "How to submit" in page
    assert "https://www.aamc.org/services/eras-for-institutions/lor-portal" in page


@pytest.mark.django_db(transaction=True)
def test_kept_rules_are_forgotten_when_a_rule_is_saved_or_deleted() -> None:
    rulebook.install(ServiceRule)  # a flush by an earlier test may have emptied the table
    rulebook.forget_rules()
    eras = ServiceRule.objects.get(service="eras", specialty="")
    before = rulebook.resolve(rulebook.all_rules(), "eras").max_letters
    # Kept: the table changing behind the process's back (no signal) is not seen at once.
    ServiceRule.objects.filter(pk=eras.pk).update(max_letters=(before or 4) + 1)
    assert rulebook.resolve(rulebook.all_rules(), "eras").max_letters == before
    # A save (the admin's way) is seen at once.
    eras.refresh_from_db()
    eras.max_letters = (before or 4) + 2
    eras.save()
    assert rulebook.resolve(rulebook.all_rules(), "eras").max_letters == (before or 4) + 2
    eras.delete()
    assert rulebook.resolve(rulebook.all_rules(), "eras").max_letters != (before or 4) + 2
    rulebook.forget_rules()
