"""The list as CSV, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

from .recommend import Recommendation

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_cell(value: object) -> str:
    """Text that a spreadsheet will not run as a formula (OWASP CSV injection advice).

    >>> csv_cell("=HYPERLINK(1)"), csv_cell("-3"), csv_cell("Mercy Hospital")
    ("'=HYPERLINK(1)", "'-3", 'Mercy Hospital')
    """
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


HEADER = [
    "order", "nrmp_code", "program", "institution", "city", "state", "specialty", "tier",
    "signal", "p_interview_estimate", "p_interview_low", "p_interview_high",
    "p_match_here_estimate", "reasons", "data", "positions", "positions_year",
    "positions_source", "location_source", "fill_history",
]  # fmt: skip


def recommendation_csv(rec: Recommendation) -> str:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(HEADER)
    for r in rec.rows:
        p = r.provenance
        w.writerow(
            [
                csv_cell(x)
                for x in (
                    r.order,
                    r.code,
                    r.name,
                    r.institution,
                    r.city,
                    r.state,
                    r.specialty,
                    r.tier,
                    r.signal or "none",
                    f"{r.p_interview:.3f}",
                    f"{r.p_interview_low:.3f}",
                    f"{r.p_interview_high:.3f}",
                    f"{r.p_match_here:.3f}",
                    "; ".join(r.reasons),
                    "synthetic" if r.synthetic else "NRMP program results",
                    p.positions if p else "",
                    (p.positions_year or "") if p else "",
                    p.positions_note if p else "",
                    p.location_note if p else "",
                    p.history_note if p else "",
                )
            ]
        )
    w.writerow([])
    w.writerow(
        [
            "estimated P(match)",
            f"{rec.p_match:.3f}",
            f"range {rec.p_match_low:.3f}-{rec.p_match_high:.3f}",
            "an estimate from SmartPick's models, not a promise",
        ]
    )
    return out.getvalue()
