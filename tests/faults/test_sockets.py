"""Room sockets through a real Redis channel layer (issue 23 items 3 and 7; ADR 0025): an
uvicorn process on the test database with a Redis of the drill's own, which the drill
kills and starts again. Clients are plain WebSocket connections that behave as call.js
does (join on open, reconnect after a drop)."""

from __future__ import annotations

import json
import time

import pytest
from django.db import connection
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from madoguchi.meetings.models import Attendance, AttendanceState
from madoguchi.meetings.services import CLOSED_STATES
from tests.browser.conftest import _database_url, run_asgi_server
from tests.faults.conftest import Redis
from tests.meetings.conftest import build_world, session_cookie


@pytest.fixture(scope="module")
def redis_stack(django_db_setup, django_db_blocker, tmp_path_factory):
    """(Redis, the server's base URL): uvicorn with its channel layer on that Redis."""
    with django_db_blocker.unblock():
        database_url = _database_url(connection.settings_dict)
    redis = Redis()
    try:
        log = tmp_path_factory.mktemp("sockets") / "server.log"
        with run_asgi_server(database_url, log, REDIS_URL=redis.url) as url:
            yield redis, url
    finally:
        redis.stop()


@pytest.fixture
def room(redis_stack, transactional_db, make_staff):
    from django.core.management import call_command

    call_command("load_setagaya", verbosity=0)
    return build_world(make_staff)


class Client:
    """One participant's connection, reconnecting as call.js does."""

    def __init__(self, base: str, room_id, session_id: str):
        self.url = base.replace("http://", "ws://") + f"/ws/meet/{room_id}/"
        self.headers = {"Cookie": f"sessionid={session_id}", "Origin": base}
        self.socket = None

    def open(self, *, timeout: float = 30) -> dict:
        """Connect (retrying while the server cannot serve) and join: the first answer."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.socket = connect(self.url, additional_headers=self.headers,
                                      open_timeout=5)
                self.send({"type": "join"})
                return self.expect("admitted", "lobby")
            except (OSError, ConnectionClosed, InvalidStatus, TimeoutError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)

    def send(self, message: dict) -> None:
        self.socket.send(json.dumps(message))

    def expect(self, *kinds: str, timeout: float = 10) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            message = json.loads(self.socket.recv(timeout=max(deadline - time.monotonic(), 0)))
            if message["type"] in kinds:
                return message

    def waiting(self) -> list[dict]:
        """The lobby as the host sees it, once someone is in it."""
        while not (waiting := self.expect("waiting")["waiting"]):
            pass
        return waiting

    def dropped(self, timeout: float = 10) -> bool:
        try:
            while True:
                self.socket.recv(timeout=timeout)
        except ConnectionClosed:
            return True
        except TimeoutError:
            return False

    def close(self) -> None:
        if self.socket is not None:
            self.socket.close()


def open_attendances(room) -> list[tuple[str, str]]:
    return sorted(Attendance.objects.filter(room=room).exclude(state__in=CLOSED_STATES)
                  .values_list("participant__kind", "state"))


@pytest.mark.slow
def test_an_idle_room_socket_stays_open_for_30_seconds(redis_stack, room):
    """redis-py 8 cut every read after 5 s, the length of channels-redis' blocking receive,
    which dropped idle sockets every 5 s; the layer's read timeout is above it now."""
    _, base = redis_stack
    _, host_session = session_cookie(room.staff.host)
    host = Client(base, room.room.public_id, host_session)
    try:
        assert host.open()["type"] == "admitted"
        assert not host.dropped(timeout=30), "the idle socket was closed"
        host.send({"type": "ping"})
        assert host.expect("pong")["type"] == "pong"
    finally:
        host.close()


def test_a_redis_restart_with_a_room_open_leaves_no_ghost(redis_stack, room):
    redis, base = redis_stack
    _, host_session = session_cookie(room.staff.host)
    _, guest_session = session_cookie(join_token=room.guest_token)
    host = Client(base, room.room.public_id, host_session)
    guest = Client(base, room.room.public_id, guest_session)
    try:
        assert host.open()["type"] == "admitted"
        assert guest.open()["type"] == "lobby"
        assert [w["label"] for w in host.waiting()] == ["専門 相談員"]

        redis.stop()
        assert host.dropped() and guest.dropped()  # no layer, no socket: call.js reconnects
        redis.start()
        assert host.open()["type"] == "admitted"
        assert guest.open()["type"] == "lobby"

        # Once in the lobby, once in the call: the dropped connections left no ghost.
        waiting = host.waiting()
        assert [w["label"] for w in waiting] == ["専門 相談員"]
        assert open_attendances(room.room) == [
            ("guest", AttendanceState.WAITING), ("staff", AttendanceState.ADMITTED)]
        # The room works again without a server restart: admission and chat cross Redis.
        host.send({"type": "admit", "peer": waiting[0]["peer"]})
        guest.expect("admitted")
        guest.send({"type": "chat", "text": "聞こえます"})
        assert host.expect("chat")["text"] == "聞こえます"
    finally:
        host.close()
        guest.close()
