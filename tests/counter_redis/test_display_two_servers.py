"""A call reaches call displays connected to two server processes through Redis.

Displays (plain WebSocket clients) connect to server A and server B; the clerk calls on
server A over HTTP; every display receives the call with the current list. A display that
reconnects after calls it missed gets the current state first.
"""

from __future__ import annotations

import asyncio
import json
import re

import pytest
import websockets
from django.test import Client

from madoguchi.accounts.models import Role
from madoguchi.counter import services
from madoguchi.counter.catalogue import load_defaults
from madoguchi.counter.models import Office, TicketSource
from tests.helpers import login

pytestmark = pytest.mark.django_db(transaction=True)


def _ws(base: str, office: str) -> str:
    return base.replace("http://", "ws://") + f"/ws/counter/{office}/"


async def _connect(url: str, origin: str):
    socket = await websockets.connect(url, origin=origin)
    first = json.loads(await asyncio.wait_for(socket.recv(), 10))
    return socket, first


def _call_over_http(base: str, clerk, office: Office, number: int) -> None:
    """「次の方を呼ぶ」 on the counter page of ``base``, as the clerk's browser would."""
    import http.cookiejar
    import urllib.request

    session = login(Client(), clerk).cookies["sessionid"].value
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = f"{base}/counter/o/{office.code}/counters/{number}/"
    html = opener.open(urllib.request.Request(page, headers={"Cookie": f"sessionid={session}"}),
                       timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    csrf = next(c.value for c in jar if c.name == "csrftoken")
    post = urllib.request.Request(
        f"{page}act/", data=f"csrfmiddlewaretoken={token}&action=next".encode(), method="POST",
        headers={"Cookie": f"sessionid={session}; csrftoken={csrf}", "Referer": page,
                 "Content-Type": "application/x-www-form-urlencoded"})
    build = urllib.request.build_opener()  # no cookie processor: the header above is all
    build.open(post, timeout=10)


def test_a_call_reaches_displays_on_both_processes(live_two, make_staff, redis_layer):
    server_a, server_b = live_two
    load_defaults()
    office = Office.objects.get(code="setagaya-ikejiri")
    clerk = make_staff(Role.DISTRICT_STAFF, "setagaya/ikejiri/machizukuri-center")
    for _ in range(3):
        services.ticket_issue(office=office, service=office.services.first(),
                              source=TicketSource.RECEPTION)

    async def displays():
        return [await _connect(_ws(base, office.code), base)
                for base in (server_a, server_b, server_a, server_b)]

    loop = asyncio.new_event_loop()
    try:
        connected = loop.run_until_complete(displays())
        assert all(first["state"]["waiting"] == 3 for _s, first in connected)
        _call_over_http(server_a, clerk, office, 1)

        async def receive_all():
            out = []
            for socket, _first in connected:
                message = json.loads(await asyncio.wait_for(socket.recv(), 10))
                out.append(message)
            return out

        received = loop.run_until_complete(receive_all())
        assert all(m["call"] == {"label": "A001", "counter": 1} for m in received)
        assert all(m["state"]["calls"][0]["label"] == "A001" for m in received)
        assert redis_layer.keys("*counter.office*"), "no channel-layer group in Redis"

        # One display drops; two more calls happen; it reconnects to the other server.
        loop.run_until_complete(connected[1][0].close())
        _call_over_http(server_a, clerk, office, 2)
        _call_over_http(server_a, clerk, office, 1)
        _socket, first = loop.run_until_complete(_connect(_ws(server_a, office.code), server_a))
        labels = [c["label"] for c in first["state"]["calls"]]
        assert labels[:3] == ["A003", "A002", "A001"] and first["state"]["waiting"] == 0
        loop.run_until_complete(_socket.close())
        for socket, _first in connected:
            loop.run_until_complete(socket.close())
    finally:
        loop.close()
