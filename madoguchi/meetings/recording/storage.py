"""Recordings on disk, encrypted with Fernet (``MEETINGS_RECORDING_KEY``) under
``MEETINGS_RECORDING_DIR``: stored at once or written piece by piece, read back for
playback, deleted. The file format is described in the package's docstring."""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import struct
import tempfile
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cryptography.fernet import InvalidToken, MultiFernet
from django.conf import settings
from django.utils import timezone

from madoguchi.core.crypto import key_list, keyring
from madoguchi.meetings.recording.policy import (
    RecordingCorrupt,
    RecordingKeyMissing,
    ensure_recording_allowed,
)

logger = logging.getLogger("madoguchi.meetings.recording")

MAGIC = b"MADOGUCHI-REC-1\n"
CHUNK_SIZE = 4 * 1024 * 1024
SUFFIX = ".rec"
_STAMP = "%Y%m%dT%H%M%SZ"
_CALL_REF = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_NAME = re.compile(r"^(?P<ref>[A-Za-z0-9_-]{1,64})--(?P<stamp>\d{8}T\d{6}Z)(?:-[0-9]+)?\.rec$")
_LENGTH = struct.Struct(">I")
_HEADER = struct.Struct(">Q?")


def recording_fernet() -> MultiFernet:
    keys = key_list(settings.MEETINGS_RECORDING_KEY)
    if not keys:
        raise RecordingKeyMissing(
            "recordings are not stored: MEETINGS_RECORDING_KEY is not set "
            "(generate one with `python -c \"from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())\"`)")
    try:
        return keyring(keys)
    except ValueError:
        raise RecordingKeyMissing(
            "MEETINGS_RECORDING_KEY is not a Fernet key (32 url-safe base64-encoded bytes)"
        ) from None


def recordings_dir() -> Path:
    return Path(settings.MEETINGS_RECORDING_DIR)


@dataclass(frozen=True)
class StoredRecording:
    """What the meetings app keeps about a stored recording."""

    path: Path
    call_ref: str
    recorded_at: dt.datetime
    size: int  # bytes of the recording before encryption

    @property
    def name(self) -> str:
        return self.path.name


def _iter_chunks(source: BinaryIO | bytes | Path) -> Iterator[bytes]:
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        for start in range(0, len(data), CHUNK_SIZE):
            yield data[start:start + CHUNK_SIZE]
        return
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as handle:
            yield from _iter_chunks(handle)
        return
    while chunk := source.read(CHUNK_SIZE):
        yield chunk


def _encrypt_to(handle: BinaryIO, chunks: Iterator[bytes], fernet: MultiFernet) -> int:
    handle.write(MAGIC)
    size = 0
    index = 0
    current = next(chunks, b"")
    while True:
        following = next(chunks, None)
        last = following is None
        token = fernet.encrypt(_HEADER.pack(index, last) + current)
        handle.write(_LENGTH.pack(len(token)))
        handle.write(token)
        size += len(current)
        if last:
            return size
        index += 1
        current = following


def _prepare(*, call_ref: str, enabled: bool, participants: Collection[str],
             participant_consents: Mapping[str, bool], recorded_at: dt.datetime | None
             ) -> tuple[MultiFernet, Path, str, dt.datetime]:
    """Check the reference, the policy and the key; make the folder. Returns the key, the
    folder, the file name's stem and the recording time (UTC)."""
    if not _CALL_REF.match(call_ref):
        raise ValueError("call_ref must be 1-64 letters, digits, '-' or '_'")
    ensure_recording_allowed(enabled=enabled, participants=participants,
                             participant_consents=participant_consents)
    fernet = recording_fernet()
    recorded_at = (recorded_at or timezone.now()).astimezone(dt.UTC)
    folder = recordings_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return fernet, folder, f"{call_ref}--{recorded_at.strftime(_STAMP)}", recorded_at


def store_recording(
    *,
    source: BinaryIO | bytes | Path,
    call_ref: str,
    enabled: bool,
    participants: Collection[str],
    participant_consents: Mapping[str, bool],
    recorded_at: dt.datetime | None = None,
) -> StoredRecording:
    """Encrypt ``source`` (bytes, a binary file object or a path) into the recordings
    folder, after checking the policy again. ``call_ref`` is an opaque reference of the call
    (letters, digits, ``-`` and ``_``): it becomes part of the file name, so it must name no
    person. The caller deletes its own plaintext source, if any, afterwards."""
    fernet, folder, stem, recorded_at = _prepare(
        call_ref=call_ref, enabled=enabled, participants=participants,
        participant_consents=participant_consents, recorded_at=recorded_at)
    descriptor, temporary = tempfile.mkstemp(prefix=".partial-", dir=folder)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            size = _encrypt_to(handle, _iter_chunks(source), fernet)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o600)
        target = folder / f"{stem}{SUFFIX}"
        counter = 1
        while target.exists():
            target = folder / f"{stem}-{counter}{SUFFIX}"
            counter += 1
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    logger.info("recording stored: call %s, %s bytes", call_ref, size)
    return StoredRecording(path=target, call_ref=call_ref, recorded_at=recorded_at, size=size)


