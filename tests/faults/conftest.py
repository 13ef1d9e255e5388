"""Throwaway PostgreSQL and Redis servers for the fault drill, on free ports in temporary
directories: the drill stops and restarts them, never the machine's shared servers."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.notifications.conftest import free_port
from tests.tools import needs

ROOT = Path(__file__).resolve().parents[2]


def wait_for_port(port: int, *, up: bool = True, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                if up:
                    return
        except OSError:
            if not up:
                return
        time.sleep(0.1)
    raise AssertionError(f"port {port} did not come {'up' if up else 'down'} in {timeout}s")


def _as_postgres_user():
    """PostgreSQL refuses to run as root: run it as the ``postgres`` user then."""
    if os.geteuid() != 0:
        return None, None
    account = pwd.getpwnam("postgres")

    def demote():
        os.setgid(account.pw_gid)
        os.setuid(account.pw_uid)

    return demote, account


class Postgres:
    def __init__(self):
        initdb = needs("initdb")
        demote, account = _as_postgres_user()
        self.demote = demote
        self.dir = Path(tempfile.mkdtemp(prefix="madoguchi-drill-pg-"))
        if account is not None:
            os.chown(self.dir, account.pw_uid, account.pw_gid)
        self.data = self.dir / "data"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"
        subprocess.run([initdb, "-D", str(self.data), "-U", "postgres", "--auth=trust",
                        "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"], **self._options())
        self.start()

    def _options(self) -> dict:
        return {"check": True, "preexec_fn": self.demote, "cwd": self.dir, "timeout": 120,
                "stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE}

    def start(self) -> None:
        pg_ctl = needs("pg_ctl")
        subprocess.run([pg_ctl, "-D", str(self.data), "-l", str(self.dir / "log"), "-w",
                        "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
                              "-c fsync=off -c full_page_writes=off", "start"],
                       **self._options())

    def stop(self) -> None:
        pg_ctl = needs("pg_ctl")
        subprocess.run([pg_ctl, "-D", str(self.data), "-m", "fast", "-w", "stop"],
                       **self._options())

    def close(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


class Redis:
    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        program = needs("redis-server")
        self.process = subprocess.Popen(
            [program, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port)

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)
        wait_for_port(self.port, up=False)


@pytest.fixture(scope="module")
def postgres():
    """A PostgreSQL of the drill's own, migrated, that the drill may stop and restart."""
    server = Postgres()
    try:
        manage("migrate", "--no-input", "-v0", DATABASE_URL=server.url)
        yield server
    finally:
        server.close()


@pytest.fixture
def redis_server():
    server = Redis()
    try:
        yield server
    finally:
        server.stop()


def manage(*args: str, **env: str) -> str:
    """Run manage.py in its own process with ``env`` (DATABASE_URL, …)."""
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, check=True,
                          env={**os.environ, **env}, capture_output=True, text=True,
                          timeout=300)
    return done.stdout


@contextmanager
def supervised_worker(log: Path, **env: str):
    """bin/supervise running ``manage.py db_worker`` with ``env``, as bin/run starts it."""
    with open(log, "w") as out:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "bin" / "supervise"), sys.executable, "manage.py",
             "db_worker",
             "--no-startup-delay", "--interval", "0.2", "-v", "2"],
            cwd=ROOT, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True)
    try:
        yield process
    finally:
        os.killpg(process.pid, 15)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait(timeout=5)
