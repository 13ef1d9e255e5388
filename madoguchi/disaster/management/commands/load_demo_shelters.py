from django.core.management.base import BaseCommand

from madoguchi.disaster.demo import load_demo_shelters


class Command(BaseCommand):
    help = "Load the labelled demo shelters (not the ward's list) for every district."

    def handle(self, *args, **options):
        made = load_demo_shelters()
        self.stdout.write(f"{len(made)} demo shelters")
