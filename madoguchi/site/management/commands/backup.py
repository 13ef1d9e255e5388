"""``manage.py backup <folder>``: the database and the stored files at one moment, with a
manifest of hashes and the names of the keys to keep apart (madoguchi/core/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from madoguchi.site.backup import BackupError, backup, remove_partial


class Command(BaseCommand):
    help = "Back up the database and FILES_DIR (and call recordings) into a new folder."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="A new or empty folder.")

    def handle(self, *args, folder: Path, **options):
        existed = folder.exists()
        try:
            manifest = backup(folder)
        except BackupError as error:
            raise CommandError(str(error)) from None
        except BaseException:
            if not existed:
                remove_partial(folder)
            raise
        keys = manifest["keys"]
        self.stdout.write(
            f"backed up the {manifest['database']['vendor']} database, "
            f"{len(manifest['files'])} files and {len(manifest['recordings'])} recordings "
            f"into {folder}\n"
            f"keep apart from this backup: {keys['files']['setting']} "
            f"({', '.join(keys['files']['fingerprints'])})"
            + (f", MEETINGS_RECORDING_KEY ({', '.join(keys['recordings']['fingerprints'])})"
               if keys["recordings"]["fingerprints"] else ""))
        if manifest["missing"]:
            raise CommandError(
                f"{len(manifest['missing'])} files named by the database were not on disk "
                "(deleted while the backup ran, or lost before): see 'missing' in the "
                "manifest, and back up again")
