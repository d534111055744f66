"""Published figures SmartPick rests on, typed in with their source and its quality.

Quality tags follow DOMAIN.md §6: ``NRMP`` (NRMP's own release or a report quoting it
directly), ``secondary`` (a reputable summary), ``reported`` (a blog, forum or crowd
source: a rough anchor), ``assumption`` (a model choice of ours, named as such). Every
page that shows a number built on these says which ones it used.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "APPLICANT_TYPES",
    "FILLED_BY_TYPE_2025",
    "FILL_2025",
    "FILL_RATE_2025",
    "INTERVIEW_MEDIANS",
    "MATCH_BY_STEP2_US_MD",
    "MATCH_RATE_2025",
    "PREFERRED_MATCH_2024",
    "SIGNAL_PROFILE",
    "SPECIALTIES",
    "STATES",
    "STEP2_PASS",
    "UNFILLED_2024",
    "US_MD_SHARE_2024",
    "VISA_SHARE_IM",
    "Figure",
    "SpecialtyFigures",
    "eras_cost",
    "fill_rate",
    "max_applications_for",
    "specialty",
    "visa_share",
]


@dataclass(frozen=True)
class Figure:
    value: float
    source: str
    quality: str


@dataclass(frozen=True)
class SpecialtyFigures:
    """One specialty (PGY-1 unless the track says A)."""

    name: str
    code: str  # ACGME specialty code (the SSS of an NRMP program code)
    track: str
    positions: int  # NRMP 2024 positions offered [NRMP]
    applicants: int  # NRMP 2024 applicants [NRMP]
    program_size: float  # NRMP 2024 average program size [NRMP]
    step2_mean: float  # matched US MD seniors, Charting Outcomes 2024 means [reported]
    signals_gold: int  # default signals, user-editable [reported]
    signals_silver: int
    visa_share: float  # share of programs sponsoring visas [assumption]

    @property
    def applicants_per_position(self) -> float:
        return self.applicants / self.positions


# Positions, applicants and sizes: NRMP Results and Data, 2024 Main Residency Match,
# PGY-1 tables [NRMP] (the same rows as preceptor.match.synthetic.SPECIALTIES).
# Step 2 CK means: DOMAIN.md §6, Charting Outcomes 2024 [reported]; 250 where none is
# published. Signal counts: the ERAS preference-signalling table as commonly reported
# for the 2025 cycle [reported] — the form lets the applicant correct them.
SPECIALTIES: tuple[SpecialtyFigures, ...] = (
    SpecialtyFigures("Anesthesiology", "040", "C", 1695, 3034, 9.52, 250, 5, 0, 0.3),
    SpecialtyFigures("Child Neurology", "185", "C", 184, 271, 2.33, 247, 3, 0, 0.4),
    SpecialtyFigures("Dermatology", "080", "C", 30, 295, 2.14, 257, 3, 25, 0.1),
    SpecialtyFigures("Emergency Medicine", "110", "C", 3026, 3574, 10.36, 249, 7, 0, 0.3),
    SpecialtyFigures("Family Medicine", "120", "C", 5213, 7081, 6.55, 244, 5, 0, 0.6),
    SpecialtyFigures("Internal Medicine", "140", "C", 10261, 15451, 14.51, 250, 3, 7, 0.6),
    SpecialtyFigures("Internal Medicine-Primary", "140", "M", 420, 2034, 4.62, 250, 3, 7, 0.5),
    SpecialtyFigures("Interventional Radiology", "416", "C", 51, 293, 1.82, 256, 3, 0, 0.2),
    SpecialtyFigures("Medicine-Pediatrics", "700", "C", 390, 644, 5.06, 248, 5, 0, 0.4),
    SpecialtyFigures("Neurological Surgery", "160", "C", 241, 423, 2.08, 254, 5, 0, 0.2),
    SpecialtyFigures("Neurology", "180", "C", 878, 1676, 5.93, 249, 3, 0, 0.6),
    SpecialtyFigures("Obstetrics-Gynecology", "220", "C", 1539, 2143, 5.29, 249, 3, 15, 0.3),
    SpecialtyFigures("Orthopaedic Surgery", "260", "C", 916, 1492, 4.20, 257, 30, 0, 0.1),
    SpecialtyFigures("Otolaryngology", "280", "C", 382, 513, 2.77, 255, 5, 20, 0.1),
    SpecialtyFigures("Pathology", "300", "C", 628, 1047, 3.55, 248, 5, 0, 0.7),
    SpecialtyFigures("Pediatrics", "320", "C", 3078, 3531, 12.26, 247, 5, 0, 0.4),
    SpecialtyFigures(
        "Physical Medicine & Rehabilitation", "340", "C", 219, 749, 4.21, 247, 3, 0, 0.3
    ),
    SpecialtyFigures("Plastic Surgery (Integrated)", "362", "C", 213, 362, 2.32, 255, 3, 0, 0.1),
    SpecialtyFigures("Psychiatry", "400", "C", 2261, 3176, 5.92, 246, 3, 0, 0.5),
    SpecialtyFigures("Radiation Oncology", "430", "C", 12, 133, 2.00, 254, 3, 0, 0.2),
    SpecialtyFigures("Radiology-Diagnostic", "420", "C", 145, 1171, 4.26, 256, 3, 0, 0.3),
    SpecialtyFigures("Surgery", "440", "C", 1717, 3164, 4.73, 252, 5, 10, 0.3),
    SpecialtyFigures("Thoracic Surgery", "461", "C", 48, 114, 1.41, 252, 5, 0, 0.1),
    SpecialtyFigures("Transitional Year", "999", "P", 1747, 4746, 8.05, 250, 0, 0, 0.3),
    SpecialtyFigures("Vascular Surgery", "451", "C", 100, 163, 1.63, 252, 5, 0, 0.1),
)

_BY_NAME = {s.name.lower(): s for s in SPECIALTIES}


def specialty(name: str) -> SpecialtyFigures | None:
    """The published figures of a specialty, by name (case-insensitive)."""
    return _BY_NAME.get(name.strip().lower())


APPLICANT_TYPES: tuple[tuple[str, str], ...] = (
    ("md", "US MD"),
    ("do", "US DO"),
    ("usimg", "US-citizen IMG"),
    ("img", "Non-US-citizen IMG"),
)

# NRMP Main Match 2025, PGY-1 match rate by applicant type [NRMP].
MATCH_RATE_2025: dict[str, Figure] = {
    "md": Figure(0.935, "NRMP Main Match 2025, US MD seniors (20,368 active)", "NRMP"),
    "do": Figure(0.926, "NRMP Main Match 2025, US DO seniors (8,392)", "NRMP"),
    "usimg": Figure(0.678, "NRMP Main Match 2025, US-citizen IMGs (4,587)", "NRMP"),
    "img": Figure(0.580, "NRMP Main Match 2025, non-US-citizen IMGs (11,465)", "NRMP"),
}
TYPE_COUNT_2025 = {"md": 20368, "do": 8392, "usimg": 4587, "img": 11465}

# Share of each specialty's applicants who are US MD seniors: NRMP Results and Data,
# 2024 Main Residency Match, PGY-1 table "US MD senior applicants / total applicants"
# [NRMP] (``../shared/data/nrmp_specialty_summary_2015_2024.csv``, year 2024). The
# simulation splits each specialty's applicants by type with it (see
# ``simulation.specialty_type_table``): IMGs concentrate where US MD seniors are few.
US_MD_SHARE_2024: dict[str, float] = {
    "Anesthesiology": 0.5574,
    "Child Neurology": 0.5498,
    "Dermatology": 0.7763,
    "Emergency Medicine": 0.3878,
    "Family Medicine": 0.2430,
    "Internal Medicine": 0.2734,
    "Internal Medicine-Primary": 0.3658,
    "Interventional Radiology": 0.6382,
    "Medicine-Pediatrics": 0.6739,
    "Neurological Surgery": 0.7069,
    "Neurology": 0.3974,
    "Obstetrics-Gynecology": 0.6108,
    "Orthopaedic Surgery": 0.6756,
    "Otolaryngology": 0.8226,
    "Pathology": 0.2827,
    "Pediatrics": 0.4579,
    "Physical Medicine & Rehabilitation": 0.4660,
    "Plastic Surgery (Integrated)": 0.7127,
    "Psychiatry": 0.4912,
    "Radiation Oncology": 0.6241,
    "Radiology-Diagnostic": 0.6345,
    "Surgery": 0.4678,
    "Thoracic Surgery": 0.7018,
    "Transitional Year": 0.6096,
    "Vascular Surgery": 0.5706,
}

# 2025 fill rates [secondary, quoting NRMP]: the synthetic catalogue draws each
# specialty's fill histories around them (2024's where no 2025 rate is published).
FILL_RATE_2025: dict[str, float] = {
    "Orthopaedic Surgery": 1.0,
    "Plastic Surgery (Integrated)": 1.0,
    "Vascular Surgery": 1.0,
    "Thoracic Surgery": 1.0,
    "Surgery": 0.998,
    "Otolaryngology": 0.997,
    "Obstetrics-Gynecology": 1586 / 1587,  # see FILL_2025: ACS Brief's 99.1% is a typo
    "Neurological Surgery": 0.989,
    "Internal Medicine": 0.967,
    "Pediatrics": 0.953,
    "Family Medicine": 0.850,
    # NRMP 2025 PGY-1 table as tabulated by rxradio.fm [secondary] (see FILL_2025).
    "Anesthesiology": 1804 / 1805,
    "Neurology": 925 / 932,
    "Transitional Year": 1617 / 1860,
}

# 2024 fill rates [NRMP Results and Data 2024, PGY-1 table: 1 - unfilled / offered].
FILL_RATE_2024: dict[str, float] = {
    "Internal Medicine": 1 - 494 / 10261,
    "Family Medicine": 1 - 636 / 5213,
    "Pediatrics": 1 - 251 / 3078,
    "Emergency Medicine": 1 - 135 / 3026,
    "Psychiatry": 1 - 12 / 2261,
    "Surgery": 1 - 5 / 1717,
    "Anesthesiology": 1 - 0 / 1695,
    "Transitional Year": 1 - 231 / 1747,
    "Obstetrics-Gynecology": 1 - 6 / 1539,
    "Neurology": 1 - 1 / 878,
}

# Every catalogue specialty's 2024 PGY-1 fill rate, 1 - unfilled / offered [NRMP Results
# and Data 2024, PGY-1 table; ``../shared/data/nrmp_specialty_summary_2015_2024.csv``]:
# the synthetic catalogue draws fill histories from it where no 2025 rate is published.
UNFILLED_2024: dict[str, tuple[int, int]] = {
    "Anesthesiology": (0, 1695),
    "Child Neurology": (7, 184),
    "Dermatology": (0, 30),
    "Emergency Medicine": (135, 3026),
    "Family Medicine": (636, 5213),
    "Internal Medicine": (494, 10261),
    "Internal Medicine-Primary": (4, 420),
    "Interventional Radiology": (1, 51),
    "Medicine-Pediatrics": (0, 390),
    "Neurological Surgery": (0, 241),
    "Neurology": (1, 878),
    "Obstetrics-Gynecology": (6, 1539),
    "Orthopaedic Surgery": (1, 916),
    "Otolaryngology": (1, 382),
    "Pathology": (7, 628),
    "Pediatrics": (251, 3078),
    "Physical Medicine & Rehabilitation": (0, 219),
    "Plastic Surgery (Integrated)": (0, 213),
    "Psychiatry": (12, 2261),
    "Radiation Oncology": (0, 12),
    "Radiology-Diagnostic": (3, 145),
    "Surgery": (5, 1717),
    "Thoracic Surgery": (0, 48),
    "Transitional Year": (231, 1747),
    "Vascular Surgery": (1, 100),
}


def fill_rate(name: str) -> float:
    """A specialty's latest published fill rate: 2025 where published, else 2024.

    >>> fill_rate("Family Medicine"), round(fill_rate("Psychiatry"), 4)
    (0.85, 0.9947)
    """
    if name in FILL_RATE_2025:
        return FILL_RATE_2025[name]
    unfilled, offered = UNFILLED_2024[name]
    return 1 - unfilled / offered


# 2025 fill by specialty: (filled, positions offered) where a 2025 count is published,
# with the source and its quality (DOMAIN.md §6; news and society reports quoting NRMP's
# 2025 release). The calibration report judges each specialty against its 2025 figure
# where one is published and its 2024 one otherwise, and names the year.
FILL_2025: dict[str, tuple[Figure, int]] = {
    "Family Medicine": (
        Figure(4552 / 5357, "AAFP, 2025 Match results: 817 programs, 5,357 positions, 4,552 filled",
               "secondary"), 5357),
    "Internal Medicine": (
        Figure(11379 / 11750, "NRMP 2025 as reported (DOMAIN.md §6): 11,379 of 11,750 filled",
               "secondary"), 11750),
    "Pediatrics": (
        Figure(0.953, "Healio, Match Day 2025 (quoting NRMP): 3,193 positions, 95.3% filled",
                "secondary"), 3193),
    "Emergency Medicine": (
        Figure(0.979, "NRMP 2025 as reported (DOMAIN.md §6): 3,068 positions, 97.9% filled",
               "secondary"), 3068),
    "Psychiatry": (
        Figure(2380 / 2388, "NRMP 2025 as reported (DOMAIN.md §6): 2,380 of 2,388 filled",
               "secondary"), 2388),
    "Surgery": (
        Figure(0.998, "ACS Brief, 25 March 2025 (quoting NRMP): 1,778 positions, 4 unfilled",
               "secondary"), 1778),
    # ACS Brief prints 99.1% beside "1,587 positions, 1 unfilled", which is 99.9%; the
    # 2025 PGY-1 table (rxradio.fm) and Medscape ("all but one were filled") agree on
    # 1,586 of 1,587, so DOMAIN.md's 99.1% is read as a typo.
    "Obstetrics-Gynecology": (
        Figure(1586 / 1587, "NRMP 2025 PGY-1 table as tabulated by rxradio.fm, and Medscape "
               "(quoting NRMP): 1,586 of 1,587 filled (ACS Brief's 99.1% is a typo)",
               "secondary"), 1587),
    "Transitional Year": (
        Figure(1617 / 1860, "NRMP 2025 PGY-1 table as tabulated by rxradio.fm: Transitional "
               "(PGY-1 only), 1,617 of 1,860 filled, 86.9%", "secondary"), 1860),
    "Neurology": (
        Figure(925 / 932, "NRMP 2025 PGY-1 table as tabulated by rxradio.fm: 925 of 932 "
               "filled, 99.2%", "secondary"), 932),
    "Anesthesiology": (
        Figure(1804 / 1805, "NRMP 2025 PGY-1 table as tabulated by rxradio.fm: 1,804 of 1,805 "
               "filled, 99.9%", "secondary"), 1805),
}  # fmt: skip

# Share of each specialty's filled PGY-1 positions by applicant type in the 2025 Match
# (US MD seniors, US DO seniors, US-citizen IMGs, non-US IMGs, in percent; the rest are
# earlier graduates and others): NRMP 2025 PGY-1 table by specialty as tabulated by
# rxradio.fm ("2025 Residency Match Rates by Specialty") [secondary]. ``calibrate``
# prints the simulated shares beside them: the check of the programs' preference by
# type (``simulation.TYPE_BIAS``) and of each specialty's type mix.
FILLED_BY_TYPE_2025: dict[str, tuple[float, float, float, float]] = {
    "Internal Medicine": (34.6, 17.2, 10.5, 32.7),
    "Family Medicine": (28.0, 27.7, 11.7, 15.0),
    "Pediatrics": (47.5, 20.4, 8.0, 18.8),
    "Emergency Medicine": (44.9, 35.1, 10.3, 4.3),
    "Psychiatry": (60.0, 22.7, 6.4, 8.0),
    "Transitional Year": (56.6, 6.5, 4.8, 5.7),
    "Anesthesiology": (72.1, 17.1, 2.6, 4.7),
    "Surgery": (62.5, 14.7, 5.6, 6.4),
    "Obstetrics-Gynecology": (69.9, 19.8, 3.2, 2.8),
    "Neurology": (52.8, 16.5, 4.9, 23.9),
    "Orthopaedic Surgery": (77.9, 14.1, 0.9, 1.5),
    "Pathology": (42.1, 9.2, 9.2, 27.0),
}

# Share of the applicants who preferred a specialty that matched in it, by type, 2024
# (US MD seniors, US DO seniors, IMGs of both kinds together): Charting Outcomes 2024 as
# summarised by thesuccessfulmatch.com ("only 6% of US MD seniors failed to match ...
# osteopathic and international medical graduate applicants ... 15% and 50%")
# [secondary]. Neurology is the only specialty found (docs/smartpick.md, "Calibration"):
# ``calibrate`` prints the simulated rates beside it, not a target and no input.
PREFERRED_MATCH_2024: dict[str, dict[str, Figure]] = {
    "Neurology": {
        "md": Figure(0.94, "Charting Outcomes 2024 via thesuccessfulmatch.com: 6% unmatched",
                     "secondary"),
        "do": Figure(0.85, "Charting Outcomes 2024 via thesuccessfulmatch.com: 15% unmatched",
                     "secondary"),
        "imgs": Figure(0.50, "Charting Outcomes 2024 via thesuccessfulmatch.com: 50% unmatched",
                       "secondary"),
    },
}  # fmt: skip

# The score effect. Match rate of US MD seniors by Step 2 CK band, all specialties
# together, as a blog summary of NRMP Charting Outcomes gives it (residencyadvisor.com,
# "Step 2 CK benchmarks: where matched vs unmatched applicants diverge", 2026)
# [reported: an approximation of Charting Outcomes' tables, not NRMP's own numbers].
# Band midpoints: 220-229 -> 70%, 240-249 -> 90%, 260+ -> 96%. The interview model's
# score slope is fixed by the log-odds rise of this curve from 225 to 265 (see
# interview.Params.score and docs/smartpick.md).
MATCH_BY_STEP2_US_MD: dict[float, Figure] = {
    225.0: Figure(0.70, "Charting Outcomes as summarised by residencyadvisor.com", "reported"),
    245.0: Figure(0.90, "Charting Outcomes as summarised by residencyadvisor.com", "reported"),
    265.0: Figure(0.96, "Charting Outcomes as summarised by residencyadvisor.com", "reported"),
}

# Visa sponsorship where a program's own policy is unknown. Internal medicine: 267 of 419
# categorical programs reported accepting J-1 visas (Tiako, Fatola and Nwadiuko, J Grad Med
# Educ 2022;14(6):680) [secondary]. Other specialties: the catalogue's share
# (SpecialtyFigures.visa_share) [assumption].
VISA_SHARE_IM = Figure(
    267 / 419,
    "Tiako et al., J Grad Med Educ 2022: 267 of 419 internal medicine programs accept J-1 visas",
    "secondary",
)


def visa_share(name: str) -> Figure:
    """The chance that a program of this specialty whose policy is unknown sponsors visas.

    >>> round(visa_share("Internal Medicine").value, 3), visa_share("Surgery").quality
    (0.637, 'assumption')
    """
    if name in ("Internal Medicine", "Internal Medicine-Primary"):
        return VISA_SHARE_IM
    s = specialty(name)
    share = s.visa_share if s is not None else 0.5
    return Figure(share, f"share of {name} programs sponsoring visas", "assumption")


# Internal medicine applicants 2023-24, self-reported medians [reported]:
# (applications, interviews) by applicant type; IMGs are not split by citizenship.
INTERVIEW_MEDIANS: dict[str, tuple[int, int]] = {
    "md": (40, 13),
    "do": (67, 12),
    "usimg": (160, 4),
    "img": (160, 4),
}

# One internal medicine program's 2026 profile [reported]: interview rate by signal,
# by geography and by applicant type.
SIGNAL_PROFILE = {
    "gold": 0.36,
    "silver": 0.25,
    "none": 0.04,
    "in_state": 0.37,
    "out_of_state": 0.04,
    "md": 0.51,
    "do": 0.42,
    "usimg": 0.08,
    "img": 0.0,
}

# Step 2 CK passing score: 218 for examinations from 1 July 2025 (214 before; DOMAIN.md
# §6 still says 214) [secondary: acemedboards.com and medvily.com, quoting the USMLE
# Management Committee's announcement].
STEP2_PASS = 218
STEP2_SD = 13.0  # SD of Step 2 CK among matched applicants, about 13 [reported]

# ERAS fees from the 2025 cycle on [secondary]: $11 per program for the first 30
# applications, $30 for each one after.
ERAS_FEE_SOURCE = "ERAS fee schedule, 2025 cycle on: $11 each for 30, then $30 each [secondary]"


def eras_cost(n: int) -> int:
    """Dollars ERAS charges for ``n`` applications in one specialty.

    >>> eras_cost(30), eras_cost(40)
    (330, 630)
    """
    if n < 0:
        raise ValueError("the number of applications cannot be negative")
    return 11 * min(n, 30) + 30 * max(0, n - 30)


def max_applications_for(dollars: int) -> int:
    """The most applications ``dollars`` pay for.

    >>> max_applications_for(10), max_applications_for(11), max_applications_for(630)
    (0, 1, 40)
    """
    if dollars <= 330:
        return max(0, dollars // 11)
    return 30 + (dollars - 330) // 30


# States: USPS code, name, census region, and the coordinates of the largest city
# (approximate city-centre latitude and longitude, public geographic data).
STATES: tuple[tuple[str, str, str, str, float, float], ...] = (
    ("AL", "Alabama", "South", "Birmingham", 33.52, -86.80),
    ("AK", "Alaska", "West", "Anchorage", 61.22, -149.90),
    ("AZ", "Arizona", "West", "Phoenix", 33.45, -112.07),
    ("AR", "Arkansas", "South", "Little Rock", 34.75, -92.29),
    ("CA", "California", "West", "Los Angeles", 34.05, -118.24),
    ("CO", "Colorado", "West", "Denver", 39.74, -104.99),
    ("CT", "Connecticut", "Northeast", "New Haven", 41.31, -72.92),
    ("DE", "Delaware", "South", "Wilmington", 39.74, -75.55),
    ("DC", "District of Columbia", "South", "Washington", 38.91, -77.04),
    ("FL", "Florida", "South", "Miami", 25.76, -80.19),
    ("GA", "Georgia", "South", "Atlanta", 33.75, -84.39),
    ("HI", "Hawaii", "West", "Honolulu", 21.31, -157.86),
    ("ID", "Idaho", "West", "Boise", 43.62, -116.20),
    ("IL", "Illinois", "Midwest", "Chicago", 41.88, -87.63),
    ("IN", "Indiana", "Midwest", "Indianapolis", 39.77, -86.16),
    ("IA", "Iowa", "Midwest", "Des Moines", 41.59, -93.62),
    ("KS", "Kansas", "Midwest", "Wichita", 37.69, -97.34),
    ("KY", "Kentucky", "South", "Louisville", 38.25, -85.76),
    ("LA", "Louisiana", "South", "New Orleans", 29.95, -90.07),
    ("ME", "Maine", "Northeast", "Portland", 43.66, -70.26),
    ("MD", "Maryland", "South", "Baltimore", 39.29, -76.61),
    ("MA", "Massachusetts", "Northeast", "Boston", 42.36, -71.06),
    ("MI", "Michigan", "Midwest", "Detroit", 42.33, -83.05),
    ("MN", "Minnesota", "Midwest", "Minneapolis", 44.98, -93.27),
    ("MS", "Mississippi", "South", "Jackson", 32.30, -90.18),
    ("MO", "Missouri", "Midwest", "St. Louis", 38.63, -90.20),
    ("MT", "Montana", "West", "Billings", 45.78, -108.50),
    ("NE", "Nebraska", "Midwest", "Omaha", 41.26, -95.93),
    ("NV", "Nevada", "West", "Las Vegas", 36.17, -115.14),
    ("NH", "New Hampshire", "Northeast", "Manchester", 42.99, -71.46),
    ("NJ", "New Jersey", "Northeast", "Newark", 40.74, -74.17),
    ("NM", "New Mexico", "West", "Albuquerque", 35.08, -106.65),
    ("NY", "New York", "Northeast", "New York", 40.71, -74.01),
    ("NC", "North Carolina", "South", "Charlotte", 35.23, -80.84),
    ("ND", "North Dakota", "Midwest", "Fargo", 46.88, -96.79),
    ("OH", "Ohio", "Midwest", "Columbus", 39.96, -83.00),
    ("OK", "Oklahoma", "South", "Oklahoma City", 35.47, -97.52),
    ("OR", "Oregon", "West", "Portland", 45.52, -122.68),
    ("PA", "Pennsylvania", "Northeast", "Philadelphia", 39.95, -75.17),
    ("PR", "Puerto Rico", "South", "San Juan", 18.47, -66.11),
    ("RI", "Rhode Island", "Northeast", "Providence", 41.82, -71.41),
    ("SC", "South Carolina", "South", "Charleston", 32.78, -79.93),
    ("SD", "South Dakota", "Midwest", "Sioux Falls", 43.55, -96.73),
    ("TN", "Tennessee", "South", "Nashville", 36.16, -86.78),
    ("TX", "Texas", "South", "Houston", 29.76, -95.37),
    ("UT", "Utah", "West", "Salt Lake City", 40.76, -111.89),
    ("VT", "Vermont", "Northeast", "Burlington", 44.48, -73.21),
    ("VA", "Virginia", "South", "Richmond", 37.54, -77.44),
    ("WA", "Washington", "West", "Seattle", 47.61, -122.33),
    ("WV", "West Virginia", "South", "Charleston", 38.35, -81.63),
    ("WI", "Wisconsin", "Midwest", "Milwaukee", 43.04, -87.91),
    ("WY", "Wyoming", "West", "Cheyenne", 41.14, -104.82),
)
STATE_CODES = {s[0] for s in STATES}
STATE_BY_NAME = {s[1].upper(): s[0] for s in STATES}
STATE_REGION = {s[0]: s[2] for s in STATES}
STATE_COORDS = {s[0]: (s[4], s[5]) for s in STATES}
REGIONS = ("Northeast", "Midwest", "South", "West")
# 2020 census population (millions) of each state, rounded [US Census Bureau]; the
# synthetic catalogue spreads programs roughly by population.
STATE_POP = {
    "AL": 5.0, "AK": 0.7, "AZ": 7.2, "AR": 3.0, "CA": 39.5, "CO": 5.8, "CT": 3.6,
    "DE": 1.0, "DC": 0.7, "FL": 21.5, "GA": 10.7, "HI": 1.5, "ID": 1.8, "IL": 12.8,
    "IN": 6.8, "IA": 3.2, "KS": 2.9, "KY": 4.5, "LA": 4.7, "ME": 1.4, "MD": 6.2,
    "MA": 7.0, "MI": 10.1, "MN": 5.7, "MS": 3.0, "MO": 6.2, "MT": 1.1, "NE": 2.0,
    "NV": 3.1, "NH": 1.4, "NJ": 9.3, "NM": 2.1, "NY": 20.2, "NC": 10.4, "ND": 0.8,
    "OH": 11.8, "OK": 4.0, "OR": 4.2, "PA": 13.0, "PR": 3.3, "RI": 1.1, "SC": 5.1,
    "SD": 0.9, "TN": 6.9, "TX": 29.1, "UT": 3.3, "VT": 0.6, "VA": 8.6, "WA": 7.7,
    "WV": 1.8, "WI": 5.9, "WY": 0.6,
}  # fmt: skip


def haversine_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in miles.

    >>> round(haversine_miles(40.71, -74.01, 42.36, -71.06))
    190
    """
    from math import asin, cos, radians, sin, sqrt

    p1, p2 = radians(lat1), radians(lat2)
    dp, dl = p2 - p1, radians(lon2 - lon1)
    h = sin(dp / 2) ** 2 + cos(p1) * cos(p2) * sin(dl / 2) ** 2
    return 2 * 3958.8 * asin(sqrt(h))
