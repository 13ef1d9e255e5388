"""Files are encrypted at rest: the bytes under FILES_DIR are a Fernet token, reading gives
the plain bytes back, keys rotate, and files stored before encryption still open."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from madoguchi.files import storage
from madoguchi.files.services import file_open, file_store

from .samples import pdf

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("files_dir")]


def _store(data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return file_store(data=data, name="診断書.pdf", purpose="application", by=None)


def _read(stored) -> bytes:
    with file_open(stored=stored) as handle:
        return handle.read()


def test_the_bytes_on_disk_are_encrypted(files_dir, django_capture_on_commit_callbacks):
    data = pdf()
    stored = _store(data, django_capture_on_commit_callbacks)
    on_disk = (files_dir / stored.storage_key).read_bytes()
    assert on_disk.startswith(storage.MAGIC)
    assert b"%PDF" not in on_disk and data not in on_disk
    assert _read(stored) == data
    assert not storage.temp_path(stored.public_id).exists()  # no plain copy left
    assert oct((files_dir / stored.storage_key).stat().st_mode & 0o777) == "0o600"


def test_keys_rotate_newest_first(settings, files_dir, django_capture_on_commit_callbacks):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FILES_ENCRYPTION_KEY = [old]
    stored = _store(pdf(), django_capture_on_commit_callbacks)
    settings.FILES_ENCRYPTION_KEY = [new, old]
    assert _read(stored) == pdf()
    settings.FILES_ENCRYPTION_KEY = [new]
    with pytest.raises(Exception):  # noqa: B017 - InvalidToken: the old key is gone
        _read(stored)


def test_a_file_stored_before_encryption_still_opens(files_dir,
                                                     django_capture_on_commit_callbacks):
    stored = _store(pdf(), django_capture_on_commit_callbacks)
    (files_dir / stored.storage_key).write_bytes(pdf())  # as written by the old code
    assert _read(stored) == pdf()


def test_a_malformed_key_is_reported_by_manage_check(settings):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.FILES_ENCRYPTION_KEY = ["not-a-key"]
    with pytest.raises(SystemCheckError, match="files.E001"):
        call_command("check")
