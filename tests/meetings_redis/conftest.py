"""Two ASGI server processes on the test database sharing a Redis channel layer.

``REDIS_URL`` points at database ``REDIS_DB`` of the Redis on 127.0.0.1 (override with
``MEETINGS_TEST_REDIS_URL``); that database is flushed before and after the servers run, so
nothing of an earlier run (groups, queued messages) reaches this one. Without a reachable
Redis the tests skip, or fail under ``REQUIRE_TOOLS=1`` (CI has Redis).
"""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command
from django.db import connection

from tests.browser.conftest import _database_url, run_asgi_server
from tests.meetings.conftest import media_chromium, media_page  # noqa: F401
from tests.tools import unavailable

REDIS_DB = 5
REDIS_URL = os.environ.get("MEETINGS_TEST_REDIS_URL", f"redis://127.0.0.1:6379/{REDIS_DB}")


def _redis_client():
    try:
        import redis
    except ImportError:
        unavailable("the redis package is not installed")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=5)
    try:
        client.ping()
    except Exception as exc:  # noqa: BLE001 - any failure: no usable Redis here
        client.close()
        unavailable(f"Redis is not reachable at {REDIS_URL}: {type(exc).__name__}")
    return client


@pytest.fixture(scope="module")
def redis_layer():
    """A Redis client on the (flushed) database the servers' channel layer uses."""
    client = _redis_client()
    client.flushdb()
    try:
        yield client
    finally:
        client.flushdb()
        client.close()


@pytest.fixture(scope="module")
def two_asgi_servers(redis_layer, django_db_setup, django_db_blocker, tmp_path_factory):
    """(url A, url B): two uvicorn processes on the test database, one Redis channel layer."""
    with django_db_blocker.unblock():
        database_url = _database_url(connection.settings_dict)
    logs = tmp_path_factory.mktemp("asgi-redis")
    with run_asgi_server(database_url, logs / "a.log", REDIS_URL=REDIS_URL) as a, \
            run_asgi_server(database_url, logs / "b.log", REDIS_URL=REDIS_URL) as b:
        yield a, b


@pytest.fixture
def live_two(two_asgi_servers, transactional_db):
    """Both servers' URLs; this test's writes are committed (and flushed afterwards) and the
    ward's organisation is loaded."""
    call_command("load_setagaya", verbosity=0)
    return two_asgi_servers
