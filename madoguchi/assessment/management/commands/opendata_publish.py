"""``manage.py opendata_publish``: publish the open-data files now; ``--schedule``: queue
the daily publishing task instead (``bin/run`` does, at start)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from madoguchi.assessment.services import open_data_publish
from madoguchi.assessment.tasks import schedule_publish


class Command(BaseCommand):
    help = "Publish the open-data files (自治体標準オープンデータセット)."

    def add_arguments(self, parser):
        parser.add_argument("--schedule", action="store_true",
                            help="Queue the daily publishing task (if none is queued).")

    def handle(self, *args, schedule: bool = False, **options):
        if schedule:
            queued = schedule_publish(at=timezone.now())
            self.stdout.write("publishing queued" if queued else "publishing already queued")
            return
        for found in open_data_publish():
            self.stdout.write(f"{found.dataset}: {found.rows}")
