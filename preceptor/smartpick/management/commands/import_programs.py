"""``manage.py import_programs RESULTS.csv``: load the real NRMP program catalogue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from preceptor.smartpick import services
from preceptor.smartpick.importer import ImportProblem


class Command(BaseCommand):
    help = (
        "Import an NRMP Program Results CSV (state, institution, city, program, "
        "program_code, specialty_code, track, quota_YYYY, matched_YYYY, unfilled_flag_YYYY). "
        "All rows or none; running it again changes nothing. Replaces the shipped catalogue."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("results", type=Path, help="the Program Results CSV")
        parser.add_argument("--program-codes", type=Path, help="CSV name,code (program names)")
        parser.add_argument(
            "--institution-codes", type=Path, help="CSV name,institutionCode (institution names)"
        )
        parser.add_argument(
            "--cities",
            type=Path,
            help="CSV state,city,latitude,longitude to place programs by city "
            "(otherwise each program sits at its state's largest city)",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            out = services.import_programs(
                opts["results"],
                program_codes=opts["program_codes"],
                institution_codes=opts["institution_codes"],
                cities=opts["cities"],
            )
        except ImportProblem as e:
            raise CommandError(f"Nothing was imported: {len(e.errors)} problem(s).\n{e}") from e
        r = out.report
        for w in r.warnings:
            self.stderr.write(f"skipped: {w}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {len(r.rows)} programs of the {r.latest_year} Match: "
                f"{out.created} new, {out.updated} changed, "
                f"{len(r.rows) - out.created - out.updated} unchanged."
            )
        )
        self.stdout.write(
            f"  {r.skipped_no_positions} programs without positions in {r.latest_year} left out; "
            f"placed by city {r.geocoded_city}, by state {r.geocoded_state}; "
            f"removed {out.removed_synthetic} synthetic and {out.removed_stale} stale programs."
        )
