from django.core.management.base import BaseCommand

from madoguchi.disaster.demo import load_demo_shelters, remove_demo_shelters


class Command(BaseCommand):
    help = ("Load the labelled demo shelters (not the ward's list) for every district; "
            "--remove deletes them instead (make run, which loads the real list).")

    def add_arguments(self, parser):
        parser.add_argument("--remove", action="store_true")

    def handle(self, *args, **options):
        if options["remove"]:
            removed, kept = remove_demo_shelters()
            self.stdout.write(f"{removed} demo shelters removed, {kept} kept (referenced)")
            return
        made = load_demo_shelters()
        self.stdout.write(f"{len(made)} demo shelters")
