"""Browser tests: headless Chromium (Debian's, never a downloaded one) against the real
ASGI server, started once per session on the pytest test database.

Fixtures for other browser tests:

- ``asgi_server`` (session): base URL (``http://127.0.0.1:<port>``) of uvicorn serving
  ``config.asgi:application`` on the test database.
- ``live_url`` (function): the same URL, with ``transactional_db`` so that the data a test
  writes is committed and visible to the server process (rows are flushed after the test).
- ``live_setagaya`` (function): ``live_url`` with the ward's organisation loaded.
- ``chromium`` (package): the playwright ``Browser``; skips (or fails under
  ``REQUIRE_TOOLS=1``) when Debian's chromium is absent (``needs("chromium")``).
- ``new_page(locale="ja-JP", **context_options)`` (function): a page in a fresh context;
  ``page``: one Japanese page at 1280x900.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection

from tests.tools import needs, unavailable

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PROJECT_ROOT = Path(__file__).resolve().parents[2]
SERVER_START_TIMEOUT = 60



def _database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for the server process pointing at the test database."""
    engine = settings_dict["ENGINE"]
    name = str(settings_dict["NAME"])
    if engine.endswith("sqlite3"):
        if name == ":memory:" or name.startswith("file:"):
            pytest.skip("the SQLite test database is in memory: another process cannot share it")
        return f"sqlite:///{Path(name).resolve()}"
    if "postgresql" in engine:
        user = quote(settings_dict.get("USER") or "")
        password = settings_dict.get("PASSWORD") or ""
        auth = f"{user}:{quote(password)}@" if password else (f"{user}@" if user else "")
        host = settings_dict.get("HOST") or "localhost"
        port = settings_dict.get("PORT") or 5432
        return f"postgres://{auth}{host}:{port}/{quote(name)}"
    pytest.skip(f"no live-server support for database engine {engine}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the ASGI server exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2):  # noqa: S310
                return
        except urllib.error.HTTPError:
            return  # it answered (503 = a check failed, but the server is up)
        except OSError:
            time.sleep(0.2)
    process.terminate()
    pytest.fail(f"the ASGI server did not answer /healthz in {SERVER_START_TIMEOUT}s:\n"
                f"{log.read_text()}")


@contextmanager
def uvicorn_server(app: str, env: dict[str, str], log: Path, port: int | None = None,
                   access_log: bool = False):
    """uvicorn serving the ASGI application ``app`` ("module:attribute") with ``env`` on
    ``port`` (a free one by default); yields its base URL once /healthz answers and stops
    it afterwards. ``access_log``: uvicorn's default access log on (into ``log``)."""
    port = port or _free_port()
    url = f"http://127.0.0.1:{port}"
    with log.open("w") as out:
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "uvicorn", app,
             "--host", "127.0.0.1", "--port", str(port), "--lifespan", "off",
             *([] if access_log else ["--no-access-log"])],
            cwd=PROJECT_ROOT, env={**env, "PYTHONUNBUFFERED": "1"}, stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_healthy(url, process, log)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextmanager
def run_asgi_server(database_url: str, log: Path, *, access_log: bool = False,
                    **extra_env: str):
    """uvicorn serving config.asgi:application on ``database_url`` with ``extra_env``;
    yields its base URL and stops it afterwards."""
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "false", **extra_env}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    with uvicorn_server("config.asgi:application", env, log, access_log=access_log) as url:
        yield url


@pytest.fixture(scope="session")
def asgi_server(django_db_setup, django_db_blocker, tmp_path_factory):
    """uvicorn serving config.asgi:application on the test database; yields its base URL."""
    with django_db_blocker.unblock():
        database_url = _database_url(connection.settings_dict)
    with run_asgi_server(database_url, tmp_path_factory.mktemp("asgi") / "server.log") as url:
        yield url


@pytest.fixture
def live_url(asgi_server, transactional_db):
    """The server's base URL; this test's writes are committed so the server sees them."""
    return asgi_server


@pytest.fixture
def live_setagaya(live_url):
    """The server's base URL with the ward's organisation loaded (committed)."""
    call_command("load_setagaya", verbosity=0)
    return live_url


@contextmanager
def launched_chromium(extra_args: tuple[str, ...] = ()):
    """Debian's Chromium, headless, with CHROMIUM_ARGS + ``extra_args``; skips (or fails
    under REQUIRE_TOOLS=1) when it is not installed or cannot start.

    Playwright's sync API runs an event loop in this thread while it is started; Django's
    ORM would then refuse to run in the test body (SynchronousOnlyOperation). The flag that
    allows it is set only while the browser is open, so it ends with the fixture's scope and
    cannot hide a real async-safety bug in tests that run later.
    """
    executable = needs("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    manager = sync_playwright()
    playwright = manager.start()
    try:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=[*CHROMIUM_ARGS, *extra_args],
        )
    except Exception as exc:  # noqa: BLE001
        manager.__exit__(None, None, None)
        unavailable(f"Chromium did not start: {exc}")
    try:
        yield browser
    finally:
        browser.close()
        manager.__exit__(None, None, None)
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def chromium():
    """Chromium for the tests of this package; closed after them."""
    with launched_chromium() as browser:
        yield browser


@pytest.fixture
def new_page(chromium):
    """new_page(locale="ja-JP", **context_options) -> a Page in its own browser context."""
    contexts = []

    def make(locale: str = "ja-JP", **options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = chromium.new_context(locale=locale, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()
