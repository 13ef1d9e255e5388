"""Where the bytes live: ``FILES_DIR/<purpose>/<yyyy>/<mm>/<public_id hex>``, encrypted.

A checked file is written, already encrypted (Fernet, ``FILES_ENCRYPTION_KEY`` or a key
derived from SECRET_KEY), to ``FILES_DIR/.tmp/<public_id hex>.part`` (readable by this user
only, fsynced), and renamed into place only when the transaction that created its row
commits: the folder of its place is made before the row, so that the rename on commit
needs no new space. Plain bytes never reach the disk here (nor, for a large upload, in the
request's spool: upload_handler.py). What a rollback or a crash leaves behind is removed
by the sweep (tasks.py). Files stored before encryption (no ``MAGIC`` header) are still
read as they are.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import uuid
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings

from madoguchi.core.crypto import derived, derived_key, fingerprint, key_list, keyring

logger = logging.getLogger("madoguchi.files")

TEMP_DIR = ".tmp"
TEMP_SUFFIX = ".part"
SPOOL_SUFFIX = ".upload"  # an upload being received (upload_handler.py)
MAGIC = b"MDGF1\n"  # an encrypted file: this line, then one Fernet token
_KEY_SALT = "madoguchi.files.at-rest"


def _cipher() -> Fernet | MultiFernet:
    if key_list(settings.FILES_ENCRYPTION_KEY):
        return keyring(settings.FILES_ENCRYPTION_KEY)
    return derived(_KEY_SALT)


def key_fingerprints() -> tuple[str, list[str]]:
    """The setting the at-rest keys come from and their fingerprints (never the keys)."""
    keys = key_list(settings.FILES_ENCRYPTION_KEY)
    if keys:
        return "FILES_ENCRYPTION_KEY", [fingerprint(key) for key in keys]
    return "SECRET_KEY", [fingerprint(derived_key(_KEY_SALT))]


def seal(data: bytes) -> bytes:
    return MAGIC + _cipher().encrypt(data)


def unseal(blob: bytes) -> bytes:
    """The plain bytes of a stored file (InvalidToken when the key does not fit)."""
    if not blob.startswith(MAGIC):
        return blob  # stored before encryption at rest
    return _cipher().decrypt(blob[len(MAGIC):])


def root() -> Path:
    return Path(settings.FILES_DIR)


def storage_key(purpose: str, public_id: uuid.UUID, when: dt.datetime) -> str:
    return f"{purpose}/{when:%Y}/{when:%m}/{public_id.hex}"


def final_path(key: str) -> Path:
    parts = PurePosixPath(key).parts
    if not parts or PurePosixPath(key).is_absolute() or ".." in parts or parts[0] == TEMP_DIR:
        raise ValueError("not a storage key")
    return root().joinpath(*parts)


def temp_path(public_id: uuid.UUID) -> Path:
    return root() / TEMP_DIR / f"{public_id.hex}{TEMP_SUFFIX}"


def create_temp(public_id: uuid.UUID) -> BinaryIO:
    """A new temporary file, readable by this user only; never overwrites one."""
    path = temp_path(public_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    return os.fdopen(fd, "wb")


def write_all(out: BinaryIO, data: bytes) -> None:
    """Write ``data`` and make it durable (the one place stored bytes are written: a full
    disk raises OSError ENOSPC here)."""
    out.write(data)
    out.flush()
    os.fsync(out.fileno())


def write_temp(public_id: uuid.UUID, plain: bytes) -> None:
    """Encrypt ``plain`` into the temporary file of ``public_id``; on any error nothing of
    it is left."""
    sealed = seal(plain)
    try:
        with create_temp(public_id) as out:
            write_all(out, sealed)
    except BaseException:
        remove(temp_path(public_id))
        raise


def prepare_place(key: str) -> None:
    """Make the folder of ``key``'s place, so that the move on commit is a rename."""
    final_path(key).parent.mkdir(parents=True, exist_ok=True)


def move_into_place(public_id: uuid.UUID, key: str) -> None:
    """Rename the (encrypted) temporary file into its place (on commit). A temporary file
    written before it was encrypted there is encrypted to a sibling name first."""
    target = final_path(key)
    target.parent.mkdir(parents=True, exist_ok=True)
    source = temp_path(public_id)
    with source.open("rb") as handle:
        sealed = handle.read(len(MAGIC)) == MAGIC
    if not sealed:
        partial = target.with_name(target.name + TEMP_SUFFIX)
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC
                     | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(fd, "wb") as out:
            write_all(out, seal(source.read_bytes()))
        os.replace(partial, target)
        source.unlink(missing_ok=True)
        return
    os.replace(source, target)


def remove(path: Path) -> None:
    path.unlink(missing_ok=True)


def open_bytes(public_id: uuid.UUID, key: str) -> BinaryIO:
    """The stored (decrypted) bytes; before the commit that moves them, inside the
    transaction that stored them, the temporary file. Raises FileNotFoundError."""
    try:
        blob = final_path(key).read_bytes()
    except FileNotFoundError:
        blob = temp_path(public_id).read_bytes()
    return io.BytesIO(unseal(blob))


def temp_plain(public_id: uuid.UUID) -> bytes:
    """The plain bytes of a temporary file (InvalidToken when the key does not fit)."""
    return unseal(temp_path(public_id).read_bytes())
