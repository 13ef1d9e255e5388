"""Remind the district centres of 個別避難計画 due for their yearly review now;
``--schedule`` starts the daily chain on the task worker instead (bin/run)."""

from django.utils import timezone

from madoguchi.core.schedule import DailyCommand
from madoguchi.disaster.services.reminders import plan_reviews_remind


class Command(DailyCommand):
    help = "Remind the district centres of evacuation plans due for review (daily)."

    def run_now(self) -> str:
        return f"districts {plan_reviews_remind(on=timezone.localdate())}"

    def schedule(self) -> bool:
        from madoguchi.disaster.tasks import schedule_reminders

        return schedule_reminders()
