"""The JSON API, the calibration report and the demo seeder."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from preceptor.accounts.models import User
from preceptor.smartpick import panels, services
from preceptor.smartpick.models import ApplicantProfile, SimulationRun
from tests.smartpick.conftest import make_profile


def test_api_recommendation(alice_profile: ApplicantProfile, alice_client: Client) -> None:
    r = alice_client.get("/api/v1/programs/recommendation")
    assert r.status_code == 200
    data = r.json()
    assert len(data["programs"]) == 30 and data["synthetic_catalogue"] is False
    assert data["p_match_low"] <= data["p_match"] <= data["p_match_high"]
    assert data["programs"][0]["reasons"]
    # Every program's figures carry their source and year.
    for p in data["programs"]:
        prov = p["provenance"]
        assert prov["positions_basis"] in ("results", "florida", "estimated")
        assert (prov["positions_year"] is None) == (prov["positions_basis"] == "estimated")
        assert prov["positions_note"].startswith(f"positions: {prov['positions']} (")
        assert prov["location_note"] in ("location: city centroid", "location: state only")
        assert prov["positions_source"] and prov["location_source"]


def test_api_budget(alice_profile: ApplicantProfile, alice_client: Client) -> None:
    r = alice_client.put(
        "/api/v1/programs/budget", {"applications": 5}, content_type="application/json"
    )
    assert r.status_code == 200 and len(r.json()["programs"]) == 5
    r = alice_client.put(
        "/api/v1/programs/budget", {"applications": 0}, content_type="application/json"
    )
    assert r.status_code == 422 and "at least one application" in r.json()["detail"]
    assert ApplicantProfile.objects.get(pk=alice_profile.pk).budget_applications == 5


def test_api_without_a_profile_says_what_to_do(alice_client: Client) -> None:
    data = alice_client.get("/api/v1/programs/recommendation").json()
    assert data["programs"] == [] and "profile first" in data["notes"][0]


def test_api_simulation(alice_profile: ApplicantProfile, alice_client: Client) -> None:
    services.set_budget(alice_profile.user, 6)
    r = alice_client.post("/api/v1/programs/simulations")
    assert r.status_code == 201
    run_id = r.json()["id"]
    r = alice_client.get(f"/api/v1/programs/simulations/{run_id}")
    assert r.json()["status"] == "done" and r.json()["progress"] == 100


def test_api_another_users_run_is_404(alice: User, charlie_client: Client) -> None:
    run = SimulationRun.objects.create(user=alice)
    assert charlie_client.get(f"/api/v1/programs/simulations/{run.public_id}").status_code == 404


def test_demo_seeder_gives_a_list_at_once(alice: User) -> None:
    panels.seed_demo(alice)
    rec = services.recommendation_for(ApplicantProfile.objects.get(user=alice))
    assert rec.rows and rec.p_match > 0.5
    assert ApplicantProfile.objects.get(user=alice).target_specialty == "Internal Medicine"


def test_calibrate_prints_each_target_with_pass_or_fail(db: None) -> None:
    out = io.StringIO()
    call_command("calibrate", "--scale", "0.1", "--markets", "2", "--seed", "3", stdout=out)
    text = out.getvalue()
    for label in ("US MD", "Non-US-citizen IMG", "Internal Medicine", "Family Medicine"):
        assert label in text
    assert "93.5%" in text and "58.0%" in text and "[NRMP]" in text
    assert "seed 3:" in text and "seed 4:" in text and "seed 5:" not in text
    assert "targets met" in text
    assert text.count("pass") + text.count("FAIL") >= 20
    # Each simulated target shows the mean of the markets, then their range around it.
    row = next(line for line in text.splitlines() if line.strip().startswith("US MD "))
    mean = float(re.findall(r"(\d+\.\d)%", row)[0])
    lo, hi = (float(v) for v in re.findall(r"(\d+\.\d)%-(\d+\.\d)%", row)[0])
    assert lo <= mean <= hi


@pytest.mark.parametrize(
    "args",
    [
        ["--markets", "0"],
        ["--scale", "0"],
        ["--scale", "1.5"],
        # An experiment is not the model in use: it never replaces the stored report.
        ["--experiment", "filled-pool", "--write", "report.json"],
    ],
)
def test_calibrate_refuses_bad_arguments(db: None, args: list[str]) -> None:
    with pytest.raises(CommandError):
        call_command("calibrate", *args, stdout=io.StringIO())


def test_calibrate_reruns_an_experiment_and_says_so(db: None) -> None:
    out = io.StringIO()
    call_command("calibrate", "--scale", "0.1", "--markets", "1", "--experiment", "filled-pool",
                 stdout=out)  # fmt: skip
    text = out.getvalue()
    assert "Experiment filled-pool (not the model in use)." in text
    assert "targets met" in text


def test_api_refuses_to_simulate_an_empty_list(
    alice_profile: ApplicantProfile, alice_client: Client
) -> None:
    make_profile(alice_profile.user, home_state="", school_state="", preferred_states=["WY"],
                 program_size="large")  # fmt: skip
    r = alice_client.post("/api/v1/programs/simulations")
    assert r.status_code == 200
    assert "no list to simulate" in r.json()["detail"]
    assert not SimulationRun.objects.filter(user=alice_profile.user).exists()
