"""How fast the letters app's pure parts and packet builder are; prints each figure.

Usage: python bench/letters_bench.py [--quick]

- ``plan()`` per request (the notify app calls it for every active request);
- ``check()`` per application (the overview calls it for every application);
- the packet: cover and brag sheet rendered, then merged with a 3-page CV and a 2-page
  statement (what a writer downloads), and the ZIP.
Targets (a page with 50 requests must not wait on these): plan ≥ 20,000/s, check ≥
20,000/s, merged packet ≤ 0.5 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reportlab.lib.pagesizes import letter  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from preceptor.letters import lifecycle, packets, rules, timeline  # noqa: E402
from preceptor.letters.rulebook import fixture_rows  # noqa: E402


def _pdf(pages: int) -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=letter)
    for i in range(pages):
        c.drawString(72, 720, f"page {i + 1}")
        c.showPage()
    c.save()
    return out.getvalue()


def _rate(fn, n: int) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    for i in range(n):
        fn(i)
    return n / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short smoke run")
    args = parser.parse_args()
    n = 2_000 if args.quick else 50_000
    reps = 3 if args.quick else 20

    statuses = lifecycle.STATUSES
    today = dt.date(2027, 7, 1)

    def one_plan(i: int) -> None:
        status = statuses[i % len(statuses)]
        timeline.plan(
            official_deadline=today + dt.timedelta(days=20 + i % 90),
            today=today,
            status=status,
            asked_on=None if status in lifecycle.PRE_ASK else today,
            service="eras",
            cycle=2027,
            writer=timeline.WriterFacts(
                "Dr. X", months_known=6, supervised_directly=True, interactions=4
            ),
            letters_planned=4,
            max_letters=4,
        )

    ruleset = [
        rules.RuleSet(
            service=r["service"],
            specialty=r["specialty"],
            name=r["name"],
            min_letters=r["min_letters"],
            max_letters=r["max_letters"],
            requirements=rules.parse_requirements(r["requirements"]),
        )
        for r in fixture_rows()
    ]
    em = rules.resolve(ruleset, "eras", "Emergency Medicine")
    reqs = [
        rules.RequestFacts(
            statuses[i % 12], "standardized" if i % 2 else "standard", "in_specialty"
        )
        for i in range(5)
    ]

    print(f"plan():  {_rate(one_plan, n):>10,.0f} per second  (target ≥ 20,000)")
    print(
        f"check(): {_rate(lambda i: rules.check(em, reqs), n):>10,.0f} per second  "
        "(target ≥ 20,000)"
    )

    content = packets.PacketContent(
        applicant="Jordan Rivera",
        applicant_email="jordan@example.org",
        writer="Dr. Patel",
        title="ERAS residency Internal Medicine 2027",
        service="ERAS internal medicine",
        specialty="Internal Medicine",
        personal_deadline=today,
        official_deadline=today,
        instructions="Upload in the AAMC portal.",
        letter_id="ABC123",
        strengths=["Clinical reasoning", "Communication", "Reliability", "Teaching"],
        achievements=[(f"Achievement {i}", "A line of detail") for i in range(8)],
        summary="Medicine clerkship, March to April.\n" * 5,
        programs=[f"Program {i}" for i in range(30)],
        uploads=[("cv", "CV", _pdf(3)), ("statement", "Personal statement draft", _pdf(2))],
    )
    for name, fn in (
        ("cover + brag sheet", packets.render_sheets),
        ("merged packet PDF", packets.render_pdf),
        ("packet ZIP", packets.render_zip),
    ):
        times = []
        for _ in range(reps):
            start = time.perf_counter()
            data = fn(content)
            times.append(time.perf_counter() - start)
        times.sort()
        print(
            f"{name + ':':<20} median {times[len(times) // 2] * 1000:7.1f} ms, "
            f"{len(data) / 1024:6.1f} KiB  (target ≤ 500 ms)"
        )


if __name__ == "__main__":
    main()
