"""``manage.py load_setagaya``: the ward's regions, districts, centres and sections."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from madoguchi.organisation.loader import DEFAULT_DATA, load_organisation, read_data
from madoguchi.organisation.models import (
    Booth,
    District,
    DistrictCentre,
    Region,
    Section,
    SectionKind,
)

TOTALS = [("地域", Region), ("地区", District), ("まちづくりセンター", DistrictCentre),
          ("相談ブース", Booth), ("課・機関の種別", SectionKind), ("課・機関", Section)]


class Command(BaseCommand):
    help = ("Load Setagaya's organisation (5 regions, 28 districts and centres, sections) "
            "from the data file. Idempotent: existing rows keep administrators' edits "
            "unless --overwrite is given.")

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DEFAULT_DATA,
                            help="JSON data file (default: the ward's data/setagaya.json).")
        parser.add_argument("--overwrite", action="store_true",
                            help="Write the file's values over rows edited on /org/.")

    def handle(self, *args, file: Path, overwrite: bool, verbosity: int, **options):
        report = load_organisation(data=read_data(file), overwrite=overwrite)
        if verbosity == 0:
            return
        self.stdout.write(f"組織データを読み込みました（{file.name}）")
        for label, model in TOTALS:
            counts = report.counts.get(label, {})
            self.stdout.write(f"  {label}: {model.objects.count()}件"
                              f"（新規 {counts.get('created', 0)}・"
                              f"更新 {counts.get('updated', 0)}）")
