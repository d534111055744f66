"""Preferences: what the applicant wants, the P(match) floor, the list size and its fees,
and the bad input around them."""

from __future__ import annotations

import re

import numpy as np
import pytest
from django.test import Client

from preceptor.accounts.models import User
from preceptor.smartpick import figures, services
from preceptor.smartpick.catalogue import synthetic_catalogue
from preceptor.smartpick.interview import Applicant
from preceptor.smartpick.models import ApplicantProfile
from preceptor.smartpick.recommend import Catalogue, Request, recommend
from tests.smartpick.conftest import FORM, make_profile


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return Catalogue.from_rows(synthetic_catalogue())


def _im(cat: Catalogue, **kw: object) -> Request:
    base: dict = {
        "applicant": Applicant(kind="md", step2=240, home_state="OH", school_state="OH"),
        "target": "Internal Medicine",
        "budget": 20,
        "gold": 3,
        "silver": 7,
    }
    return Request(**{**base, **kw})


def test_with_no_preference_the_list_is_the_safest_one(cat: Catalogue) -> None:
    rec = recommend(cat, _im(cat, floor=0.5))
    assert rec.floor_met and {r.wish for r in rec.rows} == {"fine"}
    assert rec.by_wish == [("Fine", pytest.approx(rec.p_match))]


def test_signals_go_to_wanted_programs_not_to_unfilled_ones_you_would_rather_avoid(
    cat: Catalogue,
) -> None:
    safest = recommend(cat, _im(cat))
    unfilled = {
        str(c)
        for c, s, h in zip(cat.code, cat.specialty, cat.history_fill, strict=True)
        if s == "Internal Medicine" and h < 0.9
    }
    # Without preferences some signals go to programs that often go unfilled (an
    # interview there converts most often).
    signalled = {r.code for r in safest.rows if r.signal}
    assert signalled & unfilled
    wanted = [r.code for r in safest.rows if r.code not in unfilled][:6]
    wishes = tuple(sorted([(c, "avoid") for c in unfilled] + [(c, "dream") for c in wanted]))
    rec = recommend(cat, _im(cat, wishes=wishes))
    assert rec.floor_met and rec.p_match >= 0.9
    # Signals leave them (the value may still keep one there as a safety: a match the
    # applicant would rather not have beats no match), and every gold goes to a dream.
    assert len({r.code for r in rec.rows if r.signal} & unfilled) <= 1 < len(signalled & unfilled)
    assert {r.code for r in rec.rows if r.signal == "gold"} <= set(wanted)
    assert any(r.reasons[0] == "you marked it “dream”" for r in rec.rows)
    # Where you would match: the dream programs now carry a share of the chance.
    shares = dict(rec.by_wish)
    assert shares["Dream"] > 0.1 and sum(shares.values()) == pytest.approx(rec.p_match)


def test_the_floor_holds_and_a_floor_out_of_reach_is_said_with_the_budget_that_reaches_it(
    cat: Catalogue,
) -> None:
    dreams = tuple(
        (str(c), "dream")
        for c, s, z in zip(cat.code, cat.specialty, cat.z, strict=True)
        if s == "Internal Medicine" and z > 1.0
    )[:30]
    for floor in (0.6, 0.8, 0.95):
        rec = recommend(cat, _im(cat, wishes=dreams, floor=floor))
        assert rec.floor_met and rec.p_match >= floor - 1e-9
    rec = recommend(cat, _im(cat, budget=2, gold=0, silver=0, floor=0.95))
    assert not rec.floor_met and rec.best_p < 0.95
    note = next(n for n in rec.notes if "No list of 2 applications" in n)
    assert f"the best is about {rec.best_p:.0%}" in note
    assert rec.floor_budget is not None and rec.floor_budget > 2
    assert f"a list of {rec.floor_budget} applications would reach it" in note


def test_the_recommended_list_size_reaches_the_target_and_says_what_it_saves(
    cat: Catalogue,
) -> None:
    rec = recommend(cat, _im(cat, budget=40, floor=0.9))
    size = rec.recommended_size
    assert 1 <= size < 40
    # The smallest list of that size or fewer that reaches 90% (the safest curve).
    smaller = recommend(cat, _im(cat, budget=size - 1, floor=0.9)) if size > 1 else None
    exact = recommend(cat, _im(cat, budget=size, floor=0.9))
    assert exact.floor_met and exact.p_match >= 0.9
    assert (
        smaller is None or smaller.best_p < 0.9 or "one more application" in rec.recommended_reason
    )
    # A typical US MD in internal medicine sends 40 (the reported median).
    assert rec.typical_applications == 40 and "[reported]" in rec.typical_source
    assert rec.fee_saving == figures.eras_cost(40) - figures.eras_cost(size)
    assert rec.recommended_cost == figures.eras_cost(size)
    # Applications past the point where they help are flagged.
    long = recommend(cat, _im(cat, budget=150, floor=0.9))
    assert long.adds_little > 0
    flagged = [r for r in long.rows if r.adds_little]
    assert all(r.adds < 0.001 for r in flagged) and len(flagged) < len(long.rows)
    # Dropped together they cost little; the list's first programs are never flagged.
    assert long.p_match - long.p_without_little < 0.001 * len(flagged)
    assert not long.rows[0].adds_little
    assert "adds almost nothing: your chances are the same without it" in flagged[0].reasons


