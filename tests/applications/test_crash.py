"""A crash in the middle of a submission leaves no half application and no orphan file:
the real ASGI server is SIGKILLed in the middle of a POST /api/v1/applications.

Before commit: the test holds a lock from its own connection (PostgreSQL: the
applications table in EXCLUSIVE mode, so the server's INSERT waits inside its
transaction; SQLite: a write transaction, so the server's BEGIN IMMEDIATE waits), the
request checks and writes both attachments to FILES_DIR/.tmp and stops at the lock; the
server is killed, the lock released. Nothing of the application is in the database, the
sweep removes the temporary files, and the retry with the same Idempotency-Key (on a
restarted server) makes exactly one application with both files.

After commit: the server is killed between COMMIT and the move of the files into place
(tests/applications/crash_asgi.py). The application is whole, its files are readable from
the temporary files, and the sweep moves them into place.
"""

from __future__ import annotations

import datetime as dt
import signal
import sqlite3
import threading
from contextlib import contextmanager

import pytest
from django.db import connection, transaction

from madoguchi.applications.models import Application, ApplicationAttachment
from madoguchi.files.models import StoredFile
from madoguchi.files.services import file_open
from madoguchi.files.tasks import sweep
from tests.applications.conftest import PDF, PNG
from tests.applications.live_server import (
    files_on_disk,
    portal_cookie,
    post_application,
    server,
    wait_for,
    world,
)

pytestmark = pytest.mark.django_db(transaction=True)

KEY = "crash-test-key-0001"
NOW = dt.timedelta(0)  # sweep with no grace: every leftover counts


@pytest.fixture
def files_dir(settings, tmp_path):
    settings.FILES_DIR = str(tmp_path / "files")
    return tmp_path / "files"


@contextmanager
def applications_locked():
    """Hold a lock that stops a submission inside its transaction; yields a function
    telling whether a server is waiting for it (None: cannot be seen on SQLite)."""
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("LOCK TABLE applications_application IN EXCLUSIVE MODE")

            def waiting() -> bool:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted AND "
                                   "relation = 'applications_application'::regclass")
                    return cursor.fetchone()[0] > 0

            yield waiting
        return
    holder = sqlite3.connect(connection.settings_dict["NAME"], timeout=20,
                             isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        yield None
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def _other_backends() -> set[int]:
    """Backends on this database other than the test's own (other tests' servers of the
    session may hold some: callers compare with the set taken before the server starts)."""
    if connection.vendor != "postgresql":
        return set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = "
                       "current_database() AND pid <> pg_backend_pid()")
        return {row[0] for row in cursor.fetchall()}


def test_a_server_killed_inside_the_transaction_leaves_nothing(files_dir, tmp_path):
    identity = world()
    cookie = portal_cookie(identity)
    log = tmp_path / "server.log"
    answers: list = []
    before = _other_backends()
    with server(files_dir, log) as (url, process):
        with applications_locked() as waiting:
            request = threading.Thread(
                target=lambda: answers.append(_post_or_error(url, cookie)), daemon=True)
            request.start()
            wait_for(lambda: len(files_on_disk(files_dir)) == 2, what="the temporary files")
            assert all(p.startswith(".tmp/") and p.endswith(".part")
                       for p in files_on_disk(files_dir))
            if waiting is not None:
                wait_for(waiting, what="the server to wait for the lock")
            else:
                # SQLite shows no waiters: the files are checked just before the
                # transaction starts; give it a moment to reach BEGIN IMMEDIATE.
                request.join(0.5)
            assert process.poll() is None and request.is_alive()
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)
        request.join(10)
    assert answers and answers[0] is None  # the connection died, no answer came
    wait_for(lambda: not _other_backends() - before,
             what="the dead server's connections to end")

    assert not Application.objects.exists()
    assert not ApplicationAttachment.objects.exists()
    assert not StoredFile.objects.exists()
    assert len(files_on_disk(files_dir)) == 2  # the temporary files, for the sweep
    report = sweep(grace=NOW)
    assert report.temp_removed == 2 and report.moves_completed == 0
    assert files_on_disk(files_dir) == []

    with server(files_dir, log) as (url, _process):
        retry = post_application(url, cookie, KEY)
    assert retry.status == 201, retry.body
    application = Application.objects.get()
    assert str(application.public_id) == retry.body["public_id"]
    assert sorted(application.attachments.values_list("code", flat=True)) == [
        "identity", "other"]
    assert StoredFile.objects.count() == 2
    assert files_on_disk(files_dir) == sorted(s.storage_key for s in StoredFile.objects.all())


def _post_or_error(url: str, cookie: str):
    try:
        return post_application(url, cookie, KEY)
    except OSError:  # the server died under the request
        return None


def test_a_server_killed_between_commit_and_move_loses_nothing(files_dir, tmp_path):
    identity = world()
    cookie = portal_cookie(identity)
    marker = tmp_path / "committed"
    with server(files_dir, tmp_path / "server.log", app="tests.applications.crash_asgi:application",
                CRASH_MARKER=str(marker)) as (url, process):
        answers: list = []
        request = threading.Thread(
            target=lambda: answers.append(_post_or_error(url, cookie)), daemon=True)
        request.start()
        wait_for(marker.exists, what="the commit")
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        request.join(10)
    assert answers == [None]

    application = Application.objects.get()
    assert application.reference and application.idempotency_key == KEY
    stored = {a.code: a.file for a in application.attachments.select_related("file")}
    assert set(stored) == {"identity", "other"}
    on_disk = files_on_disk(files_dir)
    assert on_disk == sorted(f".tmp/{s.public_id.hex}.part" for s in stored.values())
    for code, data in (("identity", PNG), ("other", PDF)):
        with file_open(stored=stored[code]) as handle:  # read from the temporary file
            assert handle.read() == data

    report = sweep(grace=NOW)
    assert report.moves_completed == 2 and report.temp_removed == 0
    assert files_on_disk(files_dir) == sorted(s.storage_key for s in stored.values())
    for code, data in (("identity", PNG), ("other", PDF)):
        with file_open(stored=stored[code]) as handle:
            assert handle.read() == data
