from django.core.management.base import BaseCommand
from django.utils import timezone

from madoguchi.core.schedule import queue_unless_waiting
from madoguchi.participation.tasks import sweep, sweep_once


class Command(BaseCommand):
    help = "抽選の時刻が来たイベントを抽選し、保存期間を過ぎた申込の個人情報を消します。"

    def add_arguments(self, parser):
        parser.add_argument("--schedule", action="store_true",
                            help="タスクワーカーで定期的に実行する連鎖を始めます。")

    def handle(self, *args, schedule: bool = False, **options):
        if schedule:
            queued = queue_unless_waiting(sweep, run_after=timezone.now(), chain=True)
            self.stdout.write("scheduled" if queued else "already scheduled")
        else:
            self.stdout.write(sweep_once())
