"""Send today's digests now; ``--schedule``: start the daily chain on the task worker
(``bin/run`` does, at start; ADR 0054)."""

from madoguchi.core.schedule import DailyCommand
from madoguchi.notifications import digest
from madoguchi.notifications.tasks import schedule_digests


class Command(DailyCommand):
    help = "お知らせのまとめメール（1日1通）を送ります。"

    def run_now(self) -> str:
        return f"queued {digest.send_due()}"

    def schedule(self) -> bool:
        return schedule_digests()
