"""Remind now the households that have not read a circular by its due date (once each);
``--schedule`` starts the daily chain on the task worker instead (bin/run)."""

from django.utils import timezone

from madoguchi.community.services.circulars import circulars_remind
from madoguchi.core.schedule import DailyCommand


class Command(DailyCommand):
    help = "Remind households of circulars they have not read by the due date (daily)."

    def run_now(self) -> str:
        return f"reminders {circulars_remind(today=timezone.localdate())}"

    def schedule(self) -> bool:
        from madoguchi.community.tasks import schedule_reminders

        return schedule_reminders()
