"""``manage.py restore <folder>``: a backup made by ``manage.py backup`` into a new, empty
database (DATABASE_URL) and an empty FILES_DIR, after checking its hashes and that the
configured files key opens it (madoguchi/core/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from madoguchi.site.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup into a new, empty database and an empty FILES_DIR."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="A folder written by manage.py backup.")

    def handle(self, *args, folder: Path, **options):
        try:
            done = restore(folder)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"restored the database, {done['files']} files and {done['recordings']} "
            f"recordings ({done['verified']} hashes checked; the files key opened "
            f"{done['key_samples']} sample files)")
