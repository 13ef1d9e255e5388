"""Remind the district centres of 個別避難計画 due for their yearly review: run from cron or
a systemd timer once a day. ``--enqueue`` hands it to the task worker instead."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from madoguchi.disaster.services.reminders import plan_reviews_remind


class Command(BaseCommand):
    help = "Remind the district centres of evacuation plans due for review (daily)."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true",
                            help="Run it in the task worker instead of here.")

    def handle(self, *args, enqueue: bool = False, **options):
        if enqueue:
            from madoguchi.disaster.tasks import remind_plan_reviews

            remind_plan_reviews.enqueue()
            self.stdout.write("enqueued")
            return
        self.stdout.write(f"districts {plan_reviews_remind(on=timezone.localdate())}")
