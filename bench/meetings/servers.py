"""Servers of the benches in their own processes: ``serve`` starts one and waits until it
answers, ``server_cpu`` reads the CPU time it used (also used by other benches)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.meetings._common import OUT, ROOT

SERVER_START_TIMEOUT = 60


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


def free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server(argv: list[str], name: str, health: str):
    return serve(argv, log=OUT / f"meetings-{name}.log", health=health)


@contextlib.contextmanager
def serve(argv: list[str], *, log: Path, health: str, port: int | None = None,
          env: dict | None = None):
    """Run ``python <argv> --port N`` until it answers ``health``; yield N; stop it after."""
    port = port or free_port()
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


def uvicorn():
    return server(["-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1",
                    "--lifespan", "off", "--no-access-log", "--log-level", "warning"],
                   "uvicorn", "/healthz")


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
