"""``manage.py build_catalogue``: build the shipped program catalogue from public files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from preceptor.smartpick.catalogue import CATALOGUE_PATH, write_catalogue
from preceptor.smartpick.importer import ImportProblem, build_catalogue, public_data_dir


class Command(BaseCommand):
    help = (
        "Build SmartPick's program catalogue (the package data a fresh install lists) from "
        "the public NRMP and ACGME files in --data: the 2024 program codes joined with "
        "institutions, specialties, cities and positions, each figure with its source and "
        "year. Running it again on the same files writes the same bytes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data",
            type=Path,
            default=None,
            help="folder of the public files (default: ../shared/data beside the repository)",
        )
        parser.add_argument(
            "--out",
            type=Path,
            default=CATALOGUE_PATH,
            help="where to write the catalogue CSV (default: the package data file)",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="write nothing; fail if --out differs from what the files give",
        )

    def handle(self, *args: Any, data: Path | None, out: Path, check: bool, **opts: Any) -> None:
        data = data or public_data_dir()
        if data is None:
            raise CommandError("No ../shared/data beside the repository: give --data.")
        if not data.is_dir():
            raise CommandError(f"{data}: no such folder (give the public files with --data).")
        try:
            report = build_catalogue(data)
        except ImportProblem as e:
            raise CommandError(f"Nothing was written: {len(e.errors)} problem(s).\n{e}") from e
        text = write_catalogue(report.rows)
        for w in report.warnings:
            self.stderr.write(f"skipped: {w}")
        if check:
            current = out.read_text(encoding="utf-8") if out.exists() else ""
            if current != text:
                raise CommandError(f"{out} differs from what {data} gives: rebuild it.")
            self.stdout.write(self.style.SUCCESS(f"{out} is up to date."))
            return
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        rows = report.rows
        pos, loc = report.positions, report.location
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {len(rows)} programs ({sum(r.quota for r in rows)} positions) to {out}."
            )
        )
        self.stdout.write(
            f"  {report.listed} codes listed, {len(report.left_out)} left out (no state "
            f"known: {', '.join(report.left_out) or 'none'}).\n"
            f"  positions: {pos.get('results', 0)} from NRMP Program Results 2014-2020, "
            f"{pos.get('florida', 0)} from the Florida 2020-2026 file, "
            f"{pos.get('estimated', 0)} estimated (specialty mean).\n"
            f"  location: {loc.get('program_city', 0)} by the program's city, "
            f"{loc.get('institution_city', 0)} by the institution's city, "
            f"{loc.get('acgme', 0)} by the ACGME list, {loc.get('state', 0)} by state only "
            f"({report.city_not_placed} of them with a city neither list places)."
        )
