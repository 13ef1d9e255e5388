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

The package: ``run`` and ``rows`` here (the parent side); ``child`` (the scratch
database, its world and the child's figures), ``join`` (a), ``signaling`` (b) and the bare
relay server, ``servers`` (``serve``, ``server_cpu``, ``free_port``: the benches' one way
to start a server and read its CPU time, used by other benches too), ``_common`` (paths,
``stats``); ``__main__`` the child process's entry points.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from bench.meetings._common import ROOT, SCRATCH_DB, stats
from bench.meetings.servers import free_port, serve, server_cpu
from bench.meetings.signaling import CONNECT_CONCURRENCY

__all__ = ["free_port", "rows", "run", "serve", "server_cpu", "stats"]

CHILD_TIMEOUT = 420


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
