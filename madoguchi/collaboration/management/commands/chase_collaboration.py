from django.core.management.base import BaseCommand

from madoguchi.collaboration.chase import schedule_chase


class Command(BaseCommand):
    help = "Queue the daily chase of overdue four-party action items (it then requeues itself)."

    def handle(self, *args, **options):
        queued = schedule_chase()
        self.stdout.write("queued" if queued else "already queued")
