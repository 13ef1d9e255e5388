"""The encrypted upload spool (issue 12 item 4): a file over Django's in-memory size is
received into FILES_DIR/.tmp encrypted under a key only the process holds, read back
whole, kept to one byte over the largest allowed file, and removed when the request ends."""

from __future__ import annotations

import dataclasses

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from madoguchi.files import storage
from madoguchi.files.policy import MP4, POLICIES, FilePolicy
from madoguchi.files.services import FileRefused, file_check
from madoguchi.files.upload_handler import EncryptedUpload, spool_limit

from .conftest import on_disk
from .samples import pdf

MB = 1024 * 1024
LINE = b"resident's own words, line after line\n"


def _spooled(chunks) -> EncryptedUpload:
    upload = EncryptedUpload("scan.pdf", "application/pdf", None, {})
    for chunk in chunks:
        upload.append(chunk)
    upload.finish()
    return upload


def test_the_spool_holds_cipher_text_and_reads_back_the_bytes(files_dir):
    data = pdf() + LINE * (3 * MB // len(LINE))
    upload = _spooled(data[start:start + 64 * 1024] for start in range(0, len(data), 64 * 1024))
    [spool] = on_disk(files_dir)
    assert spool.startswith(f"{storage.TEMP_DIR}/") and spool.endswith(storage.SPOOL_SUFFIX)
    assert LINE not in (files_dir / spool).read_bytes()
    assert (files_dir / spool).stat().st_mode & 0o777 == 0o600
    assert upload.size == len(data) and upload.read() == data
    checked = file_check(data=upload, name=upload.name, purpose="consultation")
    assert checked.size == len(data)
    assert LINE not in storage.temp_path(checked.public_id).read_bytes()  # the .part too
    upload.close()
    assert on_disk(files_dir) == [f"{storage.TEMP_DIR}/{checked.public_id.hex}.part"]
    checked.discard()


def test_the_spool_keeps_one_byte_over_the_limit_and_the_check_refuses(files_dir, settings,
                                                                       monkeypatch):
    settings.FILES_MAX_MB = 1
    for name, policy in list(POLICIES.items()):  # signage's own 50 MB too (ADR 0056)
        monkeypatch.setitem(POLICIES, name, dataclasses.replace(policy, max_mb=None))
    upload = _spooled([pdf() + b"\0" * MB, b"\0" * MB])
    assert upload.size == spool_limit() == MB + 1
    with pytest.raises(FileRefused) as refused:
        file_check(data=upload, name=upload.name, purpose="consultation")
    assert refused.value.code == "too_large"
    upload.close()
    assert on_disk(files_dir) == []


def test_the_spool_follows_the_largest_purpose_whose_own_limit_is_not_capped(
        settings, monkeypatch):
    settings.FILES_MAX_MB = 1
    for name, policy in list(POLICIES.items()):
        monkeypatch.setitem(POLICIES, name, dataclasses.replace(policy, max_mb=None))
    monkeypatch.setitem(POLICIES, "videos", FilePolicy("videos", (MP4,), "動画", max_mb=3))
    assert POLICIES["videos"].max_bytes == 3 * MB  # above FILES_MAX_MB (ADR 0056)
    assert POLICIES["consultation"].max_bytes == MB
    assert spool_limit() == 3 * MB + 1


def test_django_uses_the_spool_for_large_files_and_closes_it(files_dir):
    data = pdf() + LINE * (3 * MB // len(LINE))
    request = RequestFactory().post("/", {"file": SimpleUploadedFile("a.pdf", data)})
    upload = request.FILES["file"]
    assert isinstance(upload, EncryptedUpload) and upload.read() == data
    request.close()  # what Django does when the response is done
    assert on_disk(files_dir) == []
