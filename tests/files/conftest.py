"""Files tests: FILES_DIR in a fresh temporary folder, and a real clamd when one can run.

Other test modules import ``files_dir_fixture`` and ``clamd_fixture`` (the ``files_dir``
and ``clamd`` fixtures) from here."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from tests.browser.conftest import _free_port as free_port  # noqa: F401 (re-exported)
from tests.tools import needs

from .samples import EICAR


@pytest.fixture(name="files_dir")
def files_dir_fixture(settings, tmp_path) -> Path:
    """FILES_DIR of this test: an empty folder; virus scanning off unless a test sets it."""
    settings.FILES_DIR = tmp_path / "files"
    settings.CLAMD_ADDRESS = ""
    return settings.FILES_DIR


def on_disk(root: Path) -> list[str]:
    """Every file under ``root`` (relative paths), temporary ones included."""
    if not root.exists():
        return []
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


# A real clamd ------------------------------------------------------------------------------
#
# With CLAMD_ADDRESS set in the environment, that clamd (with its official signatures) is
# used. Otherwise, where Debian's clamav-daemon is installed, the tests start their own
# clamd with a signature database written here: the official one is downloaded by
# freshclam, which needs the network. It knows EICAR by its MD5 (as the official database
# does) and by its text anywhere in a file, and refuses streams over 1 MB.

CLAMD_START_SECONDS = 60


def _test_signatures(folder: Path) -> None:
    import hashlib

    folder.mkdir()
    (folder / "madoguchi-test.hdb").write_text(
        f"{hashlib.md5(EICAR).hexdigest()}:{len(EICAR)}:Eicar-Test-Signature\n")  # noqa: S324
    (folder / "madoguchi-test.ndb").write_text(
        f"Eicar-Test-Signature-Embedded:0:*:{EICAR.hex()}\n")


def _wait_for(address: str, process: subprocess.Popen, log: Path) -> None:
    from madoguchi.contrib.clamav import ClamdScanner
    from madoguchi.files.scanning import ScannerUnavailable

    deadline = time.monotonic() + CLAMD_START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"clamd exited with {process.returncode}:\n{log.read_text()}")
        try:
            if ClamdScanner(address, timeout=2).ping():
                return
        except ScannerUnavailable:
            time.sleep(0.2)
    process.kill()
    pytest.fail(f"clamd did not answer PING in {CLAMD_START_SECONDS}s:\n{log.read_text()}")


@pytest.fixture(scope="session", name="clamd")
def clamd_fixture(tmp_path_factory):
    """(address, own): a clamd to scan with; ``own`` when the tests started it themselves
    (then it knows the test signatures above)."""
    configured = os.environ.get("CLAMD_ADDRESS", "").strip()
    if configured:
        yield configured, False
        return
    binary = needs("clamd")
    folder = tmp_path_factory.mktemp("clamd")
    _test_signatures(folder / "db")
    socket_path = folder / "clamd.sock"
    log = folder / "clamd.log"
    user = f"User {os.environ.get('USER', 'root')}\n" if os.geteuid() == 0 else ""
    (folder / "clamd.conf").write_text(
        "Foreground yes\n"
        f"DatabaseDirectory {folder / 'db'}\n"
        f"LocalSocket {socket_path}\n"
        f"LogFile {log}\n"
        f"PidFile {folder / 'clamd.pid'}\n"
        "StreamMaxLength 1M\n"
        f"{user}")
    with (folder / "stdout.log").open("w") as out:
        process = subprocess.Popen([binary, "-c", str(folder / "clamd.conf")],  # noqa: S603
                                   stdout=out, stderr=subprocess.STDOUT)
    address = f"unix://{socket_path}"
    try:
        _wait_for(address, process, log)
        yield address, True
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
