"""Every model is declared owned or not owned, and the owned ones can be carried."""

from __future__ import annotations

from django.apps import apps

from preceptor.accounts.models import User
from preceptor.portability import documents, records
from preceptor.portability.owned import JSON_REFERENCES, NOT_OWNED, OWNED


def test_every_model_is_declared_owned_or_not() -> None:
    # Every model of the project and the framework's: a new one fails here until declared.
    undeclared = {m._meta.label for m in apps.get_models()} - set(OWNED) - set(NOT_OWNED)
    assert not undeclared, (
        "Add these models to OWNED (exported) or NOT_OWNED (with the reason) in "
        f"preceptor/portability/owned.py: {sorted(undeclared)}"
    )


def test_no_model_is_both() -> None:
    assert not set(OWNED) & set(NOT_OWNED)


def test_every_declared_model_exists() -> None:
    for label in [*OWNED, *NOT_OWNED, *JSON_REFERENCES.values()]:
        assert apps.get_model(label) is not None
    for label, field in JSON_REFERENCES:
        assert label in OWNED
        apps.get_model(label)._meta.get_field(field)
    for label, field in documents.FILES:
        assert label in OWNED, label
        apps.get_model(label)._meta.get_field(field)


def test_every_owned_model_can_be_carried() -> None:
    # Every field classifies (no relation to a model left behind, no undeclared bytes),
    # and the models order so that each comes after those it refers to.
    ordered = [m._meta.label for m in records.owned_models()]
    assert sorted(ordered) == sorted(OWNED)
    for model in records.owned_models():
        for f in model._meta.concrete_fields:
            records.kind_of(model, f)
        records.m2m_fields(model)
    assert ordered.index("mentors.Mentor") < ordered.index("letters.LetterRequest")
    assert ordered.index("mentors.Achievement") < ordered.index("letters.LetterRequest")


def test_every_owned_model_reaches_its_user(alice: User) -> None:
    for model in records.owned_models():
        assert list(records.rows_of(model, alice)) == [] or records.is_singleton(model)


def test_not_owned_reasons_are_sentences() -> None:
    for label, why in NOT_OWNED.items():
        assert len(why.split()) >= 4, label


def test_a_relation_to_a_model_left_behind_is_refused() -> None:
    from preceptor.notify.models import Notification

    field = Notification._meta.get_field("reminder")
    try:
        records.kind_of(Notification, field)
    except records.NotPortable as e:
        assert "notify.Reminder" in str(e)
    else:
        raise AssertionError("a link to a reminder (not owned) must not be exported")
