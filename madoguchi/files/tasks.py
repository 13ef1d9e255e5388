"""The sweep: what a rolled-back transaction or a crash left on disk.

- a temporary file older than ``GRACE`` is removed, unless its row was committed and only
  the move into place is missing (the process died between COMMIT and the rename): then
  the move is completed, after checking the bytes against the row's SHA-256;
- an upload spool (``.upload``, upload_handler.py) older than ``GRACE`` is removed: its key
  died with the process that wrote it, so it can never be read;
- a file under ``FILES_DIR`` older than ``GRACE`` without a row is removed (a deleted
  file whose process died before removing the bytes).

``GRACE`` leaves every upload still in its transaction alone. Every leftover is encrypted,
so waiting for the sweep exposes nothing. A file the sweep cannot handle (a full disk, a
permission, a key that does not fit) is counted and logged and the sweep goes on; the task
queues the next sweep every ``INTERVAL`` even when a run fails. ``manage.py files_sweep
--schedule`` (run by ``bin/run``) starts the chain, and ``manage.py files_sweep`` sweeps
at once. Logs carry counts and error types only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import InvalidToken
from django.utils import timezone
from django_tasks import task

from madoguchi.core.schedule import queue_unless_waiting
from madoguchi.files import storage
from madoguchi.files.models import StoredFile

logger = logging.getLogger("madoguchi.files")

GRACE = dt.timedelta(hours=1)
INTERVAL = dt.timedelta(hours=1)
BATCH = 500


@dataclass
class SweepReport:
    temp_removed: int = 0
    moves_completed: int = 0
    orphans_removed: int = 0
    errors: int = 0

    def __str__(self) -> str:
        return (f"temporary files removed {self.temp_removed}, moves completed "
                f"{self.moves_completed}, files without a row removed {self.orphans_removed}"
                f", errors {self.errors}")


def _failed(report: SweepReport, what: str, error: Exception) -> None:
    report.errors += 1
    logger.error("files sweep: %s failed (%s)", what, type(error).__name__)


def _old(path: Path, cutoff: float) -> bool:
    try:
        return path.is_file() and not path.is_symlink() and path.stat().st_mtime < cutoff
    except FileNotFoundError:
        return False


def _matches(row: StoredFile) -> bool:
    try:
        plain = storage.temp_plain(row.public_id)
    except InvalidToken:
        return False
    return hashlib.sha256(plain).hexdigest() == row.sha256


def _sweep_one_temp(path: Path, report: SweepReport) -> None:
    public_id = None
    if path.name.endswith(storage.TEMP_SUFFIX):
        try:
            public_id = uuid.UUID(path.name.removesuffix(storage.TEMP_SUFFIX))
        except ValueError:
            public_id = None
    row = StoredFile.objects.filter(public_id=public_id).first() if public_id else None
    if (row is not None and not storage.final_path(row.storage_key).exists()
            and _matches(row)):
        storage.move_into_place(row.public_id, row.storage_key)
        report.moves_completed += 1
    else:
        storage.remove(path)
        report.temp_removed += 1


def _sweep_temp(cutoff: float, report: SweepReport) -> None:
    folder = storage.root() / storage.TEMP_DIR
    for suffix in (storage.TEMP_SUFFIX, storage.SPOOL_SUFFIX):
        for path in folder.glob(f"*{suffix}"):
            if not _old(path, cutoff):
                continue
            try:
                _sweep_one_temp(path, report)
            except (OSError, ValueError) as error:
                _failed(report, "a temporary file", error)


def _sweep_orphans(cutoff: float, report: SweepReport) -> None:
    base = storage.root()
    batch: dict[str, Path] = {}

    def flush() -> None:
        known = set(StoredFile.objects.filter(storage_key__in=list(batch))
                    .values_list("storage_key", flat=True))
        for key, path in batch.items():
            if key not in known:
                try:
                    storage.remove(path)
                except OSError as error:
                    _failed(report, "a file without a row", error)
                    continue
                report.orphans_removed += 1
        batch.clear()

    for path in base.rglob("*"):
        relative = path.relative_to(base)
        if relative.parts[0] == storage.TEMP_DIR or not _old(path, cutoff):
            continue
        batch[relative.as_posix()] = path
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()


def sweep(*, grace: dt.timedelta = GRACE) -> SweepReport:
    report = SweepReport()
    if not storage.root().is_dir():
        return report
    cutoff = time.time() - grace.total_seconds()
    _sweep_temp(cutoff, report)
    try:
        _sweep_orphans(cutoff, report)
    except OSError as error:  # the folder walk itself failed
        _failed(report, "the walk of FILES_DIR", error)
    logger.info("files sweep: %s", report)
    return report


def schedule_sweep(*, delay: dt.timedelta = INTERVAL) -> bool:
    """Queue the next sweep in ``delay`` unless one is already waiting. Returns whether
    one was queued."""
    return queue_unless_waiting(sweep_orphans, run_after=timezone.now() + delay)


@task()
def sweep_orphans() -> str:
    """Sweep now, then queue the next sweep (also when this one fails)."""
    try:
        report = sweep()
    finally:
        schedule_sweep()
    return str(report)
