"""At-least-once tasks with exactly-once mail (ADR 0025), in process: leases taken back,
effects not repeated, the worker's health (the kill -9 drill is in test_drill.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from madoguchi.core.models import EffectDone, WorkerBeat
from madoguchi.core.worker import MAX_ATTEMPTS, reclaim_expired
from madoguchi.notifications.tasks import deliver
from madoguchi.portal.models import EmailLoginLink
from tests.notifications.conftest import run_worker, smtp  # noqa: F401 (fixture)


def queue_login_mail(address: str) -> DBTaskResult:
    link = EmailLoginLink.objects.create(email=address,
                                         expires_at=timezone.now() + dt.timedelta(hours=1))
    result = deliver.enqueue(kind="login_link", about={
        "link": link.pk, "origin": "http://testserver", "language": "ja"})
    return DBTaskResult.objects.get(id=result.id)


def left_running(row: DBTaskResult, *, by: str, minutes_ago: int = 5, claims: int = 1) -> None:
    """As a worker that died mid-task leaves it."""
    DBTaskResult.objects.filter(id=row.id).update(
        status="RUNNING", started_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
        worker_ids=[by] * claims)


def beat(worker_id: str, *, seen: int, polled: int) -> None:
    now = timezone.now()
    WorkerBeat.objects.create(worker_id=worker_id, host="test", pid=1, started_at=now,
                              seen_at=now - dt.timedelta(seconds=seen),
                              polled_at=now - dt.timedelta(seconds=polled))


@pytest.mark.django_db(transaction=True)
def test_a_task_left_running_by_a_dead_worker_runs_again_and_mails_once(smtp):  # noqa: F811
    row = queue_login_mail("hanako@example.jp")
    beat("dead-worker", seen=600, polled=600)
    left_running(row, by="dead-worker")
    run_worker()
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL" and row.return_value == "sent"
    assert row.worker_ids[0] == "dead-worker" and len(row.worker_ids) == 2
    assert len(smtp.to("hanako@example.jp")) == 1
    assert not WorkerBeat.objects.filter(worker_id="dead-worker").exists()


@pytest.mark.django_db(transaction=True)
def test_a_task_of_a_living_worker_is_left_alone():
    row = queue_login_mail("hanako@example.jp")
    beat("busy-worker", seen=1, polled=120)
    left_running(row, by="busy-worker")
    assert reclaim_expired() == {"requeued": 0, "failed": 0}
    assert DBTaskResult.objects.get(id=row.id).status == "RUNNING"


@pytest.mark.django_db(transaction=True)
def test_a_task_that_killed_its_worker_too_often_fails_instead_of_looping():
    row = queue_login_mail("hanako@example.jp")
    left_running(row, by="gone", claims=MAX_ATTEMPTS)
    assert reclaim_expired() == {"requeued": 0, "failed": 1}
    row.refresh_from_db()
    assert row.status == "FAILED" and row.exception_class_path.endswith("LeaseExpired")


@pytest.mark.django_db(transaction=True)
def test_a_second_run_of_a_finished_mail_task_sends_nothing(smtp):  # noqa: F811
    row = queue_login_mail("emily@example.com")
    run_worker()
    [key] = EffectDone.objects.values_list("key", flat=True)
    assert str(row.id) in key and "example" not in key  # a task id, never an address
    # The worker died after the commit but before recording success: the task runs again.
    DBTaskResult.objects.filter(id=row.id).update(status="READY")
    run_worker()
    row.refresh_from_db()
    assert row.status == "SUCCESSFUL" and row.return_value == "skipped: already sent"
    [mail] = smtp.to("emily@example.com")
    assert key.split(":")[1] in str(row.id) and mail["Message-ID"]


@pytest.mark.django_db(transaction=True)
def test_a_failed_send_forgets_its_key_so_the_next_run_sends(settings):
    from tests.notifications.conftest import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    row = queue_login_mail("taro@example.jp")
    run_worker()
    row.refresh_from_db()
    assert row.status == "FAILED"
    assert not EffectDone.objects.exists()
    assert EmailLoginLink.objects.get().token_hash == ""  # no token without its mail


def test_healthz_reports_a_dead_worker(client, db):
    beat("dead-worker", seen=600, polled=600)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["workers"] == {
        "ok": False, "alive": 0, "dead": 1, "stuck": 0, "problem": "dead"}


def test_healthz_reports_a_stuck_worker_while_tasks_wait(client, db):
    beat("stuck-worker", seen=1, polled=300)
    queue_login_mail("hanako@example.jp")
    workers = client.get("/healthz").json()["checks"]["workers"]
    assert workers == {"ok": False, "alive": 1, "dead": 0, "stuck": 1,
                       "problem": "not_polling"}


def test_healthz_is_ok_with_a_polling_worker(client, db):
    beat("good-worker", seen=1, polled=2)
    queue_login_mail("hanako@example.jp")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["workers"] == {"ok": True, "alive": 1, "dead": 0,
                                                    "stuck": 0}
