"""Redis, when configured, holds the cache and is checked by /healthz (issue 23; ADR 0025)."""

from __future__ import annotations

import redis

from tests.faults.conftest import manage

CACHE_ROUND_TRIP = """
from django.core.cache import caches
cache = caches["default"]
cache.set("drill", "kept", 60)
print(type(cache).__name__, cache.get("drill"))
"""


def test_the_cache_lives_in_redis_when_redis_url_is_set(redis_server):
    out = manage("shell", "-c", CACHE_ROUND_TRIP, REDIS_URL=redis_server.url)
    assert out.split()[-2:] == ["RedisCache", "kept"]
    client = redis.Redis.from_url(redis_server.url)
    try:
        assert client.get(":1:drill") is not None  # written to Redis, not process memory
    finally:
        client.close()


def test_healthz_checks_redis_when_configured(client, db, settings, redis_server):
    settings.REDIS_URL = redis_server.url
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["redis"] == {"ok": True}

    redis_server.stop()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"] == {"ok": False, "error": "ConnectionError"}


def test_healthz_has_no_redis_check_without_redis(client, db, settings):
    settings.REDIS_URL = ""
    assert "redis" not in client.get("/healthz").json()["checks"]
