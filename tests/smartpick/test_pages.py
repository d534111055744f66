"""The pages: profile form, list, budget, filters, by state, CSV, simulation."""

from __future__ import annotations

import csv
import io
import re

from django.test import Client

from preceptor.accounts.models import User
from preceptor.smartpick import services
from preceptor.smartpick.models import ApplicantProfile, Program, SimulationRun
from tests.smartpick.conftest import FORM, make_profile


def test_a_newcomer_on_a_fresh_install_sees_real_programs(alice_client: Client) -> None:
    r = alice_client.get("/programs/")
    assert r.status_code == 200
    assert b"Build your list" in r.content
    assert b"Synthetic catalogue" not in r.content and b"about these programs" in r.content
    assert Program.objects.count() > 6000
    assert not Program.objects.filter(synthetic=True).exists()
    # A real program of the 2024 Match, with its published positions.
    fm = Program.objects.get(nrmp_code="1001120C0")
    assert (fm.city, fm.state, fm.quota, fm.positions_year) == ("Woodland Hills", "CA", 6, 2020)


def test_it_saves_the_profile_and_shows_the_list(alice: User, alice_client: Client) -> None:
    r = alice_client.post("/programs/profile/", FORM)
    assert r.status_code == 302
    p = ApplicantProfile.objects.get(user=alice)
    assert p.tie_states == ["NJ"] and p.step2_score == 248
    page = alice_client.get("/programs/").content.decode()
    assert "Estimated chance of matching" in page
    assert page.count('class="card sp-row') == 30
    assert "Why:" in page and "Synthetic catalogue" not in page and "synthetic" not in page
    # Every program shows where its positions and place come from, with the year.
    assert page.count('class="muted sp-provenance"') == 30
    assert re.search(r"positions: \d+ \((20\d\d|estimated: specialty mean)\)", page)
    assert re.search(r"location: (city centroid|state only)", page)
    assert "<svg" in page and "plausible range" in page


def test_bad_input_keeps_everything_typed(alice: User, alice_client: Client) -> None:
    bad = {
        **FORM,
        "step2_score": "320",
        "target_specialty": "Astrology",
        "tie_states_text": "NJ, ZZ",
        "research_items": "7",
    }
    r = alice_client.post("/programs/profile/", bad)
    assert r.status_code == 400
    body = r.content.decode()
    assert "between 180 and 300" in body
    assert "“Astrology” is not a specialty in the program catalogue" in body
    assert "ZZ is not a two-letter state code" in body
    assert 'value="320"' in body and 'value="Astrology"' in body and 'value="NJ, ZZ"' in body
    assert 'value="7"' in body
    assert not ApplicantProfile.objects.filter(user=alice).exists()


def test_budget_below_one_application_is_refused(alice: User, alice_client: Client) -> None:
    r = alice_client.post("/programs/profile/", {**FORM, "budget_applications": "0"})
    assert r.status_code == 400
    assert "at least one application" in r.content.decode()
    r = alice_client.post(
        "/programs/profile/", {**FORM, "budget_mode": "dollars", "budget_dollars": "10"}
    )
    assert "does not pay for one application" in r.content.decode()
    assert not ApplicantProfile.objects.filter(user=alice).exists()


def test_contradictory_preferences_are_refused(alice: User, alice_client: Client) -> None:
    r = alice_client.post(
        "/programs/profile/",
        {**FORM, "preferred_states_text": "CA, WA", "max_distance_miles": "100"},
    )
    assert r.status_code == 400
    assert "more than 100 miles from NY" in r.content.decode()
    r = alice_client.post("/programs/profile/", {**FORM, "backup_specialty": "Internal Medicine"})
    assert "same as the target" in r.content.decode()
    r = alice_client.post("/programs/profile/", {**FORM, "couples": "on"})
    assert "Name your partner" in r.content.decode()
    assert not ApplicantProfile.objects.filter(user=alice).exists()