def test_typical_counts_carry_their_source_quality(cat: Catalogue) -> None:
    do = recommend(cat, _im(cat, applicant=Applicant(kind="do", step2=240)))
    assert do.typical_applications == 67
    surgery = recommend(cat, _im(cat, target="Surgery", gold=5, silver=10))
    assert surgery.typical_applications == 58 and "[secondary]" in surgery.typical_source


def test_criteria_as_preferences_weigh_instead_of_excluding(cat: Catalogue) -> None:
    only = recommend(cat, _im(cat, preferred_regions=("West",)))
    prefer = recommend(cat, _im(cat, preferred_regions=("West",), criteria_mode="prefer"))
    assert prefer.candidates > only.candidates
    west = {s for s, r in figures.STATE_REGION.items() if r == "West"} | {"OH"}
    assert all(r.state in west for r in only.rows)
    liked = [r for r in prefer.rows if r.wish == "like"]
    assert liked and all(r.state in west for r in liked)
    assert "it meets your preferences" in liked[0].reasons


def test_visa_sponsorship_as_a_criterion(cat: Catalogue) -> None:
    rec = recommend(cat, _im(cat, visa_sponsor=True))
    sponsors = {str(c) for c, v in zip(cat.code, cat.visa, strict=True) if v != 0}
    assert rec.rows and all(r.code in sponsors for r in rec.rows)


def test_signals_above_the_allowance_are_held_to_it_with_a_note(cat: Catalogue) -> None:
    rec = recommend(cat, _im(cat, gold=9, silver=12))
    assert sum(r.signal == "gold" for r in rec.rows) == 3
    assert sum(r.signal == "silver" for r in rec.rows) == 7
    assert any("Internal Medicine allows 3 gold and 7 silver signals" in n for n in rec.notes)


# ------------------------------------------------------------------------ pages


def test_the_profile_page_offers_the_preference_controls(alice_client: Client) -> None:
    page = alice_client.get("/programs/profile/").content.decode()
    for name in ("criteria_mode", "match_floor", "program_wishes_text", "visa_sponsor_wanted"):
        assert f'name="{name}"' in page
    assert "Programs you feel strongly about" in page


def test_it_saves_preferences_and_shows_the_list_size(alice: User, alice_client: Client) -> None:
    code = services.recommendation_for(make_profile(alice)).rows[-1].code
    r = alice_client.post(
        "/programs/profile/",
        {**FORM, "program_wishes_text": f"{code} dream", "match_floor": "85",
         "criteria_mode": "prefer", "visa_sponsor_wanted": "on"},
    )  # fmt: skip
    assert r.status_code == 302
    p = ApplicantProfile.objects.get(user=alice)
    assert p.program_wishes == {code: "dream"} and p.match_floor == 85
    assert p.criteria_mode == "prefer" and p.visa_sponsor_wanted
    page = alice_client.get("/programs/").content.decode()
    assert "How many applications are enough" in page
    assert re.search(
        r'data-testid="list-size">Recommended: <strong>\d+ applications?</strong>', page
    )
    assert "sends about 40 applications ($630 in fees)" in page
    assert "What the tiers mean" in page and "under 20%" in page
    assert f'id="program-{code}"' in page and ">dream</span>" in page
    assert "It keeps at least the 85% chance of matching you asked for" in page
    # The form shows what was saved.
    form = alice_client.get("/programs/profile/").content.decode()
    assert f"{code} dream" in form


def test_marking_a_program_on_the_list_works_without_javascript(
    alice_profile: ApplicantProfile, alice_client: Client
) -> None:
    row = services.recommendation_for(alice_profile).rows[0]
    r = alice_client.post("/programs/wish/", {"code": row.code.lower(), "level": "avoid"})
    assert r.status_code == 302 and r["Location"].endswith(f"#program-{row.code}")
    assert ApplicantProfile.objects.get(pk=alice_profile.pk).program_wishes == {row.code: "avoid"}
    page = alice_client.get("/programs/").content.decode()
    assert f"Saved: would rather not for program {row.code}" in page
    assert 'class="sp-wish"' in page and '<option value="dream">Dream</option>' in page
    # Fine forgets the preference.
    alice_client.post("/programs/wish/", {"code": row.code, "level": "fine"})
    assert ApplicantProfile.objects.get(pk=alice_profile.pk).program_wishes == {}


