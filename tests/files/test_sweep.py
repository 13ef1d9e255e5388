"""The sweep, and a process killed in the middle of storing a file (a real SIGKILL): no
orphan survives the sweep, and a committed file whose move was cut off is completed."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult

from madoguchi.files import storage
from madoguchi.files.models import StoredFile
from madoguchi.files.services import file_open, file_store
from madoguchi.files.tasks import schedule_sweep, sweep, sweep_orphans
from tests.browser.conftest import PROJECT_ROOT, _database_url

from .conftest import on_disk
from .samples import pdf, png

HOUR = 3600


def age(path, seconds: int = 2 * HOUR) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


@pytest.mark.django_db
def test_sweep_removes_old_leftovers_and_keeps_everything_else(
        files_dir, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        kept = file_store(data=pdf(), name="a.pdf", purpose="consultation", by=None)
    age(files_dir / kept.storage_key)
    orphan = files_dir / "consultation/2020/01/0123456789abcdef0123456789abcdef"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"bytes whose row was deleted")
    young_orphan = files_dir / "application/2026/01/fedcba9876543210fedcba9876543210"
    young_orphan.parent.mkdir(parents=True)
    young_orphan.write_bytes(b"maybe still committing")
    old_temp = files_dir / ".tmp/00000000000000000000000000000001.part"
    old_temp.parent.mkdir(exist_ok=True)
    old_temp.write_bytes(b"rolled back")
    junk_temp = files_dir / ".tmp/not-a-uuid.part"
    junk_temp.write_bytes(b"?")
    for path in (orphan, old_temp, junk_temp):
        age(path)

    report = sweep()
    assert (report.temp_removed, report.moves_completed, report.orphans_removed) == (2, 0, 1)
    assert on_disk(files_dir) == sorted([kept.storage_key,
                                         young_orphan.relative_to(files_dir).as_posix()])


@pytest.mark.django_db
def test_sweep_completes_a_move_only_when_the_bytes_match_the_row(files_dir):
    stored = file_store(data=png(), name="a.png", purpose="consultation", by=None)
    temp = storage.temp_path(stored.public_id)  # committed row, move not done (no callback)
    age(temp)
    assert sweep().moves_completed == 1
    assert on_disk(files_dir) == [stored.storage_key]
    with file_open(stored=stored) as handle:
        assert handle.read() == png()

    other = file_store(data=pdf(), name="b.pdf", purpose="consultation", by=None)
    temp = storage.temp_path(other.public_id)
    temp.write_bytes(b"not what the row says")
    age(temp)
    report = sweep()
    assert (report.moves_completed, report.temp_removed) == (0, 1)


def test_sweep_of_a_missing_folder_does_nothing(files_dir):
    assert not files_dir.exists()
    assert str(sweep()).startswith("temporary files removed 0")


CRASH = textwrap.dedent("""
    import os, signal, sys
    import django
    django.setup()
    from django.db import transaction
    from madoguchi.files.services import file_store

    where = sys.argv[1]
    with transaction.atomic():
        if where == "after-commit":
            # Runs first on commit: the row is committed, the move into place never runs.
            transaction.on_commit(lambda: os.kill(os.getpid(), signal.SIGKILL))
        stored = file_store(data=bytes.fromhex(sys.argv[2]), name="a.pdf",
                            purpose="consultation", by=None)
        print(stored.public_id.hex, flush=True)
        if where == "before-commit":
            os.kill(os.getpid(), signal.SIGKILL)
""")


def crash(where: str, files_dir) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings",
           "DATABASE_URL": _database_url(connection.settings_dict),
           "FILES_DIR": str(files_dir), "CLAMD_ADDRESS": ""}
    result = subprocess.run([sys.executable, "-c", CRASH, where, pdf().hex()],  # noqa: S603
                            cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == -9, result.stderr
    return result.stdout.strip()


@pytest.mark.django_db(transaction=True)
def test_a_process_killed_before_commit_leaves_no_row_and_no_file_after_the_sweep(files_dir):
    public_hex = crash("before-commit", files_dir)
    assert not StoredFile.objects.exists()
    assert on_disk(files_dir) == [f".tmp/{public_hex}.part"]
    age(files_dir / ".tmp" / f"{public_hex}.part")
    assert sweep().temp_removed == 1
    assert on_disk(files_dir) == []


@pytest.mark.django_db(transaction=True)
def test_a_process_killed_between_commit_and_move_loses_nothing(files_dir):
    public_hex = crash("after-commit", files_dir)
    stored = StoredFile.objects.get()
    assert stored.public_id.hex == public_hex
    assert on_disk(files_dir) == [f".tmp/{public_hex}.part"]
    with file_open(stored=stored) as handle:  # readable before the sweep, too
        assert handle.read() == pdf()
    age(files_dir / ".tmp" / f"{public_hex}.part")
    assert sweep().moves_completed == 1
    assert on_disk(files_dir) == [stored.storage_key]


@pytest.mark.django_db(transaction=True)
def test_the_sweep_task_runs_in_the_worker_and_queues_the_next_one(files_dir):
    assert schedule_sweep(delay=dt.timedelta(0)) is True
    assert schedule_sweep(delay=dt.timedelta(0)) is False  # one is already waiting
    leftover = files_dir / ".tmp/00000000000000000000000000000002.part"
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"x")
    age(leftover)
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    results = DBTaskResult.objects.filter(task_path=sweep_orphans.module_path)
    done = results.get(status="SUCCESSFUL")
    assert "temporary files removed 1" in done.return_value
    waiting = results.get(status="READY")
    assert waiting.run_after > done.finished_at + dt.timedelta(minutes=50)
    assert on_disk(files_dir) == []


@pytest.mark.django_db(transaction=True)
def test_the_management_command(files_dir, capsys):
    call_command("files_sweep")
    assert "temporary files removed 0" in capsys.readouterr().out
    call_command("files_sweep", "--schedule")
    assert capsys.readouterr().out.strip() == "sweep queued"
    call_command("files_sweep", "--schedule")
    assert capsys.readouterr().out.strip() == "sweep already queued"
