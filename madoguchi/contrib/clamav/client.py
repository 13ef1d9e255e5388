"""A clamd client for the INSTREAM command (clamd(8), "INSTREAM").

The protocol: connect to clamd's TCP or Unix socket, send ``zINSTREAM\\0``, then the data
in chunks, each prefixed with its length as a 4-byte big-endian unsigned integer, then a
zero-length chunk; clamd answers one NUL-terminated line: ``stream: OK``,
``stream: <signature> FOUND``, or ``... ERROR`` (e.g. ``INSTREAM size limit exceeded``,
after which it closes the connection). Written here rather than taken from a package:
see ADR 0011.
"""

from __future__ import annotations

import socket
import struct
from collections.abc import Iterable
from urllib.parse import urlsplit

from madoguchi.files.scanning import ScannerUnavailable, ScanResult

CHUNK_BYTES = 64 * 1024
REPLY_MAX = 4096
_LENGTH = struct.Struct("!L")


def parse_address(address: str) -> tuple[int, str | tuple[str, int]]:
    """``unix:///run/clamav/clamd.ctl`` or ``tcp://host:3310`` -> (family, socket address)."""
    parts = urlsplit(address.strip())
    if parts.scheme == "unix" and parts.path:
        return socket.AF_UNIX, parts.path
    if parts.scheme == "tcp" and parts.hostname:
        return socket.AF_INET6 if ":" in parts.hostname else socket.AF_INET, (
            parts.hostname, parts.port or 3310)
    raise ValueError("CLAMD_ADDRESS must be unix:///path/to/clamd.ctl or tcp://host:port")


def parse_reply(reply: str) -> ScanResult:
    """The scan result of clamd's answer to INSTREAM; raises ScannerUnavailable on ERROR."""
    _name, _sep, verdict = reply.partition(": ")
    if verdict == "OK":
        return ScanResult(clean=True)
    if verdict.endswith(" FOUND"):
        return ScanResult(clean=False, signature=verdict.removesuffix(" FOUND").strip())
    raise ScannerUnavailable(f"clamd answered: {reply[:200]}")


class ClamdScanner:
    def __init__(self, address: str, *, timeout: float = 60.0,
                 chunk_bytes: int = CHUNK_BYTES) -> None:
        self.address = address
        self.family, self.sockaddr = parse_address(address)
        self.timeout = timeout
        self.chunk_bytes = chunk_bytes

    def __repr__(self) -> str:
        return f"ClamdScanner({self.address!r})"

    def _connect(self) -> socket.socket:
        sock = socket.socket(self.family, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(self.sockaddr)
        except OSError as error:
            sock.close()
            raise ScannerUnavailable(
                f"clamd at {self.address}: {type(error).__name__}") from None
        return sock

    @staticmethod
    def _reply(sock: socket.socket) -> str:
        data = b""
        while b"\0" not in data and len(data) < REPLY_MAX:
            piece = sock.recv(REPLY_MAX)
            if not piece:
                break
            data += piece
        return data.split(b"\0", 1)[0].decode("utf-8", "replace").strip()

    def _command(self, command: bytes) -> str:
        with self._connect() as sock:
            try:
                sock.sendall(b"z" + command + b"\0")
                return self._reply(sock)
            except OSError as error:
                raise ScannerUnavailable(
                    f"clamd at {self.address}: {type(error).__name__}") from None

    def ping(self) -> bool:
        """Whether clamd answers PONG (raises ScannerUnavailable when not reachable)."""
        return self._command(b"PING") == "PONG"

    def version(self) -> str:
        return self._command(b"VERSION")

    def scan(self, chunks: Iterable[bytes]) -> ScanResult:
        with self._connect() as sock:
            try:
                sock.sendall(b"zINSTREAM\0")
                try:
                    for chunk in chunks:
                        view = memoryview(chunk)
                        for start in range(0, len(view), self.chunk_bytes):
                            piece = view[start:start + self.chunk_bytes]
                            sock.sendall(_LENGTH.pack(len(piece)) + piece.tobytes())
                    sock.sendall(_LENGTH.pack(0))
                except (BrokenPipeError, ConnectionResetError):
                    pass  # clamd stopped reading (size limit): its reply says why
                reply = self._reply(sock)
            except OSError as error:
                raise ScannerUnavailable(
                    f"clamd at {self.address}: {type(error).__name__}") from None
        if not reply:
            raise ScannerUnavailable(f"clamd at {self.address} closed without an answer")
        return parse_reply(reply)
