"""Storing files: limits and sniffed types, bytes outside the database, moved into place only
when the transaction commits, and nothing kept of a refused file."""

from __future__ import annotations

import hashlib
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from madoguchi.files import storage
from madoguchi.files.content import safe_name
from madoguchi.files.models import StoredFile
from madoguchi.files.policy import MB, POLICIES
from madoguchi.files.services import FileRefused, file_delete, file_open, file_store

from .conftest import on_disk
from .samples import jpeg_head, pdf, png, windows_exe

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("files_dir")]


def refused(data, name="資料.pdf", purpose="consultation") -> FileRefused:
    with pytest.raises(FileRefused) as caught:
        file_store(data=data, name=name, purpose=purpose, by=None)
    return caught.value


def test_a_pdf_is_stored_on_disk_with_its_sniffed_type_and_digest(
        files_dir, django_capture_on_commit_callbacks):
    data = pdf()
    upload = SimpleUploadedFile("申請書.png", data, content_type="image/png")  # both lie
    with django_capture_on_commit_callbacks(execute=True):
        stored = file_store(data=upload, name=upload.name, purpose="consultation", by=None)
    stored.refresh_from_db()
    assert stored.content_type == "application/pdf"
    assert stored.size == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.original_name == "申請書.png.pdf"
    assert stored.storage_key.startswith("consultation/")
    assert stored.storage_key.endswith(stored.public_id.hex)
    assert on_disk(files_dir) == [stored.storage_key]
    assert (files_dir / stored.storage_key).read_bytes().startswith(storage.MAGIC)
    with file_open(stored=stored) as handle:
        assert handle.read() == data
    assert "申請書" not in str(stored) and str(stored.public_id) in str(stored)


@pytest.mark.parametrize(("data", "content_type"), [
    (png(), "image/png"), (jpeg_head(), "image/jpeg"), (pdf(), "application/pdf")])
def test_the_three_accepted_types(data, content_type, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        stored = file_store(data=data, name="scan", purpose="application", by=None)
    assert stored.content_type == content_type
    assert stored.original_name == "scan" + {"image/png": ".png", "image/jpeg": ".jpg",
                                             "application/pdf": ".pdf"}[content_type]


def test_bytes_reach_their_place_only_when_the_transaction_commits(
        files_dir, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        stored = file_store(data=pdf(), name="a.pdf", purpose="consultation", by=None)
        # Inside the transaction: only the temporary file; readable by the same transaction.
        assert on_disk(files_dir) == [f".tmp/{stored.public_id.hex}.part"]
        with file_open(stored=stored) as handle:
            assert handle.read(5) == b"%PDF-"
    assert len(callbacks) == 1
    callbacks[0]()
    assert on_disk(files_dir) == [stored.storage_key]


def test_a_rolled_back_transaction_keeps_no_row_and_the_sweep_removes_the_bytes(files_dir):
    from madoguchi.files.tasks import sweep

    with pytest.raises(RuntimeError), transaction.atomic():
        file_store(data=pdf(), name="a.pdf", purpose="consultation", by=None)
        raise RuntimeError("the caller failed after storing")
    assert not StoredFile.objects.exists()
    [leftover] = on_disk(files_dir)
    assert leftover.startswith(".tmp/")
    assert sweep().temp_removed == 0  # too recent: it could still be committing
    assert sweep(grace=__import__("datetime").timedelta(0)).temp_removed == 1
    assert on_disk(files_dir) == []


@pytest.mark.parametrize(("data", "code", "message"), [
    (b"", "empty", "ファイルが空です"),
    (b"hello, this is plain text\n", "forbidden_type", "PDF・JPEG・PNG"),
    (windows_exe(), "forbidden_type", "種類は受け付けられません"),
    (b"GIF89a" + b"\0" * 100, "forbidden_type", "種類は受け付けられません"),
    (b"<html><script>alert(1)</script></html>", "forbidden_type", "種類は受け付けられません"),
])
def test_refused_files_leave_nothing(files_dir, data, code, message):
    problem = refused(data, name="本当はPDF.pdf")
    assert problem.code == code
    assert message in problem.message
    assert not StoredFile.objects.exists()
    assert on_disk(files_dir) == []


def test_the_size_limit_is_the_setting_and_counts_bytes_not_the_declared_size(
        settings, files_dir, django_capture_on_commit_callbacks):
    settings.FILES_MAX_MB = 1
    exactly = pdf() + b"%" * (MB - len(pdf()))
    assert len(exactly) == POLICIES["consultation"].max_bytes
    with django_capture_on_commit_callbacks(execute=True):
        file_store(data=exactly, name="ok.pdf", purpose="consultation", by=None)
    upload = SimpleUploadedFile("big.pdf", exactly + b"%", content_type="application/pdf")
    upload.size = 10  # what a client claims does not count
    problem = refused(upload)
    assert problem.code == "too_large"
    assert "1MBまで" in problem.message
    assert StoredFile.objects.count() == 1
    assert len(on_disk(files_dir)) == 1


def test_the_default_limit_is_ten_megabytes(settings):
    settings.FILES_MAX_MB = 10
    assert POLICIES["consultation"].max_bytes == 10 * MB
    assert POLICIES["consultation"].max_text == "10MB"
    problem = refused(pdf() + b"\0" * (10 * MB))
    assert problem.code == "too_large"


def test_an_unknown_purpose_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown file purpose"):
        file_store(data=pdf(), name="a.pdf", purpose="nope", by=None)


@pytest.mark.parametrize(("name", "content_type", "expected"), [
    ("../../etc/passwd.pdf", "application/pdf", "passwd.pdf"),
    ("C:\\Users\\yamada\\保険証.JPG", "image/jpeg", "保険証.jpg"),
    ("写真.jpeg", "image/jpeg", "写真.jpeg"),
    ("scan", "application/pdf", "scan.pdf"),
    ("", "image/png", "file.png"),
    ("..", "image/png", "file.png"),
    ('a<b>c:"d|e?f*\x00\x1f.pdf', "application/pdf", "abcdef.pdf"),
    ("x" * 300 + ".pdf", "application/pdf", "x" * 116 + ".pdf"),
    ("ﾃｽﾄ.pdf", "application/pdf", "ﾃｽﾄ.pdf"),
])
def test_safe_names(name, content_type, expected):
    assert safe_name(name, content_type) == expected


def test_delete_removes_the_row_and_then_the_bytes(files_dir, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        stored = file_store(data=png(), name="a.png", purpose="consultation", by=None)
    assert on_disk(files_dir)
    with django_capture_on_commit_callbacks(execute=True):
        file_delete(stored=stored)
    assert not StoredFile.objects.exists()
    assert on_disk(files_dir) == []
    problem = None
    try:
        file_open(stored=stored)
    except FileRefused as error:
        problem = error
    assert problem is not None and problem.code == "missing"


def test_names_and_contents_never_reach_the_logs(caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.DEBUG, logger="madoguchi")
    with django_capture_on_commit_callbacks(execute=True):
        file_store(data=pdf("Yamada Hanako"), name="山田花子_保険証.pdf",
                   purpose="consultation", by=None)
    refused(b"Yamada Hanako text", name="山田花子_メモ.txt")
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "file " in text  # something was logged
    assert "山田" not in text and "Yamada" not in text


def test_storage_keys_cannot_leave_the_folder():
    for key in ("../x", "/etc/passwd", ".tmp/x.part", ""):
        with pytest.raises(ValueError):
            storage.final_path(key)
