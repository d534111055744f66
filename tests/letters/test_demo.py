"""The demo seeder gives a living account: two applications, requests at many stages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from preceptor.letters import demo, queries, services
from preceptor.letters.models import Application, LetterRequest
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_demo_seeds_eras_and_amcas_with_requests_across_states(alice) -> None:  # type: ignore[no-untyped-def]
    demo.seed(alice)
    services_ = set(Application.objects.filter(user=alice).values_list("service", flat=True))
    assert services_ == {"eras", "amcas"}
    statuses = set(
        LetterRequest.objects.filter(application__user=alice).values_list("status", flat=True)
    )
    assert {
        "planned",
        "asked",
        "form_sent",
        "thanked",
        "hesitant",
        "reminded",
        "declined",
        "candidate",
    } <= statuses
    eras = Application.objects.get(user=alice, service="eras")
    assert eras.documents.count() == 2
    # The CV is in the library once and in both packets.
    amcas = Application.objects.get(user=alice, service="amcas")
    assert [u.document for u in amcas.documents.all()] == [eras.documents.get(kind="cv").document]
    # A newcomer sees what to do this week and what is missing.
    todo = queries.week_todo(alice, services.today_for(alice))
    assert todo, "the demo should have something to do this week"
    body = client_for(alice).get(reverse("letters:overview")).content.decode()
    assert "ERAS internal medicine:" in body and "What to do this week" in body
    for r in LetterRequest.objects.filter(application__user=alice):
        assert (
            client_for(alice).get(reverse("letters:request", args=[r.public_id])).status_code == 200
        )
