"""A full disk under FILES_DIR is refused honestly (issue 23 item 4): the upload is answered
507 with a message in the resident's language, and nothing is kept — no row, no partial
file, no plain bytes. The disk is made full by a write that raises ENOSPC: the one that
writes the encrypted temporary file (storage.write_all) and the one that spools a large
upload (upload_handler.spool_write)."""

from __future__ import annotations

import errno
import json
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from madoguchi.applications.models import Application, ApplicationAttachment
from madoguchi.files import storage, upload_handler
from madoguchi.files.models import StoredFile
from tests.applications.assist_helpers import attach, fill_in, jido_answers
from tests.applications.conftest import PNG, kazei_answers, portal_client
from tests.applications.test_assist_flow import _started
from tests.applications.test_portal_pages import _edit, _flat, draft  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

URL = "/api/v1/applications"
FULL_JA = "保存する場所がいっぱいのため、いまはファイルを受け付けられません。"
FULL_EN = "no room left to store files"
# Larger than FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB): spooled by the encrypted handler.
LARGE_PNG = PNG + b"resident-bytes-" * (200 * 1024)


def _no_space(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.fixture(params=["temporary file", "upload spool"])
def full_disk(request, monkeypatch, files_dir):
    """The disk is full where this parameter writes; yields the file to upload."""
    if request.param == "temporary file":
        monkeypatch.setattr(storage, "write_all", _no_space)
        return PNG
    monkeypatch.setattr(upload_handler, "spool_write", _no_space)
    return LARGE_PNG


def _nothing_kept(files_dir) -> None:
    assert not StoredFile.objects.exists()
    assert not ApplicationAttachment.objects.exists()
    assert not files_dir.exists() or not [p for p in files_dir.rglob("*") if p.is_file()]


def _api_post(client, data: bytes, **headers):
    return client.post(URL, {
        "procedure": "kazei-shomei", "district": "setagaya/ikejiri",
        "answers": json.dumps(kazei_answers(), ensure_ascii=False),
        "attachment.identity": SimpleUploadedFile("card.png", data, "image/png")},
        headers={"Idempotency-Key": "disk-full-key-0001", **headers})


def test_the_api_answers_507_in_japanese_and_keeps_nothing(catalogue, strong_identity,
                                                          files_dir, full_disk):
    response = _api_post(portal_client(strong_identity), full_disk)
    assert response.status_code == 507
    body = response.json()
    assert FULL_JA in body["detail"] and body["errors"]["attachments"] == [body["detail"]]
    assert not Application.objects.exists()
    _nothing_kept(files_dir)


def test_the_api_answers_in_english_when_asked(catalogue, strong_identity, files_dir,
                                               full_disk):
    client = portal_client(strong_identity)
    client.cookies["django_language"] = "en"
    response = _api_post(client, full_disk, **{"Accept-Language": "en"})
    assert response.status_code == 507 and FULL_EN in response.json()["detail"]
    assert not Application.objects.exists()
    _nothing_kept(files_dir)


def test_the_portal_page_refuses_with_507_next_to_the_field(draft, strong_identity,  # noqa: F811
                                                            files_dir, full_disk):
    response = portal_client(strong_identity).post(_edit(draft), {
        **_flat(kazei_answers()), "_action": "upload",
        "file-identity": SimpleUploadedFile("card.png", full_disk, "image/png")})
    assert response.status_code == 507
    text = response.content.decode()
    assert 'id="id_file-identity_error"' in text and FULL_JA in text
    _nothing_kept(files_dir)


def test_the_assisted_upload_refuses_with_507_and_the_next_one_is_received(
        catalogue, files_dir, resident, centre_client, monkeypatch, full_disk,
        django_capture_on_commit_callbacks):
    application = _started(centre_client, resident)
    fill_in(centre_client, application, jido_answers(application))
    response = attach(centre_client, application, "identity", content=full_disk)
    assert response.status_code == 507 and FULL_JA in response.content.decode()
    _nothing_kept(files_dir)

    monkeypatch.undo()  # space was freed: the next upload is received, not a 500
    with django_capture_on_commit_callbacks(execute=True):
        received = attach(centre_client, application, "identity", content=full_disk)
    assert received.status_code == 302
    stored = application.attachments.get().file
    assert stored.size == len(full_disk)
    assert [p.relative_to(files_dir).as_posix() for p in files_dir.rglob("*")
            if p.is_file()] == [stored.storage_key]