def test_comlex_is_converted(alice: User, alice_client: Client) -> None:
    r = alice_client.post(
        "/programs/profile/",
        {**FORM, "applicant_type": "do", "step2_score": "", "comlex2_score": "690"},
    )
    assert r.status_code == 302
    assert ApplicantProfile.objects.get(user=alice).effective_step2 == 261.0
    assert "converted from COMLEX" in alice_client.get("/programs/").content.decode()


def _p_match(page: str) -> float:
    m = re.search(r'data-p="([0-9.]+)"', page)
    assert m
    return float(m.group(1))


def test_changing_the_budget_moves_the_curve(
    alice_profile: ApplicantProfile, alice_client: Client
) -> None:
    make_profile(
        alice_profile.user,
        applicant_type="img",
        step2_score=230,
        needs_visa=True,
        budget_applications=3,
        signals_gold=0,
        signals_silver=0,
    )
    before = alice_client.get("/programs/").content.decode()
    r = alice_client.post("/programs/budget/", {"applications": "25"})
    assert r.status_code == 302
    after = alice_client.get("/programs/").content.decode()
    assert _p_match(after) > _p_match(before)
    assert 'data-budget="25"' in after and 'data-budget="3"' in before
    assert ApplicantProfile.objects.get(pk=alice_profile.pk).budget_applications == 25


def test_htmx_budget_returns_only_the_results(
    alice_profile: ApplicantProfile, alice_client: Client
) -> None:
    r = alice_client.post("/programs/budget/", {"applications": "12"}, HTTP_HX_REQUEST="true")
    body = r.content.decode()
    assert r.status_code == 200
    assert body.lstrip().startswith('<div id="sp-results">')
    assert 'data-budget="12"' in body and "<html" not in body


def test_a_bad_budget_changes_nothing(
    alice_profile: ApplicantProfile, alice_client: Client
) -> None:
    r = alice_client.post("/programs/budget/", {"applications": "0"})
    assert r.status_code == 400
    assert "A budget is at least one application." in r.content.decode()
    assert ApplicantProfile.objects.get(pk=alice_profile.pk).budget_applications == 30


def test_filters(alice_profile: ApplicantProfile, alice_client: Client) -> None:
    rec = services.recommendation_for(alice_profile)
    state = rec.rows[0].state
    page = alice_client.get("/programs/", {"state": state}).content.decode()
    assert page.count('class="card sp-row') == sum(r.state == state for r in rec.rows)
    page = alice_client.get("/programs/", {"signal": "yes"}).content.decode()
    assert page.count('class="card sp-row') == 10
    page = alice_client.get("/programs/", {"tier": "reach", "q": "zzzz-nothing"}).content.decode()
    assert "No program matches these filters." in page


def test_by_state(alice_profile: ApplicantProfile, alice_client: Client) -> None:
    rec = services.recommendation_for(alice_profile)
    page = alice_client.get("/programs/states/").content.decode()
    for st in {r.state for r in rec.rows}:
        assert f'id="state-{st}"' in page
    assert page.count("location: ") == len(rec.rows) and "About these programs" in page


def test_the_about_page_needs_no_account_and_gives_the_coverage(db: None, client: Client) -> None:
    page = client.get("/programs/about/").content.decode()
    assert "About these programs" in page
    total = Program.objects.count()
    positions = sum(Program.objects.values_list("quota", flat=True))
    assert total > 6000 and f"{total:,}" in page and f"{positions:,}" in page
    # Against NRMP's published totals, with the share.
    assert "6,395" in page and "41,503" in page and "6,626" in page and "43,237" in page
    assert f"({100 * total / 6395:.1f}%)" in page
    known = Program.objects.exclude(positions_basis="estimated").count()
    assert f"{known:,} of {total:,} ({100 * known / total:.1f}%)" in page
    assert '<th scope="row">Internal Medicine</th>' in page
    assert "nrmp_program_results_2014_2020.csv" in page and "build_catalogue" in page


