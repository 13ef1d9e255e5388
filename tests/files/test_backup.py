"""Backup and restore as commands (issue 23 item 6), drilled on the database the suite runs
on (SQLite, or PostgreSQL with pg_dump/pg_restore): a document is added to a consultation
record, the site is backed up, FILES_DIR wiped, the backup restored into a new database
and an empty folder, and a real server started on them serves the document with the same
SHA-256 to the staff member whose session was in the backup. A restore refuses, before
changing anything, a damaged backup, a files key that does not open it (naming the key the
backup needs), and a database that is not new."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from madoguchi.consultations import documents
from madoguchi.consultations.models import DocumentPlace
from madoguchi.site.backup import MANIFEST
from tests.applications.live_server import server
from tests.browser.conftest import PROJECT_ROOT, _database_url
from tests.consultations.conftest import (  # noqa: F401 (fixtures)
    consultation_setup,
    intake,
    make_resident,
    resident,
    routed,
    staff,
)
from tests.helpers import login
from tests.tools import needs

from .samples import pdf

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def pg_tools():
    """pg_dump and pg_restore, where the suite runs on PostgreSQL."""
    if connection.vendor == "postgresql":
        needs("pg_dump", "pg_restore")


@contextmanager
def new_database(tmp_path: Path):
    """The URL of a new, empty database of the suite's vendor; dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"{connection.settings_dict['NAME']}_restore"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield _database_url({**connection.settings_dict, "NAME": name})
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args],  # noqa: S603
                          cwd=PROJECT_ROOT, env={**os.environ, **env}, capture_output=True,
                          text=True, timeout=120, check=False)


def _add_document(routed, staff):  # noqa: F811
    return documents.document_add(consultation=routed, data=pdf("backup drill"),
                                  name="介護保険の通知.pdf", by=staff["hoken"],
                                  place=DocumentPlace.RECORD, source="tests")


def test_backup_wipe_restore_into_a_new_database_and_serve_the_document(
        pg_tools, files_dir, routed, staff, client, tmp_path, capsys):  # noqa: F811
    document = _add_document(routed, staff)
    expected = hashlib.sha256(pdf("backup drill")).hexdigest()
    login(client, staff["hoken"])
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    path = reverse("consultations:document_download",
                   kwargs={"public_id": routed.public_id, "file_id": document.file.public_id})

    folder = tmp_path / "backup"
    call_command("backup", str(folder))
    said = capsys.readouterr().out
    assert "1 files" in said and "keep apart from this backup: SECRET_KEY" in said
    manifest = json.loads((folder / MANIFEST).read_text())
    assert [entry["name"] for entry in manifest["files"]] == [document.file.storage_key]
    assert manifest["files"][0]["plain_sha256"] == expected
    assert manifest["database"]["vendor"] == connection.vendor and not manifest["missing"]
    backed_up = (folder / "files" / document.file.storage_key).read_bytes()
    assert b"backup drill" not in backed_up  # the bytes stay encrypted in the backup

    shutil.rmtree(files_dir)  # wiped
    restored_files = tmp_path / "restored-files"
    with new_database(tmp_path) as url:
        done = manage("restore", str(folder), DATABASE_URL=url, FILES_DIR=str(restored_files))
        assert done.returncode == 0, done.stderr
        assert "1 files" in done.stdout and "opened 1 sample files" in done.stdout
        with server(restored_files, tmp_path / "server.log", DATABASE_URL=url) as (base, _p):
            request = urllib.request.Request(
                base + path, headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"})
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                assert response.status == 200
                assert hashlib.sha256(response.read()).hexdigest() == expected


def test_a_restore_refuses_a_wrong_key_a_damaged_backup_and_a_used_database(
        pg_tools, files_dir, routed, staff, tmp_path, settings):  # noqa: F811
    document = _add_document(routed, staff)
    folder = tmp_path / "backup"
    call_command("backup", str(folder))

    settings.FILES_ENCRYPTION_KEY = [Fernet.generate_key().decode()]
    with pytest.raises(CommandError) as wrong_key:
        call_command("restore", str(folder))
    message = str(wrong_key.value)
    assert "does not open the backup's files" in message
    assert "The backup needs SECRET_KEY" in message
    assert "this server has FILES_ENCRYPTION_KEY" in message
    settings.FILES_ENCRYPTION_KEY = []

    with pytest.raises(CommandError, match="tables: restore into a new, empty database"):
        call_command("restore", str(folder))

    stored = folder / "files" / document.file.storage_key
    stored.write_bytes(stored.read_bytes()[:-1])
    with pytest.raises(CommandError, match="does not match its hash: the backup is damaged"):
        call_command("restore", str(folder))

    with pytest.raises(CommandError, match="is not empty: back up into a new folder"):
        call_command("backup", str(folder))
