"""The real ASGI server for the crash and concurrency tests of the applications API, and
a stdlib HTTP client that posts applications to it as a resident's browser would (portal
cookie, CSRF cookie and header, multipart body, Idempotency-Key).

``server(...)`` yields the base URL and the ``Popen`` so that a test can SIGKILL the
process in the middle of a request. ``app`` may name a test ASGI module
(tests/applications/crash_asgi.py) instead of config.asgi.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.core.management import call_command
from django.db import connection

from madoguchi.portal import session as portal_session
from madoguchi.portal.models import Level, Method, PortalIdentity
from tests.applications.conftest import PDF, PNG, kazei_answers, portal_client
from tests.browser.conftest import PROJECT_ROOT, _database_url, _free_port, _wait_until_healthy

CSRF = "c" * 32  # a CSRF secret: cookie and header carry the same value
API = "/api/v1/applications"


@contextmanager
def server(files_dir: Path, log: Path, *, app: str = "config.asgi:application",
           **extra_env: str):
    """uvicorn serving ``app`` on the test database, with FILES_DIR = ``files_dir``;
    yields (base URL, process). Stops it afterwards unless it is already dead."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": _database_url(connection.settings_dict),
           "DEBUG": "false", "FILES_DIR": str(files_dir), "CLAMD_ADDRESS": "",
           "PYTHONUNBUFFERED": "1", **extra_env}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    with log.open("a") as out:
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port),
             "--lifespan", "off", "--no-access-log"],
            cwd=PROJECT_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_until_healthy(url, process, log)
        yield url, process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


def world() -> PortalIdentity:
    """The ward, the catalogue and a resident with a strong (My Number Card) identity,
    committed (the test must use ``transactional_db``)."""
    call_command("load_setagaya", verbosity=0)
    call_command("load_procedures", verbosity=0)
    return PortalIdentity.objects.create(method=Method.OIDC, level=Level.STRONG,
                                         issuer="https://idp.example.jp",
                                         subject=f"sub-{uuid.uuid4().hex[:8]}")


def portal_cookie(identity: PortalIdentity) -> str:
    """A saved portal session of ``identity`` at its level; returns the cookie value."""
    return portal_client(identity).cookies[portal_session.COOKIE].value


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]
              ) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     .encode() + value.encode() + b"\r\n")
    for name, (filename, data, content_type) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                     f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
                     .encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def two_attachments() -> dict[str, tuple[str, bytes, str]]:
    return {"attachment.identity": ("card.png", PNG, "image/png"),
            "attachment.other": ("note.pdf", PDF, "application/pdf")}


@dataclass
class Answer:
    status: int
    body: dict | list | None


def post_application(url: str, cookie: str, key: str, *, answers: dict | None = None,
                     files: dict | None = None, timeout: float = 60) -> Answer:
    """POST /api/v1/applications (課税証明, 池尻) as the resident of ``cookie``."""
    body, content_type = multipart(
        {"procedure": "kazei-shomei", "district": "setagaya/ikejiri",
         "answers": json.dumps(answers or kazei_answers(), ensure_ascii=False)},
        two_attachments() if files is None else files)
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.request("POST", API, body=body, headers={
            "Content-Type": content_type, "Idempotency-Key": key, "X-CSRFToken": CSRF,
            "Cookie": f"{portal_session.COOKIE}={cookie}; csrftoken={CSRF}"})
        response = conn.getresponse()
        raw = response.read()
    finally:
        conn.close()
    try:
        payload = json.loads(raw) if raw else None
    except ValueError:
        payload = {"raw": raw[:500].decode(errors="replace")}
    return Answer(response.status, payload)


def files_on_disk(root: Path) -> list[str]:
    if not root.exists():
        return []
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def wait_for(condition, *, timeout: float = 30, what: str = "the condition") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")