# Written piece by piece --------------------------------------------------------------------
#
# The file is the one ``store_recording`` writes: the magic line, then one Fernet token per
# uploaded piece (index 0, 1, 2, ... with the "last" flag off), then an empty token with the
# flag on when the recording ends. Until then ``iter_recording`` refuses the file as
# incomplete. Each append first cuts the file back to the length the caller recorded after
# the previous append, so that a write cut short by a crash is not left in the middle.


def recording_begin(
    *,
    call_ref: str,
    enabled: bool,
    participants: Collection[str],
    participant_consents: Mapping[str, bool],
    recorded_at: dt.datetime | None = None,
) -> StoredRecording:
    """Create an empty recording file (the magic line only) after checking the policy and
    the key. Returns it with ``size`` 0; its length on disk is ``len(MAGIC)``."""
    _fernet, folder, stem, recorded_at = _prepare(
        call_ref=call_ref, enabled=enabled, participants=participants,
        participant_consents=participant_consents, recorded_at=recorded_at)
    counter = 0
    while True:
        target = folder / (f"{stem}{SUFFIX}" if not counter else f"{stem}-{counter}{SUFFIX}")
        try:
            descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            counter += 1
            continue
        break
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(MAGIC)
        handle.flush()
        os.fsync(handle.fileno())
    logger.info("recording begun: call %s", call_ref)
    return StoredRecording(path=target, call_ref=call_ref, recorded_at=recorded_at, size=0)


def _append_token(path: Path, *, length: int, index: int, last: bool, data: bytes) -> int:
    token = recording_fernet().encrypt(_HEADER.pack(index, last) + data)
    with open(path, "r+b") as handle:
        handle.truncate(length)
        handle.seek(length)
        handle.write(_LENGTH.pack(len(token)))
        handle.write(token)
        handle.flush()
        os.fsync(handle.fileno())
        return handle.tell()


def recording_append(path: Path, *, length: int, index: int, data: bytes) -> int:
    """Encrypt piece ``index`` (at most ``CHUNK_SIZE`` bytes) onto the recording whose valid
    length is ``length``; returns the new length (keep it for the next append)."""
    if len(data) > CHUNK_SIZE:
        raise ValueError(f"a piece may hold at most {CHUNK_SIZE} bytes")
    if not data:
        return length
    return _append_token(Path(path), length=length, index=index, last=False, data=data)


def recording_finish(path: Path, *, length: int, index: int) -> int:
    """Mark the end (an empty last piece with index ``index``, the number of pieces
    appended); the file then plays. Returns its final length."""
    return _append_token(Path(path), length=length, index=index, last=True, data=b"")


def iter_recording(path: Path) -> Iterator[bytes]:
    """The decrypted recording, chunk by chunk (for a streaming response)."""
    fernet = recording_fernet()
    with open(path, "rb") as handle:
        if handle.read(len(MAGIC)) != MAGIC:
            raise RecordingCorrupt(f"{Path(path).name} is not a madoguchi recording")
        expected = 0
        while True:
            prefix = handle.read(_LENGTH.size)
            if len(prefix) != _LENGTH.size:
                raise RecordingCorrupt(f"{Path(path).name} is incomplete")
            (length,) = _LENGTH.unpack(prefix)
            token = handle.read(length)
            if len(token) != length:
                raise RecordingCorrupt(f"{Path(path).name} is incomplete")
            try:
                plain = fernet.decrypt(token)
            except InvalidToken:
                raise RecordingCorrupt(
                    f"{Path(path).name} cannot be decrypted with MEETINGS_RECORDING_KEY"
                ) from None
            index, last = _HEADER.unpack_from(plain)
            if index != expected:
                raise RecordingCorrupt(f"{Path(path).name} has chunks out of order")
            yield plain[_HEADER.size:]
            if last:
                if handle.read(1):
                    raise RecordingCorrupt(f"{Path(path).name} has data after its end")
                return
            expected += 1


def read_recording(path: Path) -> bytes:
    """The whole decrypted recording (small files and tests; stream with iter_recording)."""
    return b"".join(iter_recording(path))


def delete_recording(path: Path) -> bool:
    """Delete one recording (a participant withdrew consent, the section deleted it)."""
    path = Path(path)
    if path.resolve().parent != recordings_dir().resolve() or not _NAME.match(path.name):
        raise ValueError("not a recording in MEETINGS_RECORDING_DIR")
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    logger.info("recording deleted: %s", path.name)
    return True


def recorded_at_of(path: Path) -> dt.datetime | None:
    """When a recording was made, from its file name (not its mtime, which a copy or a
    restore from backup changes)."""
    match = _NAME.match(Path(path).name)
    if not match:
        return None
    return dt.datetime.strptime(match["stamp"], _STAMP).replace(tzinfo=dt.UTC)
