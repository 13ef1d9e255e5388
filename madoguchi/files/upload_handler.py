"""Large uploads spooled encrypted into the project's own temporary area.

Django keeps an uploaded file up to ``FILE_UPLOAD_MAX_MEMORY_SIZE`` (2.5 MB) in memory and
writes a larger one in plain to the system's temporary folder, where a process killed with
SIGKILL leaves it for good. ``EncryptedUploadHandler`` (after Django's memory handler in
``FILE_UPLOAD_HANDLERS``) writes it instead to ``FILES_DIR/.tmp/<random hex>.upload``,
readable by this user only, in AES-GCM records under a key that only this process holds in
memory: what a crash leaves there can never be read, and the sweep removes it.

The spool keeps at most one byte more than the largest file any purpose accepts (a larger
file is then refused as too large by ``file_check``, which counts the bytes). When the disk
is full the spool is removed and reading the upload raises that OSError (ENOSPC), which
``file_check`` turns into a refusal; the request is never answered with a 500.
"""

from __future__ import annotations

import os
import struct
import uuid
from collections.abc import Iterator
from typing import BinaryIO

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from madoguchi.files import storage
from madoguchi.files.policy import POLICIES

_LENGTH = struct.Struct(">I")


def spool_limit() -> int:
    """Bytes kept of one upload: one more than the largest allowed file."""
    return max(policy.max_bytes for policy in POLICIES.values()) + 1


def spool_write(handle: BinaryIO, data: bytes) -> None:
    """Append one record to a spool (a full disk raises OSError ENOSPC here)."""
    handle.write(data)


class EncryptedUpload(UploadedFile):
    """An uploaded file whose bytes wait encrypted in the spool; ``chunks()`` decrypts."""

    def __init__(self, name, content_type, charset, content_type_extra):
        super().__init__(None, name, content_type, 0, charset, content_type_extra)
        self._aead = AESGCM(AESGCM.generate_key(bit_length=256))
        self._records = 0
        self._limit = spool_limit()
        self.error: OSError | None = None
        self._handle = None
        self.path = (storage.root() / storage.TEMP_DIR
                     / f"{uuid.uuid4().hex}{storage.SPOOL_SUFFIX}")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL
                         | getattr(os, "O_BINARY", 0), 0o600)
        except OSError as error:
            self.error = error
            return
        self._handle = os.fdopen(fd, "w+b")

    def _nonce(self, index: int) -> bytes:
        return index.to_bytes(12, "big")

    def append(self, data: bytes) -> None:
        if self.error is not None or self._handle is None:
            return
        data = data[:max(0, self._limit - self.size)]
        if not data:
            return
        record = self._aead.encrypt(self._nonce(self._records), data, None)
        try:
            spool_write(self._handle, _LENGTH.pack(len(record)) + record)
        except OSError as error:
            self.error = error
            self.close()
            return
        self._records += 1
        self.size += len(data)

    def finish(self) -> None:
        if self._handle is None:
            return
        try:
            self._handle.flush()
        except OSError as error:
            self.error = error
            self.close()

    def chunks(self, chunk_size=None) -> Iterator[bytes]:
        if self.error is not None:
            raise self.error
        if self._handle is None:
            raise ValueError("the upload is closed")
        self._handle.seek(0)
        for index in range(self._records):
            (length,) = _LENGTH.unpack(self._handle.read(_LENGTH.size))
            yield self._aead.decrypt(self._nonce(index), self._handle.read(length), None)

    def read(self, size=-1) -> bytes:
        return b"".join(self.chunks())

    def multiple_chunks(self, chunk_size=None) -> bool:
        return self._records > 1

    def seek(self, offset, whence=0):
        return 0  # chunks() always starts at the beginning

    def open(self, mode=None):
        return self

    def close(self) -> None:
        handle, self._handle = self._handle, None
        if handle is not None:
            handle.close()
            storage.remove(self.path)

    @property
    def closed(self) -> bool:
        return self._handle is None


class EncryptedUploadHandler(FileUploadHandler):
    """Receives every file the memory handler before it did not keep (see module doc)."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.upload = EncryptedUpload(self.file_name, self.content_type, self.charset,
                                      self.content_type_extra)

    def receive_data_chunk(self, raw_data, start):
        self.upload.append(raw_data)

    def file_complete(self, file_size):
        self.upload.finish()
        return self.upload

    def upload_interrupted(self):
        if getattr(self, "upload", None) is not None:
            self.upload.close()
