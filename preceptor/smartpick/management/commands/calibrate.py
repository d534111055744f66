"""``manage.py calibrate``: SmartPick's simulated national outcomes beside NRMP's."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from preceptor.smartpick import figures, services
from preceptor.smartpick.interview import TYPE_STEP2, Applicant, expected_interviews_typical
from preceptor.smartpick.recommend import Request, recommend
from preceptor.smartpick.simulation import (
    HISTORY_FILL_NEXT,
    KINDS,
    PERSISTENCE_EDGES,
    PERSISTENCE_FILL_NEXT,
    national_market,
    persistence_fill,
    typical_list_p_match,
)

TYPE_NAMES = dict(figures.APPLICANT_TYPES)


class Command(BaseCommand):
    help = (
        "Simulate a national Match over the catalogue and print its outcomes next to the "
        "published NRMP figures, with pass or fail for each target."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument(
            "--scale", type=float, default=1.0, help="share of programs to simulate (0-1]"
        )

    def handle(self, *args: Any, seed: int, scale: float, **options: Any) -> None:
        self.failed = 0
        self.total = 0
        cat = services.load_catalogue()
        kind = "synthetic" if cat.synthetic.any() else "imported NRMP"
        self.stdout.write(
            f"Catalogue: {cat.n} programs ({kind}), {int(cat.quota.sum())} positions. "
            f"Simulating one national Match (seed {seed}, scale {scale})..."
        )
        t = time.perf_counter()
        out = national_market(cat, seed=seed, scale=scale)
        self.stdout.write(
            f"  {out.applicants} applicants, {out.positions} positions, "
            f"{'stable' if out.stable else 'NOT certified stable'}, "
            f"{time.perf_counter() - t:.1f} s\n"
        )

        self._heading("Match rate by applicant type (target: within 3 points)")
        for k in KINDS:
            fig = figures.MATCH_RATE_2025[k]
            self._row(TYPE_NAMES[k], out.match_rate[k], fig.value, 0.03, f"[{fig.quality}]")

        self._heading("Fill rate, ten largest specialties (target: within 3 points)")
        for name in figures.FILL_RATE_2024:
            if name in figures.FILL_RATE_2025:
                ref, tag = figures.FILL_RATE_2025[name], "2025 [secondary]"
            else:
                ref, tag = figures.FILL_RATE_2024[name], "2024 [NRMP]"
            if name not in out.fill_rate:
                self.stdout.write(f"  {name:<34} not in the catalogue")
                continue
            self._row(name, out.fill_rate[name], ref, 0.03, tag)

        # How programs fill by their own fill history: the figure that fixes the
        # simulation's HISTORY_EXPONENT (printed for reference, not a target).
        self.stdout.write(
            "\nFill by the program's own history (fixes the history exponent; not targets)\n"
            f"  {'programs that filled, last five years':<40} {'simulated':>10} {'published':>10}"
        )
        for label, ref in HISTORY_FILL_NEXT.items():
            if label in out.fill_by_history:
                self.stdout.write(
                    f"  {label:<40} {out.fill_by_history[label]:>10.1%} {ref:>10.1%}  "
                    "NRMP program results 2015-2020 [NRMP]"
                )

        # The same in finer groups: the coarse groups above hide that the simulated fill
        # falls more steeply with history than the real one (printed, not targets).
        self.stdout.write(f"  {'finer groups':<40} {'simulated':>10} {'published':>10}")
        edges = (*PERSISTENCE_EDGES, 1.0)
        for i, ref in enumerate(PERSISTENCE_FILL_NEXT):
            label = f"{edges[i]:.1%} to {edges[i + 1]:.1%}" if i + 2 < len(edges) else "100%"
            got = out.fill_by_history_fine[i]
            self.stdout.write(f"  {label:<40} {got:>10.1%} {ref:>10.1%}")
        # What the programs' histories would give if each program filled as real programs
        # with the same five-year history filled the next year (printed, not targets).
        self.stdout.write(
            "\nFill if each program filled as real programs with its history did "
            "(NRMP program results 2015-2020; not targets)\n"
            f"  {'':<40} {'implied':>10} {'published':>10}"
        )
        for name in figures.FILL_RATE_2024:
            if name in out.fill_rate:
                ref = figures.FILL_RATE_2025.get(name, figures.FILL_RATE_2024[name])
                implied = persistence_fill(cat, name)
                self.stdout.write(f"  {name:<40} {implied:>10.1%} {ref:>10.1%}")

        # Who ranked each specialty: NRMP counts an applicant in every specialty with a
        # program on their rank list, so its applicants per position compare with the
        # competitors who ranked one of the specialty's programs (printed, not targets).
        self.stdout.write(
            "\nApplicants who ranked the specialty, per position (NRMP counts an applicant in "
            "every specialty ranked; not targets)\n"
            f"  {'':<40} {'simulated':>10} {'published':>10}"
        )
        for name in figures.FILL_RATE_2024:
            spec = figures.specialty(name)
            if name in out.rankers_per_position and spec is not None:
                self.stdout.write(
                    f"  {name:<40} {out.rankers_per_position[name]:>10.2f} "
                    f"{spec.applicants_per_position:>10.2f}  2024 [NRMP]"
                )

        self._heading("Interviews, internal medicine, typical profiles (target: within 2)")
        for k in KINDS:
            apps, published = figures.INTERVIEW_MEDIANS[k]
            model = expected_interviews_typical(k, apps)
            self._row(
                f"{TYPE_NAMES[k]}, {apps} applications (model)",
                model,
                published,
                2.0,
                "[reported]",
                fmt="{:.1f}",
            )
            if k in out.interviews:
                self._row(
                    f"{TYPE_NAMES[k]}, median {out.applications[k]:.0f} (simulated)",
                    out.interviews[k],
                    published,
                    2.0,
                    "[reported]",
                    fmt="{:.1f}",
                )

        self._heading("Scores and the curve (targets: DOMAIN.md section 6)")
        # Charting Outcomes compares US MD seniors who matched in their preferred
        # specialty with those who did not, within each specialty: the simulated row
        # does the same (the all-applicant gap mixes types and is shown for reference).
        self._row(
            "Step 2 CK gap, US MD, within specialty", out.md_gap, 10.0, 1.5, "[reported]", "{:.1f}"
        )
        gap = out.matched_score - out.unmatched_score
        self.stdout.write(
            f"  {'(all applicants, matched anywhere)':<40} {gap:>10.1f}  (not a target)"
        )
        em = figures.specialty("Emergency Medicine")
        if em is not None and em.name in cat.specialties():
            # Apply Smart describes what typical US MD emergency medicine applicants with
            # Step 1 >= 234 (about the matched mean then) achieved in 2017-2019, before
            # signals: compare typical 18-program lists without signals at the matched
            # mean score, not SmartPick's optimised list.
            p = typical_list_p_match(
                cat,
                kind="md",
                specialty="Emergency Medicine",
                applications=18,
                score=em.step2_mean,
                seed=seed,
            )
            self._row("EM, US MD, 18 typical applications", p, 0.80, 0.10, "[primary example]")
            rec = recommend(
                cat,
                Request(
                    applicant=Applicant(kind="md", step2=TYPE_STEP2["md"]),
                    target="Emergency Medicine",
                    budget=18,
                    gold=7,
                ),
            )
            label = "(SmartPick-optimised list, 7 signals)"
            self.stdout.write(f"  {label:<40} {rec.p_match:>10.1%}  (not a target)")
        self.stdout.write(
            f"\n{self.total - self.failed} of {self.total} targets met. Every simulated figure is "
            "an estimate from a synthetic market; the published ones carry their source quality."
        )

    def _heading(self, text: str) -> None:
        self.stdout.write(f"\n{text}\n  {'':<40} {'simulated':>10} {'published':>10}")

    def _row(
        self, label: str, got: float, want: float, tol: float, tag: str, fmt: str | None = None
    ) -> None:
        ok = abs(got - want) <= tol + 1e-9
        self.total += 1
        self.failed += not ok
        f = fmt or "{:.1%}"
        mark = self.style.SUCCESS("pass") if ok else self.style.ERROR("FAIL")
        self.stdout.write(f"  {label:<40} {f.format(got):>10} {f.format(want):>10}  {mark}  {tag}")
