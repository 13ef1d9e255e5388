"""Send today's digests now; ``--schedule``: start the daily chain on the task worker
(``bin/run`` does, at start; ADR 0054)."""

from django.core.management.base import BaseCommand

from madoguchi.notifications import digest
from madoguchi.notifications.tasks import schedule_digests


class Command(BaseCommand):
    help = "お知らせのまとめメール（1日1通）を送ります。"

    def add_arguments(self, parser):
        parser.add_argument("--schedule", action="store_true",
                            help="タスクワーカーで毎日実行する連鎖を始めます。")

    def handle(self, *args, schedule: bool = False, **options):
        if schedule:
            self.stdout.write("scheduled" if schedule_digests() else "already scheduled")
        else:
            self.stdout.write(f"queued {digest.send_due()}")
