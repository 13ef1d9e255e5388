"""The files context under faults (issue 23 item 4): the sweep goes on past a file it
cannot remove and the hourly chain goes on past a sweep that fails; ``check --deploy`` and
/healthz warn when the disk of FILES_DIR is nearly full."""

from __future__ import annotations

import datetime as dt
import errno
import os

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from madoguchi.files import storage, tasks
from madoguchi.files.checks import free_space_deploy_check
from madoguchi.files.tasks import schedule_sweep, sweep, sweep_orphans

from .conftest import on_disk
from .test_sweep import age


def _leftovers(files_dir, count: int) -> list:
    folder = files_dir / storage.TEMP_DIR
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        path = folder / f"{number:032x}{storage.TEMP_SUFFIX}"
        path.write_bytes(b"rolled back")
        age(path)
        paths.append(path)
    return paths


@pytest.mark.django_db
def test_the_sweep_goes_on_past_a_file_it_cannot_remove(files_dir, monkeypatch, caplog):
    stuck, *others = _leftovers(files_dir, 3)
    real_remove = storage.remove

    def remove(path):
        if path == stuck:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))
        real_remove(path)

    monkeypatch.setattr(storage, "remove", remove)
    report = sweep()
    assert (report.temp_removed, report.errors) == (2, 1)
    assert on_disk(files_dir) == [stuck.relative_to(files_dir).as_posix()]
    assert "files sweep: a temporary file failed (OSError)" in caplog.text
    assert stuck.name not in caplog.text  # counts and error types only


@pytest.mark.django_db(transaction=True)
def test_a_failing_sweep_still_queues_the_next_one(files_dir, monkeypatch):
    def broken(**kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(tasks, "sweep", broken)
    assert schedule_sweep(delay=dt.timedelta(0)) is True
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    results = DBTaskResult.objects.filter(task_path=sweep_orphans.module_path)
    failed = results.get(status="FAILED")
    waiting = results.get(status="READY")
    assert waiting.run_after > failed.finished_at + dt.timedelta(minutes=50)


@pytest.mark.django_db
def test_healthz_and_check_deploy_warn_when_files_dir_is_nearly_full(client, settings,
                                                                    files_dir):
    settings.FILES_FREE_WARN_PERCENT = 0  # nothing is below 0% free
    healthy = client.get("/healthz").json()
    assert healthy["checks"]["files_dir"]["ok"] is True and "warnings" not in healthy
    assert free_space_deploy_check(None) == []

    settings.FILES_FREE_WARN_PERCENT = 101  # every disk is below 101% free
    response = client.get("/healthz")
    assert response.status_code == 200  # downloads still work: a warning, not a failure
    body = response.json()
    assert body["ok"] is True and "nearly full" in body["checks"]["files_dir"]["warning"]
    assert body["warnings"] == [body["checks"]["files_dir"]["warning"]]
    [warning] = free_space_deploy_check(None)
    assert warning.id == "files.W002" and "FILES_FREE_WARN_PERCENT (101%)" in warning.msg
