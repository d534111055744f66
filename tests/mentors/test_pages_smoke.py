from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from preceptor.accounts.models import User
from preceptor.mentors import demo, services


@pytest.fixture
def seeded(alice: User) -> User:
    demo.seed(alice)
    return alice


def test_every_page_renders_for_the_demo_data(seeded: User, alice_client: Client) -> None:
    m = services.mentors_of(seeded).get(full_name="Ana Ortiz")
    urls = [
        reverse("mentors:list"),
        reverse("mentors:list") + "?sort=readiness",
        reverse("mentors:add"),
        reverse("mentors:network"),
        reverse("mentors:import"),
        reverse("mentors:export"),
        reverse("mentors:achievements"),
        reverse("mentors:detail", kwargs={"pk": m.public_id}),
        reverse("mentors:edit", kwargs={"pk": m.public_id}),
        reverse("mentors:log", kwargs={"pk": m.public_id}),
        reverse("mentors:period_add", kwargs={"pk": m.public_id}),
        reverse("core:dashboard"),
    ] + [
        reverse("mentors:draft", kwargs={"pk": m.public_id, "kind": k})
        for k in ("first_contact", "agenda", "update")
    ]
    for url in urls:
        r = alice_client.get(url)
        assert r.status_code == 200, url
