"""/healthz reports the database and the task queue."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult


def test_healthy_when_database_answers_and_queue_moves(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["task_queue"] == {"ok": True, "waiting": 0, "oldest_waiting_seconds": 0.0}
    assert "no-cache" in response["Cache-Control"]


def test_unhealthy_when_tasks_wait_without_a_worker(client, db):
    from madoguchi.core.tasks import heartbeat

    result = heartbeat.enqueue()
    DBTaskResult.objects.filter(id=result.id).update(
        enqueued_at=timezone.now() - dt.timedelta(minutes=10))
    response = client.get("/healthz")
    assert response.status_code == 503
    queue = response.json()["checks"]["task_queue"]
    assert queue["ok"] is False and queue["waiting"] == 1
    assert queue["oldest_waiting_seconds"] >= 600


def test_a_worker_run_empties_the_queue(client, transactional_db):
    from django.core.management import call_command

    from madoguchi.core.tasks import heartbeat

    heartbeat.enqueue()
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    assert DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == 1
    assert client.get("/healthz").json()["checks"]["task_queue"]["waiting"] == 0
