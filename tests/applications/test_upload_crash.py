"""No plain bytes of an upload survive a crash (issue 12 item 4): the real ASGI server,
with its system temporary folder (TMPDIR) and FILES_DIR in test folders, is SIGKILLed in
the middle of a POST /api/v1/applications whose attachments are larger than Django keeps
in memory. Afterwards no file anywhere in either folder holds the uploaded bytes, and the
sweep removes every leftover.

Stopped deterministically inside the transaction (the test holds the applications lock,
as in test_crash.py): both attachments are then spooled (``.upload``) and checked
(``.part``), all encrypted. Then at random moments 20–150 ms after the body was sent."""

from __future__ import annotations

import http.client
import json
import random
import signal
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from madoguchi.files.tasks import sweep
from madoguchi.portal import session as portal_session
from tests.applications.conftest import PDF, PNG, kazei_answers
from tests.applications.live_server import (
    API,
    CSRF,
    files_on_disk,
    multipart,
    portal_cookie,
    post_application,
    server,
    wait_for,
    world,
)
from tests.applications.test_crash import NOW, _other_backends, applications_locked

pytestmark = pytest.mark.django_db(transaction=True)

# A line no cipher text holds by chance: found anywhere on disk, it is the resident's bytes.
MARKER = b"resident-document-%032x\n" % random.getrandbits(128)
REPEAT = 3 * 1024 * 1024 // len(MARKER)  # 3 MB: over FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB)


def large_attachments() -> dict[str, tuple[str, bytes, str]]:
    return {"attachment.identity": ("card.png", PNG + MARKER * REPEAT, "image/png"),
            "attachment.other": ("note.pdf", PDF + MARKER * REPEAT, "application/pdf")}


def plaintext_files(*folders: Path) -> list[str]:
    """Files under ``folders`` holding the marker (read whole: they are a few MB)."""
    found = []
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file() and MARKER[:40] in path.read_bytes():
                found.append(str(path))
    return found


@pytest.fixture
def folders(settings, tmp_path):
    settings.FILES_DIR = str(tmp_path / "files")
    system_tmp = tmp_path / "system-tmp"
    system_tmp.mkdir()
    return tmp_path / "files", system_tmp


def post_or_error(url: str, cookie: str):
    try:
        return post_application(url, cookie, "upload-crash-key-01", files=large_attachments())
    except OSError:  # the server died under the request
        return None


def test_killed_inside_the_transaction_no_plain_bytes_anywhere(folders, tmp_path):
    files_dir, system_tmp = folders
    cookie = portal_cookie(world())
    answers: list = []
    before = _other_backends()
    with server(files_dir, tmp_path / "server.log", TMPDIR=str(system_tmp)) as (url, process):
        with applications_locked() as waiting:
            request = threading.Thread(
                target=lambda: answers.append(post_or_error(url, cookie)), daemon=True)
            request.start()
            wait_for(lambda: sum(p.endswith(".part") for p in files_on_disk(files_dir)) == 2,
                     what="the checked files")
            if waiting is not None:
                wait_for(waiting, what="the server to wait for the lock")
            else:
                request.join(0.5)
            on_disk = files_on_disk(files_dir)
            assert sorted(Path(p).suffix for p in on_disk) == [".part", ".part", ".upload",
                                                               ".upload"], on_disk
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)
        request.join(10)
    assert answers == [None]
    wait_for(lambda: not _other_backends() - before, what="the dead server's connections")

    assert plaintext_files(files_dir, system_tmp) == []
    assert list(system_tmp.iterdir()) == []  # Django wrote nothing there by name
    report = sweep(grace=NOW)
    assert report.temp_removed == 4 and report.errors == 0
    assert files_on_disk(files_dir) == []


def _send(url: str, cookie: str, body: bytes, content_type: str) -> http.client.HTTPConnection:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    conn.request("POST", API, body=body, headers={
        "Content-Type": content_type, "Idempotency-Key": f"crash-{random.getrandbits(64):x}",
        "X-CSRFToken": CSRF, "Cookie": f"{portal_session.COOKIE}={cookie}; csrftoken={CSRF}"})
    return conn


def test_killed_at_random_moments_after_the_body_no_plain_bytes_anywhere(folders, tmp_path):
    files_dir, system_tmp = folders
    cookie = portal_cookie(world())
    body, content_type = multipart(
        {"procedure": "kazei-shomei", "district": "setagaya/ikejiri",
         "answers": json.dumps(kazei_answers(), ensure_ascii=False)}, large_attachments())
    for delay in (random.uniform(0.02, 0.15), 0.15):
        with server(files_dir, tmp_path / "server.log", TMPDIR=str(system_tmp)) as (url,
                                                                                    process):
            conn = _send(url, cookie, body, content_type)
            threading.Event().wait(delay)
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)
            conn.close()
        assert plaintext_files(files_dir, system_tmp) == [], f"killed after {delay:.3f}s"
    sweep(grace=NOW)
    assert files_on_disk(files_dir) == [] and list(system_tmp.iterdir()) == []
