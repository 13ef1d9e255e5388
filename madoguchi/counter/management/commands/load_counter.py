from django.core.management.base import BaseCommand

from madoguchi.counter.catalogue import load_defaults


class Command(BaseCommand):
    help = "Create the walk-in queue's offices with the default window services."

    def handle(self, *args, **options):
        created = load_defaults()
        self.stdout.write(f"counter offices created: {created}")
