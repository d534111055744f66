"""SmartPick without an account: the profile in the session, the same pages and API,
simulations with their limits, "Save my list", and a session that expires mid-list."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client

from preceptor.accounts.models import User
from preceptor.lib import queues
from preceptor.smartpick import services, store
from preceptor.smartpick.models import ApplicantProfile, SimulationRun
from tests.conftest import PASSWORD
from tests.smartpick.conftest import FORM, make_profile

# Queued runs stay queued; the queues are the project's (email first, simulations apart).
DUMMY_TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.dummy.DummyBackend",
        "QUEUES": list(queues.ALL),
    }
}


@pytest.fixture(autouse=True)
def _fresh_throttle() -> Iterator[None]:
    cache.clear()  # the API's per-address counts live in the cache
    yield
    cache.clear()


def visitor(address: str = "203.0.113.7") -> Client:
    return Client(REMOTE_ADDR=address)


def with_list(client: Client, **changes: str) -> Client:
    r = client.post("/programs/profile/", {**FORM, **changes})
    assert r.status_code == 302, r.content.decode()[:2000]
    return client


def rows(page: str) -> int:
    return page.count('class="card sp-row')


def p_match(page: str) -> float:
    m = re.search(r'data-testid="p-match">([\d.]+)%', page)
    assert m, "no P(match) on the page"
    return float(m.group(1))


def shown_p_match(page: str) -> str:
    return page.split('data-testid="p-match">', 1)[1].split("<", 1)[0]


def test_a_visitor_builds_a_list_without_an_account(db: None) -> None:
    client = with_list(visitor())
    page = client.get("/programs/").content.decode()
    assert rows(page) == 30 and "Why:" in page
    assert "<svg" in page and "plausible range" in page
    assert "Save my list" in page
    # Nothing about the visitor in the database beyond the session.
    assert not ApplicantProfile.objects.exists()
    saved = client.session[store.SESSION_KEY]["profile"]
    assert saved["step2_score"] == 248 and saved["tie_states"] == ["NJ"]


def test_a_visitor_changes_the_budget_and_the_curve_moves(db: None) -> None:
    client = with_list(visitor(), budget_applications="3", signals_gold="0", signals_silver="0")
    before = client.get("/programs/").content.decode()
    r = client.post("/programs/budget/", {"applications": "25"}, HTTP_HX_REQUEST="true")
    after = r.content.decode()
    assert r.status_code == 200 and after.lstrip().startswith('<div id="sp-results">')
    assert rows(after) == 25 and 'data-budget="25"' in after and 'data-budget="3"' in before
    assert p_match(after) > p_match(before)
    assert client.session[store.SESSION_KEY]["profile"]["budget_applications"] == 25
    r = client.post("/programs/budget/", {"applications": "0"})
    assert r.status_code == 400 and "at least one application" in r.content.decode()
    assert client.session[store.SESSION_KEY]["profile"]["budget_applications"] == 25


def test_a_visitor_gets_the_list_by_state_and_as_csv(db: None) -> None:
    client = with_list(visitor())
    page = client.get("/programs/states/").content.decode()
    assert "Your list by state" in page and 'id="state-' in page
    r = client.get("/programs/export.csv")
    assert r["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(r.content.decode())))
    assert table[0][0] == "order" and len([t for t in table if t and t[0].isdigit()]) == 30


def test_a_visitor_edits_their_profile_with_everything_filled_in(db: None) -> None:
    client = with_list(visitor(), preferred_states_text="NY, NJ", preferred_regions="Northeast")
    page = client.get("/programs/profile/").content.decode()
    assert 'name="tie_states_text" value="NJ"' in page
    assert 'name="preferred_states_text" value="NJ, NY"' in page
    assert re.search(r'value="Northeast"[^>]*checked', page)
    assert 'name="step2_score" value="248"' in page


def test_a_visitors_profile_form_refuses_bad_input_and_keeps_it(db: None) -> None:
    client = visitor()
    r = client.post("/programs/profile/", {**FORM, "step2_score": "320", "tie_states_text": "ZZ"})
    body = r.content.decode()
    assert r.status_code == 400 and "between 180 and 300" in body
    assert 'value="320"' in body and 'value="ZZ"' in body
    assert store.SESSION_KEY not in client.session


def test_two_visitors_and_a_user_never_see_each_others_lists(
    alice: User, alice_client: Client
) -> None:
    make_profile(alice, home_state="VT", target_specialty="Pediatrics")
    one = with_list(visitor(), home_state="OH", target_specialty="Internal Medicine")
    other = visitor()
    assert "Build your list" in other.get("/programs/").content.decode()
    assert other.get("/api/v1/programs/recommendation").json()["programs"] == []
    page = one.get("/programs/").content.decode()
    assert "Internal Medicine" in page and "Pediatrics" not in page
    assert "Pediatrics" in alice_client.get("/programs/").content.decode()
    # The visitor's budget change touches neither alice nor the other visitor.
    one.post("/programs/budget/", {"applications": "7"})
    assert ApplicantProfile.objects.get(user=alice).budget_applications == 30


def test_a_visitor_simulates_and_only_they_see_the_run(alice: User, alice_client: Client) -> None:
    one = with_list(visitor(), budget_applications="6")
    r = one.post("/programs/simulate/")
    assert r.status_code == 302
    run = SimulationRun.objects.get()
    assert run.user is None and run.visitor and run.status == "done"
    # Finished: the copy of the profile and the address hash are gone from the run.
    assert "profile" not in run.inputs and run.address == ""
    assert "Simulated chance of matching" in one.get("/programs/").content.decode()
    url = f"/programs/simulations/{run.public_id}/"
    assert "Simulated chance of matching" in one.get(url).content.decode()
    assert visitor().get(url).status_code == 404
    assert alice_client.get(url).status_code == 404
    assert visitor().get(f"/api/v1/programs/simulations/{run.public_id}").status_code == 404
    # ... and a visitor cannot see a user's run.
    make_profile(alice, budget_applications=5)
    theirs = services.start_simulation(alice)
    assert one.get(f"/programs/simulations/{theirs.public_id}/").status_code == 404


def test_a_visitor_has_one_simulation_at_a_time(db: None, settings: Any) -> None:
    settings.TASKS = DUMMY_TASKS  # queued runs stay queued
    one = with_list(visitor())
    assert one.post("/programs/simulate/", HTTP_HX_REQUEST="true").status_code == 200
    r = one.post("/programs/simulate/", HTTP_HX_REQUEST="true")
    assert "still running" in r.content.decode()
    r = one.post("/api/v1/programs/simulations")
    assert r.status_code == 429 and "still running" in r.json()["detail"]
    assert SimulationRun.objects.count() == 1


def test_an_address_has_a_limit_on_visitors_simulations(db: None, settings: Any) -> None:
    settings.TASKS = DUMMY_TASKS
    for _ in range(services.VISITOR_RUNS_PER_ADDRESS):
        assert with_list(visitor()).post("/programs/simulate/").status_code == 302
    late = with_list(visitor())
    r = late.post("/programs/simulate/", follow=True)
    assert "simulations from your network are already waiting" in r.content.decode()
    assert SimulationRun.objects.count() == services.VISITOR_RUNS_PER_ADDRESS
    # Another address is not held back.
    with_list(visitor("198.51.100.2")).post("/programs/simulate/")
    assert SimulationRun.objects.count() == services.VISITOR_RUNS_PER_ADDRESS + 1


def test_the_api_answers_a_visitor_from_their_session(db: None) -> None:
    client = with_list(visitor())
    data = client.get("/api/v1/programs/recommendation").json()
    assert len(data["programs"]) == 30
    r = client.put("/api/v1/programs/budget", {"applications": 9}, content_type="application/json")
    assert r.status_code == 200 and len(r.json()["programs"]) == 9
    r = client.put("/api/v1/programs/budget", {"applications": 0}, content_type="application/json")
    assert r.status_code == 422
    r = client.post("/api/v1/programs/simulations")
    assert r.status_code == 201
    run = client.get(f"/api/v1/programs/simulations/{r.json()['id']}").json()
    assert run["status"] == "done"


def test_a_visitors_api_changes_need_the_csrf_token(db: None) -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get("/programs/profile/").content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    assert (
        client.post("/programs/profile/", {**FORM, "csrfmiddlewaretoken": token}).status_code == 302
    )
    r = client.put("/api/v1/programs/budget", {"applications": 9}, content_type="application/json")
    assert r.status_code == 403
    r = client.put(
        "/api/v1/programs/budget",
        {"applications": 9},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert r.status_code == 200 and len(r.json()["programs"]) == 9


def test_the_api_throttles_visitors_per_address_with_a_clear_429(
    alice_client: Client, settings: Any
) -> None:
    settings.SMARTPICK_VISITOR_API_RATE = "3/min"
    client = visitor()
    for _ in range(3):
        assert client.get("/api/v1/programs/recommendation").status_code == 200
    r = visitor().get("/api/v1/programs/recommendation")  # a new session, same address
    assert r.status_code == 429
    assert "Too many requests from your address: try again in" in r.json()["detail"]
    assert int(r["Retry-After"]) >= 1
    assert visitor("198.51.100.2").get("/api/v1/programs/recommendation").status_code == 200
    for _ in range(5):  # signed-in users are not limited by it
        assert alice_client.get("/api/v1/programs/recommendation").status_code == 200


def _sign_up(client: Client, email: str = "new@example.org") -> Any:
    return client.post(
        "/account/signup/",
        {
            "email": email,
            "full_name": "New Person",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": "/programs/",
        },
        follow=True,
    )


def test_save_my_list_into_a_new_account_keeps_the_profile_and_list(db: None) -> None:
    client = with_list(visitor(), tie_states_text="NJ, PA", research_items="5")
    client.post("/programs/budget/", {"applications": "25"})
    client.post("/programs/simulate/")
    before = client.get("/programs/").content.decode()
    assert 'href="/account/signup/?next=/programs/"' in before
    r = _sign_up(client)
    assert r.redirect_chain[-1][0] == "/programs/"
    page = r.content.decode()
    assert "Your program list is saved in your account." in page
    assert "Save my list" not in page
    user = User.objects.get(email="new@example.org")
    profile = ApplicantProfile.objects.get(user=user)
    assert profile.budget_applications == 25 and profile.tie_states == ["NJ", "PA"]
    assert profile.research_items == 5 and profile.step2_score == 248
    assert rows(page) == 25 and shown_p_match(page) == shown_p_match(before)
    assert SimulationRun.objects.get().user == user
    assert store.SESSION_KEY not in client.session


def test_logging_in_keeps_the_newer_profile_and_says_which(alice: User) -> None:
    make_profile(alice, budget_applications=12)  # older than the visitor's
    client = with_list(visitor(), budget_applications="17")
    r = client.post(
        "/account/login/?next=/programs/",
        {"username": "alice@example.org", "password": PASSWORD, "next": "/programs/"},
        follow=True,
    )
    assert "we kept the newer one, the list you built just now" in r.content.decode()
    assert ApplicantProfile.objects.get(user=alice).budget_applications == 17

    # Now the account's is newer than a list a visitor built before it.
    client = with_list(visitor(), budget_applications="9")
    services.set_budget(alice, 21)
    r = client.post(
        "/account/login/",
        {"username": "alice@example.org", "password": PASSWORD, "next": "/programs/"},
        follow=True,
    )
    assert "so we kept the one in your account (the newer one)" in r.content.decode()
    assert ApplicantProfile.objects.get(user=alice).budget_applications == 21


def test_sign_up_goes_on_to_next_but_never_off_the_site(db: None) -> None:
    page = visitor().get("/account/signup/?next=/programs/").content.decode()
    assert '<input type="hidden" name="next" value="/programs/">' in page
    for email, target, landing in [
        ("x@example.org", "https://evil.example.com/", "/account/profile/"),
        ("y@example.org", "/programs/states/", "/programs/states/"),
    ]:
        r = visitor().post(
            "/account/signup/",
            {
                "email": email,
                "full_name": "X",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "next": target,
            },
        )
        assert r.status_code == 302 and r["Location"] == landing


def test_an_expired_session_says_so_and_keeps_the_budget(db: None) -> None:
    client = with_list(visitor())
    Session.objects.all().delete()  # the session ends on the server
    r = client.post("/programs/budget/", {"applications": "25"}, follow=True)
    page = r.content.decode()
    assert r.redirect_chain[-1][0] == "/programs/profile/"
    assert "Your session expired" in page and "We kept the budget you entered (25" in page
    assert 'name="budget_applications" value="25"' in page
    # Over htmx: a client redirect, not a fragment of the wrong page.
    Session.objects.all().delete()
    r = client.post("/programs/budget/", {"applications": "12"}, HTTP_HX_REQUEST="true")
    assert r["HX-Redirect"] == "/programs/profile/"


def test_an_expired_session_on_the_list_says_so_once(db: None) -> None:
    client = with_list(visitor())
    Session.objects.all().delete()
    first = client.get("/programs/", follow=True).content.decode()
    assert "Your session expired" in first and "Build your list" in first
    assert "Your session expired" not in client.get("/programs/").content.decode()


def test_the_session_profile_carries_every_model_field() -> None:
    profile = ApplicantProfile(
        applicant_type="do",
        comlex2_score=600,
        tie_states=["OH", "MI"],
        preferred_regions=["Midwest"],
        max_distance_miles=300,
        couples=True,
        partner_specialty="Pediatrics",
        partner_constraint="same_state",
        budget_mode="dollars",
        budget_dollars=900,
        signals_gold=2,
    )
    data = services.profile_to_data(profile)
    assert set(data) == set(services.PROFILE_FIELDS)
    back = services.profile_from_data({**data, "a_field_that_left": 1})
    for name in services.PROFILE_FIELDS:
        assert getattr(back, name) == getattr(profile, name), name
    # A field missing from an older session takes its default.
    assert services.profile_from_data({"applicant_type": "img"}).program_size == "any"


def test_a_program_that_left_the_catalogue_is_left_out_with_a_message(db: None) -> None:
    client = with_list(visitor())
    code = services.load_catalogue().code[0]
    session = client.session
    saved = session[store.SESSION_KEY]
    # A saved per-program choice naming a program the catalogue no longer has.
    saved["profile"]["program_choices"] = {code: "dream", "9999140C0": "fine"}
    session[store.SESSION_KEY] = saved
    session.save()
    page = client.get("/programs/").content.decode()
    assert "Program 9999140C0 is no longer in the program catalogue" in page
    assert rows(page) == 30
    kept = client.session[store.SESSION_KEY]["profile"]["program_choices"]
    assert kept == {code: "dream"}


def test_the_landing_page_leads_with_the_list_without_an_account(db: None) -> None:
    page = visitor().get("/").content.decode()
    assert 'href="/programs/profile/">Build my program list — no account</a>' in page
    assert page.index("Build my program list") < page.index("Create your account")
