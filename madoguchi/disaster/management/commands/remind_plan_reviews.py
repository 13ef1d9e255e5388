"""Remind the district centres of 個別避難計画 due for their yearly review now;
``--schedule`` starts the daily chain on the task worker instead (bin/run)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from madoguchi.disaster.services.reminders import plan_reviews_remind


class Command(BaseCommand):
    help = "Remind the district centres of evacuation plans due for review (daily)."

    def add_arguments(self, parser):
        parser.add_argument("--schedule", action="store_true",
                            help="Start the daily chain on the task worker instead.")

    def handle(self, *args, schedule: bool = False, **options):
        if schedule:
            from madoguchi.disaster.tasks import schedule_reminders

            self.stdout.write("scheduled" if schedule_reminders() else "already scheduled")
            return
        self.stdout.write(f"districts {plan_reviews_remind(on=timezone.localdate())}")
