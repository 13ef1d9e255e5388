"""Health of the parts a request depends on: the database, the task queue and the disk of
FILES_DIR (nearly full is a warning, not a failure)."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.utils import timezone

# A task waiting longer than this means no worker is taking work.
STALE_AFTER = dt.timedelta(minutes=5)


def database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "vendor": connection.vendor}


def task_queue() -> dict:
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    try:
        waiting = DBTaskResult.objects.ready()
        count = waiting.count()
        oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return {"ok": False, "error": exc.__class__.__name__}
    age = (now - oldest).total_seconds() if oldest else 0.0
    return {
        "ok": age < STALE_AFTER.total_seconds(),
        "waiting": count,
        "oldest_waiting_seconds": round(age, 1),
    }


def report() -> dict:
    from madoguchi.files.disk import free_space

    checks = {"database": database(), "task_queue": task_queue(), "files_dir": free_space()}
    result = {"ok": all(c["ok"] for c in checks.values()), "checks": checks}
    warnings = [c["warning"] for c in checks.values() if "warning" in c]
    if warnings:
        result["warnings"] = warnings
    return result
