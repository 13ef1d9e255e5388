"""The emergency message reaches players connected to two server processes through Redis,
over real WebSockets: a region's message only that region's screens, lifted again, the
fallback poll carrying it too, and a revoked key closing the player's socket."""

from __future__ import annotations

import asyncio
import http.cookiejar
import json
import re
import time
import urllib.request

import pytest
import websockets
from django.test import Client
from django.urls import reverse

from madoguchi.accounts.models import Role
from madoguchi.organisation.models import DistrictCentre, Region
from madoguchi.signage import services
from madoguchi.signage.models import Screen
from tests.helpers import login

pytestmark = pytest.mark.django_db(transaction=True)


def player_session(screen: Screen, by) -> str:
    """The session cookie of a player opened with the screen's key."""
    key = services.screen_key_issue(by=by, screen=screen)
    client = Client()
    client.get(reverse("signage:player_key", kwargs={"key": key}))
    return client.cookies["sessionid"].value


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def staff_post(base: str, user, path: str, fields: dict[str, str]) -> int:
    """A staff form post on ``base``, as the browser would (page, CSRF token, post)."""
    session = login(Client(), user).cookies["sessionid"].value
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(urllib.request.Request(f"{base}{path}",
                                              headers={"Cookie": f"sessionid={session}"}),
                       timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    csrf = next(c.value for c in jar if c.name == "csrftoken")
    body = "&".join(f"{k}={urllib.parse.quote(str(v))}" for k, v in
                    {"csrfmiddlewaretoken": token, **fields}.items())
    post = urllib.request.Request(
        f"{base}{path}", data=body.encode(), method="POST",
        headers={"Cookie": f"sessionid={session}; csrftoken={csrf}", "Referer": f"{base}{path}",
                 "Content-Type": "application/x-www-form-urlencoded"})
    try:
        return urllib.request.build_opener(NoRedirect).open(post, timeout=10).status
    except urllib.error.HTTPError as error:
        return error.code


async def connect(base: str, session: str):
    socket = await websockets.connect(base.replace("http://", "ws://") + "/ws/signage/",
                                      origin=base,
                                      additional_headers={"Cookie": f"sessionid={session}"})
    first = json.loads(await asyncio.wait_for(socket.recv(), 10))
    return socket, first


async def receive(socket) -> dict:
    return json.loads(await asyncio.wait_for(socket.recv(), 10))


async def together(*coroutines):
    return await asyncio.gather(*coroutines)


def test_emergency_reaches_players_on_both_processes(live_two, make_staff, redis_layer):
    server_a, server_b = live_two
    admin = make_staff(Role.WARD_ADMIN)
    centre = DistrictCentre.objects.get(district__code="ikejiri")
    far = DistrictCentre.objects.get(district__code="umegaoka")
    region = Region.objects.get(code="setagaya")
    near_a = player_session(Screen.objects.create(centre=centre, name="入口"), admin)
    near_b = player_session(Screen.objects.create(centre=centre, name="ロビー"), admin)
    far_b = player_session(far_screen := Screen.objects.create(centre=far, name="梅丘"), admin)

    loop = asyncio.new_event_loop()
    try:
        sockets = loop.run_until_complete(together(
            connect(server_a, near_a), connect(server_b, near_b), connect(server_b, far_b)))
        assert all(first == {"type": "emergency", "emergency": None} for _s, first in sockets)
        assert redis_layer.keys("*signage.players*"), "no channel-layer group in Redis"

        started = time.monotonic()
        assert staff_post(server_a, admin, "/signage/emergency/",
                          {"action": "start", "region": region.pk,
                           "message": "断水しています"}) == 302
        got = loop.run_until_complete(together(*(receive(s) for s, _f in sockets)))
        elapsed = time.monotonic() - started
        assert got[0]["emergency"]["message"] == got[1]["emergency"]["message"] == "断水しています"
        assert got[2] == {"type": "emergency", "emergency": None}  # another region
        assert elapsed < 10

        # The fallback poll (socket down) carries the same message.
        opener = urllib.request.build_opener()
        answer = json.loads(opener.open(urllib.request.Request(
            f"{server_b}/signage/player/schedule.json",
            headers={"Cookie": f"sessionid={near_b}"}), timeout=10).read())
        assert answer["emergency"]["message"] == "断水しています"

        emergency_id = got[0]["emergency"]["id"]
        assert staff_post(server_b, admin, "/signage/emergency/",
                          {"action": "lift", "emergency": emergency_id}) == 302
        lifted = loop.run_until_complete(together(*(receive(s) for s, _f in sockets)))
        assert all(m == {"type": "emergency", "emergency": None} for m in lifted)

        # Revoking the far screen's key closes its player's socket.
        assert staff_post(server_a, admin, "/signage/screens/",
                          {"action": "revoke", "screen": far_screen.public_id}) == 302
        far_socket = sockets[2][0]
        assert loop.run_until_complete(receive(far_socket)) == {"type": "revoked"}
        loop.run_until_complete(asyncio.wait_for(far_socket.wait_closed(), 10))
        assert far_socket.close_code == 4403
        for socket, _first in sockets:
            loop.run_until_complete(socket.close())
    finally:
        loop.close()