def test_a_wish_for_a_program_that_does_not_exist_changes_nothing(
    alice_profile: ApplicantProfile, alice_client: Client
) -> None:
    r = alice_client.post("/programs/wish/", {"code": "0000140C0", "level": "dream"})
    assert r.status_code == 302
    page = alice_client.get("/programs/").content.decode()
    assert "No program with the code 0000140C0 is in the catalogue." in page
    r = alice_client.post("/programs/wish/", {"code": "0000140C0", "level": "adore"})
    assert (
        "Choose dream, would like, fine or would rather not."
        in alice_client.get("/programs/").content.decode()
    )
    assert ApplicantProfile.objects.get(pk=alice_profile.pk).program_wishes == {}
    # In the profile form: the error beside the field, everything typed kept.
    r = alice_client.post(
        "/programs/profile/",
        {**FORM, "program_wishes_text": "0000140C0 dream\n1234 sort of", "research_items": "7"},
    )
    body = r.content.decode()
    assert r.status_code == 400
    assert "Line 1: no program with the code 0000140C0 is in the catalogue" in body
    assert "line 2: say dream, would like, fine or would rather not after the code" in body
    assert "0000140C0 dream" in body and 'value="7"' in body


def test_a_stored_wish_for_a_program_no_longer_listed_is_said_and_left_out(
    alice: User, alice_client: Client
) -> None:
    make_profile(alice, program_wishes={"9999140C0": "dream"})
    page = alice_client.get("/programs/").content.decode()
    assert "1 program you gave a preference for is no longer in the catalogue (9999140C0)" in page
    assert page.count('class="card sp-row') == 30


def test_more_signals_than_the_specialty_allows_are_refused(
    alice: User, alice_client: Client
) -> None:
    r = alice_client.post("/programs/profile/", {**FORM, "signals_gold": "5"})
    assert r.status_code == 400
    assert "Internal Medicine allows 3 gold and 7 silver signals; you entered 5 gold signals." in (
        r.content.decode()
    )
    r = alice_client.post(
        "/programs/profile/",
        {**FORM, "target_specialty": "Emergency Medicine", "signals_gold": "7",
         "signals_silver": "2"},
    )  # fmt: skip
    assert "Emergency Medicine allows 7 signals (one tier); enter them as gold signals." in (
        r.content.decode()
    )
    assert not ApplicantProfile.objects.filter(user=alice).exists()


def test_a_floor_outside_fifty_to_ninety_nine_is_refused(alice: User, alice_client: Client) -> None:
    page = alice_client.post("/programs/profile/", {**FORM, "match_floor": "100"}).content.decode()
    assert "at most 99%: no list makes a match certain" in page
    page = alice_client.post("/programs/profile/", {**FORM, "match_floor": "20"}).content.decode()
    assert "The chance you want is at least 50%." in page
    assert not ApplicantProfile.objects.filter(user=alice).exists()


def test_using_the_recommended_size_sets_the_budget(
    alice_profile: ApplicantProfile, alice_client: Client
) -> None:
    rec = services.recommendation_for(alice_profile)
    assert rec.recommended_size != 30
    page = alice_client.get("/programs/").content.decode()
    assert f"Use {rec.recommended_size} application" in page
    alice_client.post("/programs/budget/", {"applications": str(rec.recommended_size)})
    assert (
        ApplicantProfile.objects.get(pk=alice_profile.pk).budget_applications
        == rec.recommended_size
    )
    assert np.isfinite(rec.p_match)


def test_preferences_that_exclude_every_program_say_so_with_a_link_to_widen_them(
    alice: User, alice_client: Client
) -> None:
    narrow = {"home_state": "", "school_state": "", "preferred_states": ["WY"],
              "visa_sponsor_wanted": True, "program_size": "large"}  # fmt: skip
    make_profile(alice, **narrow)
    page = alice_client.get("/programs/").content.decode()
    assert "No program in the catalogue fits these preferences. Widen them." in page
    assert 'href="/programs/profile/">Widen your preferences</a>' in page
    assert "How many applications are enough" not in page
    # As preferences instead of filters, the same choices leave a list.
    make_profile(alice, **narrow, criteria_mode="prefer")
    page = alice_client.get("/programs/").content.decode()
    assert page.count('class="card sp-row') == 30


def test_the_api_gives_the_floor_the_list_size_and_each_programs_wish(
    alice: User, alice_client: Client
) -> None:
    code = services.recommendation_for(make_profile(alice)).rows[0].code
    make_profile(alice, program_wishes={code: "dream"}, match_floor=80)
    data = alice_client.get("/api/v1/programs/recommendation").json()
    assert data["floor"] == 0.8 and data["floor_met"] is True
    assert data["recommended_size"] >= 1 and data["typical_applications"] == 40
    assert data["fee_saving"] == figures.eras_cost(40) - data["recommended_eras_cost"]
    assert "[reported]" in data["typical_source"]
    assert {p["nrmp_code"]: p["wish"] for p in data["programs"]}[code] == "dream"
