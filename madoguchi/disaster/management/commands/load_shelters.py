"""Load the ward's 指定避難所 from the GSI list (idempotent; sources in data/SOURCES.md)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from madoguchi.disaster.services.shelter_reference import (
    DATA_FILE,
    read_rows,
    shelters_load_reference,
)


class Command(BaseCommand):
    help = ("Load or update the ward's designated shelters from the GSI list (default: the "
            "package's data/shelters_131121.csv). A bad row loads nothing.")

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DATA_FILE))

    def handle(self, *args, **options):
        try:
            loaded = shelters_load_reference(rows=read_rows(options["path"]))
        except (OSError, ValidationError) as error:
            messages = getattr(error, "messages", [str(error)])
            raise CommandError("shelters not loaded:\n" + "\n".join(messages)) from error
        self.stdout.write(f"shelters: {loaded.created} created, {loaded.updated} updated, "
                          f"{loaded.unchanged} unchanged")
        for kept in loaded.kept:
            self.stdout.write(f"  kept the value staff set: {kept}")
