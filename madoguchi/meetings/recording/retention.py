"""Recordings deleted after ``MEETINGS_RECORDING_RETENTION_DAYS`` (30 by default), and the
partial files a crashed write left behind."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from madoguchi.meetings.recording.storage import recorded_at_of, recordings_dir

logger = logging.getLogger("madoguchi.meetings.recording")


def purge_expired_recordings(
    *,
    now: dt.datetime | None = None,
    retention_days: int | None = None,
    directory: Path | None = None,
) -> list[Path]:
    """Delete the recordings older than the retention period, and partial files a crashed
    write left behind; return the deleted paths. Files the folder holds that are not
    recordings are left alone."""
    now = now or timezone.now()
    days = settings.MEETINGS_RECORDING_RETENTION_DAYS if retention_days is None else retention_days
    if days < 0:
        raise ImproperlyConfigured("MEETINGS_RECORDING_RETENTION_DAYS must not be negative")
    cutoff = now - dt.timedelta(days=days)
    folder = Path(directory) if directory is not None else recordings_dir()
    if not folder.is_dir():
        return []
    deleted: list[Path] = []
    for path in sorted(folder.iterdir()):
        if not path.is_file():
            continue
        if path.name.startswith(".partial-"):
            stamp = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC)
            # A write in progress is younger than a day; older ones crashed.
            expired = stamp < now - dt.timedelta(days=1)
        else:
            stamp = recorded_at_of(path)
            expired = stamp is not None and stamp < cutoff
        if expired:
            path.unlink(missing_ok=True)
            deleted.append(path)
    if deleted:
        logger.info("recording retention: %s file(s) deleted (older than %s days)",
                    len(deleted), days)
    return deleted