def test_csv_export_is_complete_and_safe(
    alice_profile: ApplicantProfile, alice_client: Client
) -> None:
    first = services.recommendation_for(alice_profile).rows[0]
    evil = Program.objects.get(pk=first.pk)
    evil.institution = '=HYPERLINK("http://x")'
    evil.save()
    r = alice_client.get("/programs/export.csv")
    assert r["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode())))
    assert rows[0][:3] == ["order", "nrmp_code", "program"]
    programs = [row for row in rows[1:] if row and row[0].isdigit()]
    assert len(programs) == 30
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), cell
    assert programs[0][3] == '\'=HYPERLINK("http://x")'
    assert rows[-1][0] == "estimated P(match)"
    # Each program's figures with their source and year.
    head = rows[0]
    cols = [head.index(c) for c in ("positions", "positions_year", "positions_source")]
    for row in programs:
        positions, year, source = (row[c] for c in cols)
        assert source == f"positions: {positions} ({year or 'estimated: specialty mean'})"
        assert row[head.index("location_source")] in (
            "location: city centroid",
            "location: state only",
        )
        assert row[head.index("fill_history")].startswith("fill history: ")


def test_simulation_runs_in_the_background_and_reports(
    alice_profile: ApplicantProfile, alice_client: Client
) -> None:
    make_profile(alice_profile.user, budget_applications=8)
    r = alice_client.post("/programs/simulate/")
    assert r.status_code == 302
    run = SimulationRun.objects.get(user=alice_profile.user)
    # Tasks run immediately in tests: the run is finished, with its figures.
    assert run.status == "done" and run.progress == 100
    assert 0 <= run.result["low"] <= run.result["p_match"] <= run.result["high"] <= 1
    page = alice_client.get(f"/programs/simulations/{run.public_id}/").content.decode()
    assert "Simulated chance of matching" in page and "hx-get" not in page


def test_a_running_simulation_polls(alice_profile: ApplicantProfile, alice_client: Client) -> None:
    run = SimulationRun.objects.create(user=alice_profile.user, status="running", progress=40)
    page = alice_client.get(f"/programs/simulations/{run.public_id}/").content.decode()
    assert 'hx-get="/programs/simulations/' in page
    assert ('value="40"' in page and 'role="progressbar"' not in page) or "progress" in page


def test_another_users_run_is_404(alice_profile: ApplicantProfile, charlie_client: Client) -> None:
    run = SimulationRun.objects.create(user=alice_profile.user)
    assert charlie_client.get(f"/programs/simulations/{run.public_id}/").status_code == 404


def test_get_on_post_routes_is_refused(alice_client: Client) -> None:
    assert alice_client.get("/programs/budget/").status_code == 405
    assert alice_client.get("/programs/simulate/").status_code == 405


def test_dashboard_panel(alice_profile: ApplicantProfile, alice_client: Client) -> None:
    page = alice_client.get("/dashboard/").content.decode()
    assert "Estimated chance of matching in Internal Medicine" in page


def test_preferences_that_fit_no_program_say_so_instead_of_failing(
    alice_profile: ApplicantProfile, alice_client: Client
) -> None:
    # Preferred states only, far from any home: nothing in the catalogue qualifies.
    make_profile(
        alice_profile.user,
        home_state="",
        school_state="",
        preferred_states=["WY"],
        program_size="large",
    )
    assert not services.recommendation_for(
        ApplicantProfile.objects.get(user=alice_profile.user)
    ).rows
    r = alice_client.get("/programs/")
    page = r.content.decode()
    assert r.status_code == 200
    assert "No program in the catalogue fits these preferences" in page
    assert "Widen your preferences" in page and "<svg" not in page
    r = alice_client.post("/programs/simulate/")
    assert r.status_code == 302 and not SimulationRun.objects.filter(user=alice_profile.user)
    assert "there is no list to simulate" in alice_client.get("/programs/").content.decode()


