"""Health of the parts a request depends on: the database, the task queue and its workers,
Redis when it is configured (ADR 0025), and the disk of FILES_DIR (nearly full is a warning,
not a failure)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import connection
from django.utils import timezone

# A task waiting longer than this means no worker is taking work.
STALE_AFTER = dt.timedelta(minutes=5)
# A worker that beats but has not looked for work for this long is stuck in a task.
STUCK_AFTER = dt.timedelta(minutes=1)


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


def workers() -> dict:
    """Task workers from their heartbeats (core.worker). Unhealthy when a worker died and
    none is alive (a living worker forgets dead ones within seconds), or when tasks are
    waiting and no worker has looked for work for a minute (dead, stuck in a task, or none
    started)."""
    from django_tasks_db.models import DBTaskResult

    from madoguchi.core.models import WorkerBeat

    now = timezone.now()
    alive_since = now - dt.timedelta(seconds=settings.TASKS_LEASE_SECONDS)
    try:
        beats = list(WorkerBeat.objects.values_list("seen_at", "polled_at"))
        waiting = DBTaskResult.objects.ready().exists()
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return {"ok": False, "error": exc.__class__.__name__}
    alive = [polled for seen, polled in beats if seen >= alive_since]
    polling = [polled for polled in alive if polled >= now - STUCK_AFTER]
    dead = len(beats) - len(alive)
    problem = ("dead" if dead and not alive else
               "not_polling" if waiting and not polling else None)
    return {"ok": problem is None, "alive": len(alive), "dead": dead,
            "stuck": len(alive) - len(polling), **({"problem": problem} if problem else {})}


def redis() -> dict | None:
    """A PING to the Redis of the channel layer and the cache, when one is configured."""
    if not settings.REDIS_URL:
        return None
    import redis as redis_client

    client = redis_client.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2,
                                          socket_timeout=2)
    try:
        client.ping()
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return {"ok": False, "error": exc.__class__.__name__}
    finally:
        client.close()
    return {"ok": True}


def report() -> dict:
    from madoguchi.files.disk import free_space

    checks = {"database": database(), "task_queue": task_queue(), "workers": workers(),
              "files_dir": free_space()}
    if (redis_check := redis()) is not None:
        checks["redis"] = redis_check
    result = {"ok": all(c["ok"] for c in checks.values()), "checks": checks}
    warnings = [c["warning"] for c in checks.values() if "warning" in c]
    if warnings:
        result["warnings"] = warnings
    return result
