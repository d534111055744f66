"""The letters timeline chart: every letter request as a bar against its deadlines.

Pure geometry (no ORM, no template): :func:`layout` turns rows into coordinates for a
server-rendered SVG, so the page needs no script and the numbers are unit-testable.

>>> from datetime import date
>>> rows = [ChartRow("Dr A · ERAS", date(2026, 9, 1), date(2026, 9, 15), date(2026, 9, 29),
...                  None, "asked")]
>>> chart = layout(rows, today=date(2026, 9, 8))
>>> chart.bars[0].x1 < chart.bars[0].x2 < chart.bars[0].official_x
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

__all__ = ["Chart", "ChartRow", "layout"]

WIDTH = 720
LABEL_W = 0  # labels sit above each bar, so the bars use the full width (phones)
ROW_H = 44
TOP = 28


@dataclass(frozen=True)
class ChartRow:
    label: str
    start: date  # asked on, or today for a request not asked yet
    personal: date | None
    official: date | None
    submitted: date | None
    status: str
    status_label: str = ""


@dataclass
class Bar:
    label: str
    status: str
    status_label: str
    tone: str  # ok (letter in), late (past the personal deadline), open
    y: float
    x1: float
    x2: float
    w: float
    personal_x: float | None
    official_x: float | None
    submitted_x: float | None
    personal: date | None
    official: date | None
    submitted: date | None


@dataclass
class Chart:
    width: int
    height: int
    start: date
    end: date
    today_x: float
    bars: list[Bar] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)


def layout(rows: list[ChartRow], *, today: date) -> Chart:
    dates = [today]
    for r in rows:
        dates += [d for d in (r.start, r.personal, r.official, r.submitted) if d]
    start = min(dates) - timedelta(days=3)
    end = max(dates) + timedelta(days=3)
    span = max((end - start).days, 1)

    def x(d: date) -> float:
        return round(LABEL_W + (WIDTH - LABEL_W) * (d - start).days / span, 1)

    chart = Chart(
        width=WIDTH,
        height=TOP + ROW_H * max(len(rows), 1) + 8,
        start=start,
        end=end,
        today_x=x(today),
    )
    # A tick at each month start in range (and the first day, if none fall inside).
    d = date(start.year, start.month, 1)
    while d <= end:
        if d >= start:
            chart.ticks.append((x(d), d.strftime("%b %Y") if d.month == 1 else d.strftime("%b")))
        d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    for i, r in enumerate(rows):
        finish = r.submitted or r.personal or r.official or r.start
        x1 = x(r.start)
        x2 = max(x(finish), x1 + 2)
        done = r.status in {"submitted", "thanked", "outcome_shared"}
        late = not done and r.personal is not None and r.personal < today
        chart.bars.append(
            Bar(
                label=r.label,
                status=r.status,
                status_label=r.status_label or r.status.replace("_", " "),
                tone="ok" if done else "late" if late else "open",
                y=TOP + ROW_H * i + 16,
                x1=x1,
                x2=x2,
                w=round(x2 - x1, 1),
                personal_x=x(r.personal) if r.personal else None,
                official_x=x(r.official) if r.official else None,
                submitted_x=x(r.submitted) if r.submitted else None,
                personal=r.personal,
                official=r.official,
                submitted=r.submitted,
            )
        )
    return chart
