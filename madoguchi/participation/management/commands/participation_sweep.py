from django.core.management.base import BaseCommand

from madoguchi.participation.tasks import sweep, sweep_once


class Command(BaseCommand):
    help = "抽選の時刻が来たイベントを抽選し、保存期間を過ぎた申込の個人情報を消します。"

    def add_arguments(self, parser):
        parser.add_argument("--schedule", action="store_true",
                            help="タスクワーカーで定期的に実行する連鎖を始めます。")

    def handle(self, *args, schedule: bool = False, **options):
        if schedule:
            sweep.enqueue(chain=True)
            self.stdout.write("scheduled")
        else:
            self.stdout.write(sweep_once())
