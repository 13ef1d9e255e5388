"""``manage.py files_sweep``: remove what interrupted uploads left under FILES_DIR now;
``--schedule``: queue the hourly sweep task instead (``bin/run`` does, at start)."""

import datetime as dt

from django.core.management.base import BaseCommand

from madoguchi.files.tasks import schedule_sweep, sweep


class Command(BaseCommand):
    help = "Remove temporary files and files without a row under FILES_DIR."

    def add_arguments(self, parser):
        parser.add_argument("--schedule", action="store_true",
                            help="Queue the hourly sweep task (if none is queued) and return.")

    def handle(self, *args, schedule: bool = False, **options):
        if schedule:
            queued = schedule_sweep(delay=dt.timedelta(0))
            self.stdout.write("sweep queued" if queued else "sweep already queued")
            return
        self.stdout.write(str(sweep()))
