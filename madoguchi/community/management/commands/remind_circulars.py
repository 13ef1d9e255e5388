"""Remind now the households that have not read a circular by its due date (once each);
``--schedule`` starts the daily chain on the task worker instead (bin/run)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from madoguchi.community.services.circulars import circulars_remind


class Command(BaseCommand):
    help = "Remind households of circulars they have not read by the due date (daily)."

    def add_arguments(self, parser):
        parser.add_argument("--schedule", action="store_true",
                            help="Start the daily chain on the task worker instead.")

    def handle(self, *args, schedule: bool = False, **options):
        if schedule:
            from madoguchi.community.tasks import schedule_reminders

            self.stdout.write("scheduled" if schedule_reminders() else "already scheduled")
            return
        self.stdout.write(f"reminders {circulars_remind(today=timezone.localdate())}")
