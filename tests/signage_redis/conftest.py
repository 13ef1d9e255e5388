"""Two ASGI servers sharing a Redis channel layer (the fixtures of tests/meetings_redis)."""

from tests.meetings_redis.conftest import live_two, redis_layer, two_asgi_servers  # noqa: F401
