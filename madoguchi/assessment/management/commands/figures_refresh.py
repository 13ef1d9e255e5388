"""``manage.py figures_refresh``: precompute the dashboard's figures now (this fiscal year
and the last, or ``--year``); ``--schedule``: queue the hourly task instead (``bin/run``
does, at start)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from madoguchi.assessment.services import figures_refresh
from madoguchi.assessment.tasks import refreshed_years, schedule_refresh


class Command(BaseCommand):
    help = "Precompute the figures of the ward dashboard (ADR 0051)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append",
                            help="A fiscal year (April-March) to refresh; may be repeated.")
        parser.add_argument("--schedule", action="store_true",
                            help="Queue the hourly refresh task (if none is queued).")

    def handle(self, *args, year=None, schedule: bool = False, **options):
        if schedule:
            queued = schedule_refresh(at=timezone.now())
            self.stdout.write("refresh queued" if queued else "refresh already queued")
            return
        for fiscal_year in year or refreshed_years(timezone.localdate()):
            found = figures_refresh(fiscal_year)
            self.stdout.write(f"{found.fiscal_year}: {found.seconds:.1f} s")
