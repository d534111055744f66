"""What the calibration rests on: who applies where, and what the national Match gives.

These fail when the simulated market drifts from the published figures in a way that
matters (applicant types spread evenly over specialties again, backups placed where
they are not, a type's match rate far off), without timing anything.
"""

from __future__ import annotations

import csv

import numpy as np
import pytest

from preceptor.smartpick import figures
from preceptor.smartpick.catalogue import synthetic_catalogue
from preceptor.smartpick.interview import Applicant
from preceptor.smartpick.recommend import Catalogue, Request, recommend
from preceptor.smartpick.simulation import (
    BACKUP_SHARE,
    KINDS,
    NationalOutcome,
    _primary_backup,
    national_market,
    specialty_type_table,
    typical_list_p_match,
)

from .conftest import SHARED

SPECS = sorted(s.name for s in figures.SPECIALTIES)
IMG = [KINDS.index("usimg"), KINDS.index("img")]


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return Catalogue.from_rows(synthetic_catalogue())


@pytest.fixture(scope="module")
def national(cat: Catalogue) -> NationalOutcome:
    return national_market(cat, seed=0, scale=0.3)


@pytest.mark.skipif(
    not (SHARED / "nrmp_specialty_summary_2015_2024.csv").exists(),
    reason=f"the NRMP specialty summary is not at {SHARED} (see ../shared/data/README.md)",
)
def test_us_md_shares_are_the_published_2024_figures() -> None:
    names = {
        "Internal Medicine (Categorical)": "Internal Medicine",
        "Pediatrics (Categorical)": "Pediatrics",
        "Surgery (Categorical)": "Surgery",
        "Transitional (PGY-1 Only)": "Transitional Year",
        "Obstetrics-Gynecology": "Obstetrics-Gynecology",
        "Family Medicine": "Family Medicine",
        "Emergency Medicine": "Emergency Medicine",
        "Psychiatry": "Psychiatry",
        "Anesthesiology": "Anesthesiology",
        "Neurology": "Neurology",
        "Orthopedic Surgery": "Orthopaedic Surgery",
        "Pathology": "Pathology",
    }
    seen = set()
    with open(SHARED / "nrmp_specialty_summary_2015_2024.csv", newline="") as f:
        for row in csv.DictReader(f):
            if row["Year"] == "2024" and row["Specialty"] in names:
                ours = figures.US_MD_SHARE_2024[names[row["Specialty"]]]
                published = float(row["US MD Senior Applicants to Total Applicants Ratio"])
                assert ours == pytest.approx(published, abs=1e-4), row["Specialty"]
                seen.add(row["Specialty"])
    assert seen == set(names)


def test_type_table_keeps_the_published_applicants_and_us_md_shares() -> None:
    table = specialty_type_table(SPECS)
    applicants = np.array([figures.specialty(s).applicants for s in SPECS])  # type: ignore[union-attr]
    np.testing.assert_allclose(table.sum(axis=1), applicants, rtol=1e-6)
    counts = np.array([figures.TYPE_COUNT_2025[k] for k in KINDS], dtype=float)
    np.testing.assert_allclose(table.sum(axis=0) / table.sum(), counts / counts.sum(), atol=1e-6)
    md_share = table[:, 0] / table.sum(axis=1)
    for s, share in zip(SPECS, md_share, strict=True):
        assert share == pytest.approx(figures.US_MD_SHARE_2024[s], abs=0.05), s


def test_imgs_concentrate_where_us_md_seniors_are_few() -> None:
    table = specialty_type_table(SPECS)
    img = table[:, IMG].sum(axis=1) / table.sum(axis=1)
    share = dict(zip(SPECS, img, strict=True))
    for primary_care in ("Internal Medicine", "Family Medicine", "Pathology"):
        for md_heavy in ("Obstetrics-Gynecology", "Orthopaedic Surgery", "Otolaryngology"):
            assert share[primary_care] > 1.5 * share[md_heavy], (primary_care, md_heavy)


def test_backups_sit_where_applicants_far_exceed_positions() -> None:
    primary, backup = _primary_backup(tuple(SPECS))
    total = primary.sum() + backup.sum()
    assert primary.sum() == pytest.approx(total / (1 + BACKUP_SHARE), rel=1e-3)
    assert (primary >= -1e-9).all() and (backup >= -1e-9).all()
    prefer = dict(zip(SPECS, primary.sum(axis=1) / (primary + backup).sum(axis=1), strict=True))
    # Pediatrics and emergency medicine barely have more applicants than positions:
    # nearly all of them prefer it; the transitional year is mostly others' backup.
    assert prefer["Pediatrics"] > 0.8 and prefer["Emergency Medicine"] > 0.8
    assert prefer["Transitional Year"] < 0.6
    assert prefer["Internal Medicine"] < prefer["Pediatrics"]
    assert min(prefer.values()) >= 0.5 - 1e-9


def test_simulated_applicants_follow_the_type_mix_of_each_specialty(
    national: NationalOutcome,
) -> None:
    for spec in ("Internal Medicine", "Obstetrics-Gynecology", "Pediatrics", "Surgery"):
        share = national.type_share[spec]
        assert share["md"] == pytest.approx(figures.US_MD_SHARE_2024[spec], abs=0.08), spec
    im, ob = national.type_share["Internal Medicine"], national.type_share["Obstetrics-Gynecology"]
    assert im["usimg"] + im["img"] > 1.5 * (ob["usimg"] + ob["img"])


def test_national_match_rates_keep_the_published_order_and_rough_level(
    national: NationalOutcome,
) -> None:
    rate = national.match_rate
    assert rate["md"] > rate["usimg"] > rate["img"] and rate["do"] > rate["usimg"]
    # A 30% sample is noisier than calibrate's full run: 6 points rather than 3.
    for k in KINDS:
        assert rate[k] == pytest.approx(figures.MATCH_RATE_2025[k].value, abs=0.06), k
    # Pediatrics and emergency medicine fill from applicants who prefer them.
    assert national.fill_rate["Pediatrics"] > 0.88
    assert national.fill_rate["Emergency Medicine"] > 0.88
    # Charting Outcomes' like-for-like gap (US MD, within specialty): about 9-11 points.
    assert 6 < national.md_gap < 14


def test_typical_lists_gain_with_length_and_score_and_trail_the_optimised_one(
    cat: Catalogue,
) -> None:
    def p(n: int, score: float) -> float:
        return typical_list_p_match(
            cat, kind="md", specialty="Emergency Medicine", applications=n, score=score,
            applicants=60,
        )  # fmt: skip

    assert p(10, 249) < p(18, 249) < p(30, 249)
    assert p(18, 240) < p(18, 249)
    best = recommend(
        cat,
        Request(applicant=Applicant(kind="md", step2=249, home_state="OH"),
                target="Emergency Medicine", budget=18),
    )  # fmt: skip
    assert p(18, 249) < best.p_match
