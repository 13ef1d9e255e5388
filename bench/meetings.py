"""Figures for the video rooms (issue 4), written to var/bench/meetings.json.

(a) Join → connected: two headless Chromium pages (Debian's /usr/bin/chromium, fake camera
    and microphone) against a real uvicorn. Two staff members of the booking's section
    (both hosts, so no lobby) are in one room: the first stays, the second joins 10 times
    (after one warm-up join) in a fresh browser context. Per join, time from the page
    sending the ``join`` frame to both RTCPeerConnections being ``connected`` (timestamps
    taken inside the pages on the shared wall clock), and from opening the page to the same.
    Skipped with a note when Chromium or Playwright is absent.
(b) Signaling relay: 1,000 WebSocket clients in 500 rooms (two hosts each) on one uvicorn
    process with the in-memory channel layer. Each pair relays ``candidate`` frames back
    and forth (ROUND_TRIPS each way, one frame in flight per pair): p50/p95 one-way relay
    latency and relayed frames per second. The same load, in the same run, against a bare
    ``websockets`` relay (a server that forwards each text frame to the other member of
    its pair); the ratio of the two is the cost of Channels, Django and the protocol.

Everything runs in a child process (``python -m bench.meetings child``) on a
scratch SQLite database var/bench/meetings.sqlite3 (migrate + load_setagaya + staff,
bookings and rooms made here), with REDIS_URL cleared so the in-memory layer is used.
Only 127.0.0.1 is contacted; every step has a timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "var" / "bench"
SCRATCH_DB = OUT / "meetings.sqlite3"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--use-fake-device-for-media-stream",
                 "--use-fake-ui-for-media-stream", "--allow-loopback-in-peer-connection"]
SECTION = "setagaya/hoken-fukushi"
CENTRE = "setagaya/ikejiri/machizukuri-center"
JOINS = 10
JOIN_TIMEOUT_MS = 20_000
MAX_JOIN_ATTEMPTS = 2 * JOINS + 1  # a timed-out join is retried, up to this many in all
ROOMS = int(os.environ.get("BENCH_MEETINGS_ROOMS", "500"))  # fewer on a busy machine
ROUND_TRIPS = 10  # per pair: 10 frames each way, 20 relays (10,000 in all)
CONNECT_CONCURRENCY = 50
PHASE_TIMEOUT = 120  # seconds, per phase of (b)
CHILD_TIMEOUT = 420
SERVER_START_TIMEOUT = 60

# Recorded inside each page: when the `join` frame leaves, and when a peer connection
# becomes `connected` (epoch milliseconds, comparable between the pages).
PAGE_PROBE = """(() => {
  const now = () => performance.timeOrigin + performance.now();
  const bench = window.__bench = { join: null, connected: [] };
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    try {
      if (typeof data === "string" && JSON.parse(data).type === "join") bench.join = now();
    } catch (e) { /* not JSON: not ours */ }
    return send.call(this, data);
  };
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("connectionstatechange", () => {
        if (this.connectionState === "connected") bench.connected.push(now());
      });
    }
  };
})();"""


# --- parent side ----------------------------------------------------------------------


def run(*, browser: bool = True) -> dict:
    """Run the benchmark in a child process on the scratch database; return its figures.
    ``browser=False`` (``python -m bench meetings relay``): (b) alone."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{SCRATCH_DB}", "REDIS_URL": "",
           "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "false",
           "BENCH_MEETINGS_BROWSER": "1" if browser else "0"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    try:
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "bench.meetings", "child"], cwd=ROOT, env=env,
            capture_output=True, text=True, timeout=CHILD_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        return {"failed": f"the meetings benchmark took longer than {CHILD_TIMEOUT}s"}
    if done.returncode != 0 or not done.stdout.strip():
        return {"failed": f"exit {done.returncode}: {done.stderr[-3000:]}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def rows(figures: dict) -> list[tuple[str, str, str]]:
    """Table rows (figure, value, note) for `make bench`."""
    out = [("figure", "value", "note")]
    if "failed" in figures:
        out.append(("meetings benchmark", "failed", figures["failed"][-300:]))
        return out
    join = figures["join_to_connected"]
    if "skipped" in join:
        out.append(("join → connected (2 Chromium pages)", "skipped", join["skipped"]))
    else:
        note = (f"median of {join['joins']} joins; p95 {join['join_frame']['p95_ms']:.0f} ms;"
                f" {join.get('failures', 0)} failed and retried")
        out.append(("join frame → both peers connected",
                    f"{join['join_frame']['median_ms']:.0f} ms", note))
        out.append(("page opened → both peers connected",
                    f"{join['page_open']['median_ms']:.0f} ms",
                    f"min {join['page_open']['min_ms']:.0f} ms"))
    relay = figures["relay"]
    for key, name in (("channels", "Channels consumer"), ("bare", "bare websockets relay")):
        r = relay[key]
        if "failed" in r:
            out.append((f"relay: {name}", "failed", r["failed"][-200:]))
            continue
        out.append((f"relay: {name}, frames/s", f"{r['frames_per_s']:,.0f}",
                    f"{r['clients']} clients, {r['rooms']} rooms, {r['frames']:,} frames"
                    f"{'' if r['complete'] else ', INCOMPLETE'}"))
        out.append((f"relay: {name}, latency p50 / p95",
                    f"{r['p50_ms']:.1f} / {r['p95_ms']:.1f} ms",
                    f"setup {r['setup_s']:.1f} s"))
        if "setup_pairs_per_s" in r:
            out.append((f"setup: {name}, pairs connected and joined/s",
                         f"{r['setup_pairs_per_s']:,.1f}",
                         f"per pair p50 {r['setup_pair_p50_ms']:.0f} ms, "
                         f"p95 {r['setup_pair_p95_ms']:.0f} ms ({CONNECT_CONCURRENCY} at once)"))
        if "server_cpu_ms_per_pair_setup" in r:
            out.append((f"setup: {name}, server CPU per pair",
                        f"{r['server_cpu_ms_per_pair_setup']:.2f} ms",
                        f"relay: {r['server_cpu_us_per_frame']:.0f} µs CPU per frame"))
    if "setup_cpu_ratio" in relay:
        out.append(("setup: Channels / bare (server CPU per pair)",
                    f"{relay['setup_cpu_ratio']}x",
                    f"pairs/s bare / Channels {relay['setup_rate_ratio']}x"))
    if "bare_over_channels" in relay:
        out.append(("relay: bare / Channels (frames/s)", f"{relay['bare_over_channels']}x",
                    f"p50 latency Channels / bare {relay['latency_p50_ratio']}x"))
    return out


# --- child: setup ---------------------------------------------------------------------


def _raise_fd_limit() -> tuple[int, int]:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = hard if hard != resource.RLIM_INFINITY else 65_536
    if soft < want:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)


