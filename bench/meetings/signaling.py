"""(b) Signaling relay: ROOMS pairs of WebSocket clients relaying ``candidate`` frames
through the Channels consumer and through a bare ``websockets`` relay (its server, run in
its own process by ``python -m bench.meetings relay``, is here too)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import statistics
import time

from bench.meetings.servers import server, server_cpu

ROOMS = int(os.environ.get("BENCH_MEETINGS_ROOMS", "500"))  # fewer on a busy machine
ROUND_TRIPS = 10  # per pair: 10 frames each way, 20 relays (10,000 in all)
CONNECT_CONCURRENCY = 50
PHASE_TIMEOUT = 120  # seconds, per phase of (b)


def _candidate(to: str, seq: int) -> str:
    return json.dumps({"type": "candidate", "to": to, "candidate": {
        "candidate": f"candidate:842163049 1 udp 1677729535 192.0.2.{seq % 250 + 1} "
                     f"{50000 + seq} typ srflx raddr 0.0.0.0 rport 0 generation 0",
        "sdpMid": "0", "sdpMLineIndex": 0, "usernameFragment": "bnch"}})


async def _recv_json(ws, want: set[str]) -> dict:
    while True:
        message = json.loads(await ws.recv())
        if message.get("type") in want:
            return message
        if message.get("type") == "error":
            raise RuntimeError(f"server error {message.get('code')}")


async def _relay_load(connect_pair, clients_label: str, cpu=lambda: None) -> dict:
    """Connect ROOMS pairs with ``connect_pair(i) -> (a, b, peer_a, peer_b)``, then relay
    ROUND_TRIPS frames each way per pair; one-way latencies measured in this process.
    ``cpu()``: the server process's CPU seconds so far (``server_cpu``)."""
    cpu_began = cpu()
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
    pairs: list = [None] * ROOMS
    pair_ms: list[float] = []

    async def connect(i: int) -> None:
        async with gate:
            began = time.perf_counter()
            pairs[i] = await connect_pair(i)
            pair_ms.append((time.perf_counter() - began) * 1000)

    started = time.perf_counter()
    tasks = [asyncio.create_task(connect(i)) for i in range(ROOMS)]
    try:
        await asyncio.wait_for(asyncio.gather(*tasks), PHASE_TIMEOUT)
        setup = time.perf_counter() - started
        cpu_setup = cpu()
        latencies: list[float] = []
        done = [0]

        async def exchange(pair) -> None:
            a, b, peer_a, peer_b = pair
            for seq in range(ROUND_TRIPS):
                for sender, receiver, to in ((a, b, peer_b), (b, a, peer_a)):
                    sent = time.perf_counter()
                    await sender.send(_candidate(to, seq))
                    await _recv_json(receiver, {"candidate"})
                    latencies.append((time.perf_counter() - sent) * 1000)
                    done[0] += 1

        started = time.perf_counter()
        complete = True
        try:
            await asyncio.wait_for(asyncio.gather(*(exchange(p) for p in pairs)), PHASE_TIMEOUT)
        except TimeoutError:
            complete = False
        elapsed = time.perf_counter() - started
        cpu_relay = cpu()
    finally:
        for task in tasks:
            task.cancel()
        sockets = [ws for pair in pairs if pair for ws in pair[:2]]
        with contextlib.suppress(Exception):
            await asyncio.wait_for(asyncio.gather(*(ws.close() for ws in sockets),
                                                  return_exceptions=True), 10)
    latencies.sort()
    pair_ms.sort()
    server_cpu_figures = {}
    if None not in (cpu_began, cpu_setup, cpu_relay):
        server_cpu_figures = {
            "server_cpu_ms_per_pair_setup": round((cpu_setup - cpu_began) * 1000 / ROOMS, 2),
            "server_cpu_us_per_frame": round((cpu_relay - cpu_setup) * 1e6 / max(done[0], 1),
                                             1)}
    return {**server_cpu_figures, "clients": 2 * ROOMS, "rooms": ROOMS,
            "round_trips_each_way": ROUND_TRIPS,
            "frames": done[0], "complete": complete, "seconds": round(elapsed, 2),
            "setup_s": round(setup, 1), "frames_per_s": round(done[0] / elapsed, 1),
            "p50_ms": round(statistics.median(latencies), 2),
            "p95_ms": round(latencies[int(len(latencies) * 0.95)], 2),
            "max_ms": round(latencies[-1], 2), "server": clients_label,
            # Setup on its own: both members of a pair connected (and, for Channels,
            # joined: session, identity, attendance, timeline), CONNECT_CONCURRENCY at once.
            "setup_pairs_per_s": round(len(pair_ms) / setup, 1),
            "setup_pair_p50_ms": round(statistics.median(pair_ms), 1),
            "setup_pair_p95_ms": round(pair_ms[int(len(pair_ms) * 0.95)], 1)}


