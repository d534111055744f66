"""The stored calibration report behind the public page "How good are these numbers?".

``manage.py calibrate --write preceptor/smartpick/calibration_report.json`` writes the
report; it is checked in, so the page shows the latest run without running it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

REPORT = Path(__file__).with_name("calibration_report.json")

__all__ = ["REPORT", "load_report", "page_context"]


def load_report(path: Path = REPORT) -> dict[str, Any] | None:
    """The stored report, or None when there is none or it cannot be read."""
    try:
        report = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return report if isinstance(report, dict) and "rows" in report else None


def page_context(path: Path = REPORT) -> dict[str, Any]:
    from .simulation import parameter_table

    report = load_report(path)
    sections: list[dict[str, Any]] = []
    if report:
        for row in report["rows"]:
            if not sections or sections[-1]["title"] != row["section"]:
                sections.append({"title": row["section"], "rows": []})
            sections[-1]["rows"].append({**row, **_texts(row)})
    return {"report": report, "sections": sections, "parameters": parameter_table()}


def _texts(row: dict[str, Any]) -> dict[str, str]:
    """Display strings: rates as percentages with one decimal, counts and points as
    plain numbers."""

    def fmt(v: float | None) -> str:
        if v is None:
            return ""
        return f"{100 * v:.1f}%" if row.get("percent") else f"{v:.1f}"

    spread = ""
    if row.get("low") is not None and row.get("high") is not None and row["low"] != row["high"]:
        spread = f"{fmt(row['low'])} to {fmt(row['high'])}"
    tol = row["tolerance"]
    return {
        "simulated_text": fmt(row["simulated"]),
        "published_text": fmt(row["published"]),
        "tolerance_text": f"{100 * tol:.0f} points" if row.get("percent") else f"{tol:g}",
        "spread_text": spread,
    }