def test_a_simulation_of_an_earlier_list_is_marked_out_of_date(
    alice_profile: ApplicantProfile, alice_client: Client
) -> None:
    alice_client.post("/programs/simulate/")
    run = SimulationRun.objects.get(user=alice_profile.user)
    page = alice_client.get("/programs/").content.decode()
    assert 'data-testid="sim-stale"' not in page
    assert re.search(r'data-testid="sim-p">(&gt;99%|&lt;1%|\d+%)<', page)
    # The budget update's fragment carries the simulation, marked at once.
    body = alice_client.post(
        "/programs/budget/", {"applications": "5"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'data-testid="sim-stale"' in body
    assert body.index("sp-sim-heading") < body.index("sp-list-heading")  # above the list
    page = alice_client.get("/programs/").content.decode()
    assert 'data-testid="sim-stale"' in page and "earlier list of 30 applications" in page
    status = alice_client.get(f"/programs/simulations/{run.public_id}/").content.decode()
    assert 'data-testid="sim-stale"' in status


def test_the_budget_update_keeps_the_filters(
    alice_profile: ApplicantProfile, alice_client: Client
) -> None:
    r = alice_client.post(
        "/programs/budget/", {"applications": "20", "tier": "reach"}, HTTP_HX_REQUEST="true"
    )
    body = r.content.decode()
    rec = services.recommendation_for(ApplicantProfile.objects.get(user=alice_profile.user))
    reach = sum(r.tier == "reach" for r in rec.rows)
    assert reach < len(rec.rows)
    assert body.count('class="card sp-row') == reach
    assert f"({reach} of {len(rec.rows)} shown)" in body


def test_every_profile_problem_shows_in_one_submit(alice: User, alice_client: Client) -> None:
    bad = {**FORM, "step2_score": "999", "max_distance_miles": "50", "home_state": ""}
    page = alice_client.post("/programs/profile/", bad).content.decode()
    assert "A Step 2 CK score is between 180 and 300." in page
    assert "A maximum distance needs your home state." in page
    bad = {**FORM, "budget_applications": "0", "max_distance_miles": "0", "step2_score": "999"}
    page = alice_client.post("/programs/profile/", bad).content.decode()
    assert "A budget is at least one application." in page
    assert "A maximum distance is at least 10 miles" in page
    assert "Ensure this value" not in page
    # Fields required in one case are explained, not marked optional.
    label = re.search(r'<label for="id_step2_score">(.*?)</label>', page, re.S)
    assert label and "optional" not in label.group(1)
    assert "Required unless you give a COMLEX" in page


def test_a_state_that_does_not_exist_is_refused_not_a_crash(
    alice: User, alice_client: Client
) -> None:
    bad = {**FORM, "home_state": "ZZ", "max_distance_miles": "300", "preferred_states_text": "CA"}
    r = alice_client.post("/programs/profile/", bad)
    assert r.status_code == 400
    assert "Home state: choose a state from the list." in r.content.decode()
    # A distance under the minimum gets its own message, not the check across fields.
    bad = {**FORM, "max_distance_miles": "5", "preferred_states_text": "CA"}
    page = alice_client.post("/programs/profile/", bad).content.decode()
    assert "A maximum distance is at least 10 miles" in page
    assert "Every preferred state is more than" not in page
    assert not ApplicantProfile.objects.filter(user=alice).exists()
    # The form's limits are its own: building forms does not stack validators.
    from preceptor.smartpick.forms import ProfileForm

    counts = {
        len(ProfileForm(specialties=[]).fields["max_distance_miles"].validators) for _ in "ab"
    }
    assert len(counts) == 1


def test_a_refused_simulation_over_htmx_is_a_fragment(
    alice_profile: ApplicantProfile, alice_client: Client
) -> None:
    make_profile(alice_profile.user, home_state="", school_state="", preferred_states=["WY"],
                 program_size="large")  # fmt: skip
    r = alice_client.post("/programs/simulate/", HTTP_HX_REQUEST="true")
    body = r.content.decode()
    assert r.status_code == 200 and "<html" not in body
    assert "no list to simulate" in body


def test_a_new_score_makes_the_simulation_out_of_date(
    alice_profile: ApplicantProfile, alice_client: Client
) -> None:
    make_profile(alice_profile.user, applicant_type="img", step2_score=225, needs_visa=True)
    alice_client.post("/programs/simulate/")
    assert 'data-testid="sim-stale"' not in alice_client.get("/programs/").content.decode()
    make_profile(alice_profile.user, applicant_type="img", step2_score=240, needs_visa=True)
    assert 'data-testid="sim-stale"' in alice_client.get("/programs/").content.decode()
