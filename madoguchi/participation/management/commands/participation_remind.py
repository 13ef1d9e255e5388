"""Queue now the reminders of the coming sessions (each registration and session once);
``--schedule`` starts the daily chain on the task worker instead (bin/run)."""

from madoguchi.core.schedule import DailyCommand
from madoguchi.participation.reminders import remind_due


class Command(DailyCommand):
    help = "Remind confirmed registrants of their coming sessions by mail (daily)."

    def run_now(self) -> str:
        return f"reminders {remind_due()}"

    def schedule(self) -> bool:
        from madoguchi.participation.tasks import schedule_reminders

        return schedule_reminders()
