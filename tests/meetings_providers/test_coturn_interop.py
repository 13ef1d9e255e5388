"""The turnserver.conf of docs/coturn.md runs in a real coturn, which accepts the
credentials the built-in provider mints, refuses expired or forged ones, and refuses to
relay to a private address. Needs coturn's programs and openssl (tests/tools.py)."""

from __future__ import annotations

import datetime as dt
import re
import socket
import subprocess
import time
from pathlib import Path

import pytest

from madoguchi.meetings.providers.builtin import turn_credentials
from tests.tools import needs

DOC = Path(__file__).resolve().parents[2] / "docs" / "coturn.md"
SECRET = "interop-test-secret"

pytestmark = pytest.mark.needs("turnserver", "turnutils_uclient", "openssl")


def documented_config() -> str:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(r"## 2\..*?```ini\n(.*?)```", text, re.S)
    assert match, "docs/coturn.md lost its turnserver.conf block"
    return match.group(1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def coturn(tmp_path_factory):
    folder = tmp_path_factory.mktemp("coturn")
    subprocess.run([needs("openssl"), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-keyout", str(folder / "key.pem"),
                    "-out", str(folder / "cert.pem")], check=True, capture_output=True)
    port, tls_port = free_port(), free_port()
    config = documented_config()
    replacements = {
        r"^static-auth-secret=.*$": f"static-auth-secret={SECRET}",
        r"^listening-port=.*$": f"listening-port={port}",
        r"^tls-listening-port=.*$": f"tls-listening-port={tls_port}",
        r"^cert=.*$": f"cert={folder / 'cert.pem'}",
        r"^pkey=.*$": f"pkey={folder / 'key.pem'}",
        r"^syslog$": f"log-file={folder / 'turn.log'}",
    }
    for pattern, value in replacements.items():
        config, count = re.subn(pattern, value, config, flags=re.M)
        assert count == 1, pattern
    config += "listening-ip=127.0.0.1\nno-stdout-log\n"
    (folder / "turnserver.conf").write_text(config)
    process = subprocess.Popen([needs("turnserver"), "-c", str(folder / "turnserver.conf")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("turnserver did not start with the documented configuration")
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def allocate(port: int, username: str, password: str) -> str:
    result = subprocess.run(
        [needs("turnutils_uclient"), "-t", "-y", "-n", "1", "-p", str(port),
         "-u", username, "-w", password, "127.0.0.1"],
        capture_output=True, text=True, timeout=30, check=False)
    return result.stdout + result.stderr


def minted(expiry: dt.datetime) -> tuple[str, str]:
    return turn_credentials(secret=SECRET, ref="interop", expiry=expiry)


def test_minted_credentials_allocate_but_private_peers_are_forbidden(coturn):
    output = allocate(coturn, *minted(dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)))
    assert "Cannot complete Allocation" not in output
    # The allocation succeeded; relaying to 127.0.0.1 is refused by the denied-peer-ip list.
    assert "403 (Forbidden IP)" in output


def test_expired_credentials_are_refused(coturn):
    output = allocate(coturn, *minted(dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)))
    assert "Cannot complete Allocation" in output


def test_forged_credentials_are_refused(coturn):
    username, _ = minted(dt.datetime.now(dt.UTC) + dt.timedelta(hours=1))
    output = allocate(coturn, username, "Zm9yZ2VkIHBhc3N3b3JkCg==")
    assert "Cannot complete Allocation" in output