def _setup_django() -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{SCRATCH_DB}{suffix}").unlink(missing_ok=True)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_setagaya", verbosity=0)


def _staff(username: str, role: str, unit_code: str):
    from madoguchi.accounts.services import staff_upsert
    from madoguchi.organisation.models import Section

    return staff_upsert(username=username, display_name=username, password="x" * 16,
                        role=role, unit=Section.objects.get(code=unit_code))


def _session(user) -> str:
    """A logged-in session for ``user`` (second factor done when the role requires it, as
    the login page would leave it); returns the session id."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from madoguchi.accounts.policy import requires_two_factor

    client = Client()
    client.force_login(user)
    if requires_two_factor(user):
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="authenticator",
                                                     defaults={"confirmed": True})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    from django.conf import settings

    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _world() -> dict:
    """Two hosts of the section (with sessions), one booking made through the booking
    service for (a), and ROOMS bookings with rooms for (b)."""
    from madoguchi.accounts.models import Role
    from madoguchi.meetings import services as meetings
    from madoguchi.meetings.models import Room
    from madoguchi.organisation.models import DistrictCentre, Section
    from madoguchi.scheduling import services as scheduling
    from madoguchi.scheduling.models import Booking
    from madoguchi.scheduling.selectors import find_slots

    section = Section.objects.get(code=SECTION)
    centre = DistrictCentre.objects.get(district__region__code="setagaya",
                                        district__code="ikejiri")
    booker = _staff("bench-desk", Role.DISTRICT_STAFF, CENTRE)
    hosts = [_staff(f"bench-host-{i}", Role.SECTION_STAFF, SECTION) for i in (1, 2)]
    slot = find_slots(section=section, centre=centre, staff=hosts[0], booth_required=False,
                      limit=1)[0]
    booking = scheduling.booking_create(section=section, centre=centre, staff=hosts[0],
                                        start=slot.start, booth_required=False,
                                        title="bench call", by=booker)
    call_room = meetings.room_for_booking(booking=booking)
    # The relay rooms: bookings of the section straight through the ORM (the booking
    # service's slot checks are not what is measured), one room each.
    start = slot.start + dt.timedelta(days=1)
    bookings = Booking.objects.bulk_create(
        Booking(section=section, centre=centre, title="bench relay", created_by=booker,
                start=start + dt.timedelta(minutes=30 * i),
                end=start + dt.timedelta(minutes=30 * i + 30)) for i in range(ROOMS))
    rooms = Room.objects.bulk_create(Room(booking=b) for b in bookings)
    return {"call_room": str(call_room.public_id),
            "relay_rooms": [str(r.public_id) for r in rooms],
            "sessions": [_session(h) for h in hosts]}


def _wait_for_port(url: str, process: subprocess.Popen, log: Path, path: str) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}{path}", timeout=2):  # noqa: S310
                return
        except urllib.error.HTTPError:
            return  # it answered
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server did not start in {SERVER_START_TIMEOUT}s:\n{log.read_text()}")


def _free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server(argv: list[str], name: str, health: str):
    return serve(argv, log=OUT / f"meetings-{name}.log", health=health)


@contextlib.contextmanager
def serve(argv: list[str], *, log: Path, health: str, port: int | None = None,
          env: dict | None = None):
    """Run ``python <argv> --port N`` until it answers ``health``; yield N; stop it after."""
    port = port or _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**(os.environ if env is None else env), "PYTHONUNBUFFERED": "1"}
    with log.open("w") as out:
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, *argv, "--port", str(port)], cwd=ROOT, env=env, stdout=out,
            stderr=subprocess.STDOUT)
    try:
        _wait_for_port(url, process, log, health)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _uvicorn():
    return _server(["-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1",
                    "--lifespan", "off", "--no-access-log", "--log-level", "warning"],
                   "uvicorn", "/healthz")


def _bare_relay():
    return _server(["-m", "bench.meetings", "relay"], "bare-relay", "/")


def server_cpu(port: int):
    """A function returning the CPU seconds (user + system) used so far by the server
    process listening on ``port`` (started by ``serve``: its command line ends with
    ``--port N``), or None where /proc is not there. CPU time is what a shared machine's
    other work does not inflate, unlike the wall clock."""
    want = ["--port", str(port)]
    pid = None
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            argv = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue
        if argv[-3:-1] == want or argv[-2:] == want:
            pid = entry.name
            break
    if pid is None:
        return lambda: None
    ticks = os.sysconf("SC_CLK_TCK")

    def used() -> float | None:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / ticks

    return used


def _stats(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {"runs": len(ordered), "median_ms": round(statistics.median(ordered), 1),
            "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 1),
            "min_ms": round(ordered[0], 1), "max_ms": round(ordered[-1], 1)}


# --- child: (a) join → connected ------------------------------------------------------


def join_to_connected(port: int, world: dict) -> dict:
    from madoguchi.site.checks_tools import program

    chromium = program("chromium")
    if chromium is None:
        return {"skipped": "chromium is not installed (apt-get install chromium)"}
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"skipped": "the playwright package is not installed"}
    base = f"http://127.0.0.1:{port}"
    room_url = f"{base}/meet/{world['call_room']}/"
    first_session, second_session = world["sessions"]
    frame_ms: list[float] = []
    open_ms: list[float] = []
    failures: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True,
                                             args=CHROMIUM_ARGS)
        try:
            def context(session: str):
                ctx = browser.new_context(locale="ja-JP",
                                          viewport={"width": 1280, "height": 900})
                ctx.set_default_timeout(JOIN_TIMEOUT_MS)
                ctx.add_cookies([{"name": "sessionid", "value": session, "url": base}])
                ctx.add_init_script(PAGE_PROBE)
                return ctx

            def open_first():
                ctx = context(first_session)
                page = ctx.new_page()
                page.goto(room_url)
                page.wait_for_function("() => window.madoguchiMeeting && "
                                       "window.madoguchiMeeting.ws && "
                                       "window.madoguchiMeeting.ws.readyState === 1")
                page.wait_for_timeout(500)
                return ctx, page

            def measure(first) -> tuple[float, float]:
                """One join of the second page: (join frame → both connected, page
                opened → both connected) in ms. Raises on a timeout."""
                seen = first.evaluate("() => window.__bench.connected.length")
                ctx = context(second_session)
                try:
                    page = ctx.new_page()
                    opened = time.time() * 1000
                    page.goto(room_url)
                    page.wait_for_function("() => window.__bench.connected.length >= 1",
                                           timeout=JOIN_TIMEOUT_MS)
                    first.wait_for_function("(n) => window.__bench.connected.length > n",
                                            arg=seen, timeout=JOIN_TIMEOUT_MS)
                    mine = page.evaluate("() => window.__bench")
                    theirs = first.evaluate("() => window.__bench.connected")[seen:]
                    both = max(mine["connected"][0], theirs[0])
                finally:
                    ctx.close()
                # The first page sees the second leave before the next join.
                first.wait_for_function(
                    "() => window.madoguchiMeeting.peers.size === 0", timeout=JOIN_TIMEOUT_MS)
                return both - mine["join"], both - opened

            first_ctx, first = open_first()
            warmed = False
            for _attempt in range(MAX_JOIN_ATTEMPTS):
                if len(frame_ms) >= JOINS:
                    break
                try:
                    frame, opened_ms = measure(first)
                except PlaywrightError as error:
                    # A measurement that timed out (a loaded machine) is counted and
                    # retried from a fresh first page, so one bad join spoils nothing.
                    failures.append(f"{type(error).__name__}: {str(error).splitlines()[0][:200]}")
                    first_ctx.close()
                    first_ctx, first = open_first()
                    continue
                if warmed:  # the first join warms Chromium and the server up
                    frame_ms.append(frame)
                    open_ms.append(opened_ms)
                warmed = True
            first_ctx.close()
        finally:
            browser.close()
    if not frame_ms:
        return {"skipped": f"no join connected in {MAX_JOIN_ATTEMPTS} attempts",
                "failures": len(failures), "failure_reasons": failures[:5]}
    return {"joins": len(frame_ms), "failures": len(failures),
            "failure_reasons": failures[:5],
            "browser": "Chromium (headless, fake media), 2 pages",
            "who": "two staff of the booking's section (hosts: no lobby)",
            "join_frame": _stats(frame_ms), "page_open": _stats(open_ms)}


# --- child: (b) relay -----------------------------------------------------------------


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


def bare_relay() -> dict:
    try:
        with _bare_relay() as port:
            return asyncio.run(_bare_load(port))
    except Exception as error:  # noqa: BLE001
        return {"failed": f"{type(error).__name__}: {error}"}


def _child() -> dict:
    limit = _raise_fd_limit()
    _setup_django()
    world = _world()
    from django.db import connections

    connections.close_all()
    with _uvicorn() as port:
        try:
            joins = (join_to_connected(port, world)
                     if os.environ.get("BENCH_MEETINGS_BROWSER", "1") != "0"
                     else {"skipped": "not asked for (python -m bench meetings relay)"})
        except Exception as error:  # noqa: BLE001 - reported; the relay still runs
            joins = {"skipped": f"failed: {type(error).__name__}: {str(error)[:300]}"}
        channels = relay(port, world)
    bare = bare_relay()
    figures = {"database": "SQLite (scratch, var/bench/meetings.sqlite3)",
               "cpus": os.cpu_count(), "open_files_limit": list(limit),
               "join_to_connected": joins,
               "relay": {"channels": channels, "bare": bare}}
    if "failed" not in channels and "failed" not in bare:
        figures["relay"]["bare_over_channels"] = round(
            bare["frames_per_s"] / channels["frames_per_s"], 1)
        figures["relay"]["latency_p50_ratio"] = round(channels["p50_ms"] / bare["p50_ms"], 1)
        figures["relay"]["setup_rate_ratio"] = round(
            bare["setup_pairs_per_s"] / channels["setup_pairs_per_s"], 1)
        if bare.get("server_cpu_ms_per_pair_setup") and channels.get(
                "server_cpu_ms_per_pair_setup"):
            figures["relay"]["setup_cpu_ratio"] = round(
                channels["server_cpu_ms_per_pair_setup"]
                / bare["server_cpu_ms_per_pair_setup"], 1)
    return figures


# --- the bare relay server (its own process) ------------------------------------------


async def _serve_bare(port: int) -> None:
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


def _port_arg() -> int:
    return int(sys.argv[sys.argv.index("--port") + 1])


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "child":
        print(json.dumps(_child(), ensure_ascii=False))
    elif command == "relay":
        asyncio.run(_serve_bare(_port_arg()))
    else:
        print(json.dumps(run(), ensure_ascii=False, indent=2))
