"""How full the disk holding FILES_DIR is: for ``check --deploy`` and ``/healthz``.

A full disk refuses uploads honestly (507, ``services.storage_full``); this tells the
operators before it comes to that: below ``FILES_FREE_WARN_PERCENT`` free, a warning.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from django.conf import settings


def _existing(path: Path) -> Path:
    """``path`` or its nearest existing parent (FILES_DIR is made at the first upload)."""
    while not path.exists() and path.parent != path:
        path = path.parent
    return path


def free_space() -> dict:
    """{"ok", "free_percent", "free_mb", "warning"?}: ``ok`` is False only when the disk
    cannot be asked; nearly full is a warning (reads and downloads still work)."""
    try:
        usage = shutil.disk_usage(_existing(Path(settings.FILES_DIR)))
    except OSError as error:
        return {"ok": False, "error": type(error).__name__}
    percent = round(100 * usage.free / usage.total, 1) if usage.total else 0.0
    result = {"ok": True, "free_percent": percent, "free_mb": usage.free // (1024 * 1024)}
    if percent < settings.FILES_FREE_WARN_PERCENT:
        result["warning"] = (f"the disk of FILES_DIR is nearly full: {percent}% free, below "
                             f"FILES_FREE_WARN_PERCENT ({settings.FILES_FREE_WARN_PERCENT}%); "
                             "uploads are refused (507) when it is full")
    return result