async def _channels_relay(port: int, world: dict) -> dict:
    from websockets.asyncio.client import connect

    origin = f"http://127.0.0.1:{port}"
    cookies = [f"sessionid={s}" for s in world["sessions"]]

    async def join(room: str, cookie: str) -> tuple:
        ws = await connect(f"ws://127.0.0.1:{port}/ws/meet/{room}/", origin=origin,
                           additional_headers={"Cookie": cookie}, open_timeout=30,
                           ping_interval=None, close_timeout=5)
        await ws.send(json.dumps({"type": "join"}))
        admitted = await asyncio.wait_for(_recv_json(ws, {"admitted", "lobby"}), 30)
        if admitted["type"] != "admitted":
            raise RuntimeError("a host was sent to the lobby")
        return ws, admitted

    async def pair(i: int) -> tuple:
        room = world["relay_rooms"][i]
        a, first = await join(room, cookies[0])
        b, second = await join(room, cookies[1])
        joined = await asyncio.wait_for(_recv_json(a, {"peer-joined"}), 30)
        assert [p["peer"] for p in second["peers"]] == [first["peer"]]
        assert joined["peer"] == second["peer"]
        return a, b, first["peer"], second["peer"]

    return await _relay_load(pair, "uvicorn + Channels MeetingConsumer, in-memory layer",
                             server_cpu(port))


async def _bare_load(port: int) -> dict:
    from websockets.asyncio.client import connect

    async def pair(i: int) -> tuple:
        url = f"ws://127.0.0.1:{port}/r/{i}"
        a = await connect(url, open_timeout=30, ping_interval=None, close_timeout=5)
        b = await connect(url, open_timeout=30, ping_interval=None, close_timeout=5)
        for ws in (a, b):
            await asyncio.wait_for(_recv_json(ws, {"ready"}), 30)
        return a, b, "a" * 16, "b" * 16

    return await _relay_load(pair, "bare websockets server forwarding to the pair",
                             server_cpu(port))


def relay(port: int, world: dict) -> dict:
    try:
        return asyncio.run(_channels_relay(port, world))
    except Exception as error:  # noqa: BLE001 - reported, the bare figure still runs
        return {"failed": f"{type(error).__name__}: {error}"}


def _bare_relay():
    return server(["-m", "bench.meetings", "relay"], "bare-relay", "/")


def bare_relay() -> dict:
    try:
        with _bare_relay() as port:
            return asyncio.run(_bare_load(port))
    except Exception as error:  # noqa: BLE001
        return {"failed": f"{type(error).__name__}: {error}"}


# --- the bare relay server (its own process) ------------------------------------------


async def serve_bare(port: int) -> None:
    from websockets.asyncio.server import serve
    from websockets.http11 import Response

    rooms: dict[str, list] = {}

    async def handler(ws) -> None:
        room = ws.request.path
        members = rooms.setdefault(room, [])
        members.append(ws)
        if len(members) == 2:
            for member in members:
                await member.send('{"type": "ready"}')
        try:
            async for frame in ws:
                for other in rooms.get(room, ()):
                    if other is not ws:
                        await other.send(frame)
        finally:
            rooms.pop(room, None)

    def health(connection, request):
        if request.path == "/":  # plain HTTP probe from _wait_for_port
            from websockets.datastructures import Headers

            return Response(200, "OK", Headers(), b"ok")
        return None

    async with serve(handler, "127.0.0.1", port, process_request=health, ping_interval=None,
                     max_size=2**16) as server:
        await server.serve_forever()
