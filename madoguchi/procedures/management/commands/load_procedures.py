"""``python manage.py load_procedures``: the ward's default catalogue (idempotent)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from madoguchi.procedures.loader import (
    DATA_DIR,
    DataFileError,
    check_life_events,
    load_directory,
)


class Command(BaseCommand):
    help = "Load the procedure catalogue from YAML files (new files publish version 1)."

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=DATA_DIR,
                            help="Folder of *.yaml definitions (default: the ward's seed).")

    def handle(self, *args, dir: Path, verbosity: int = 1, **options):  # noqa: A002
        try:
            results = load_directory(dir)
            events = check_life_events()
        except DataFileError as error:
            raise CommandError(str(error)) from None
        counts: dict[str, int] = {}
        for result in results:
            counts[result.outcome] = counts.get(result.outcome, 0) + 1
            if verbosity >= 2 or (verbosity >= 1 and result.outcome == "kept"):
                self.stdout.write(f"{result.code}: {result.outcome} (v{result.version})")
        if verbosity >= 1:
            summary = ", ".join(f"{outcome} {count}" for outcome, count in sorted(counts.items()))
            self.stdout.write(f"procedures: {summary or 'none'}")
            self.stdout.write(f"life events: {events} checked")
