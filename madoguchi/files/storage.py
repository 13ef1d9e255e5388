"""Where the bytes live: ``FILES_DIR/<purpose>/<yyyy>/<mm>/<public_id hex>``.

A new file is written to ``FILES_DIR/.tmp/<public_id hex>.part`` and moved into place
(an atomic rename on the same file system) only when the transaction that created its row
commits. What a rollback or a crash leaves behind is removed by the sweep (tasks.py).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import uuid
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from django.conf import settings

logger = logging.getLogger("madoguchi.files")

TEMP_DIR = ".tmp"
TEMP_SUFFIX = ".part"


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


def move_into_place(public_id: uuid.UUID, key: str) -> None:
    """Rename the temporary file to its final place (on commit)."""
    target = final_path(key)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(temp_path(public_id), target)


def remove(path: Path) -> None:
    path.unlink(missing_ok=True)


def open_bytes(public_id: uuid.UUID, key: str) -> BinaryIO:
    """The stored bytes; before the commit that moves them, inside the transaction that
    stored them, the temporary file. Raises FileNotFoundError."""
    try:
        return final_path(key).open("rb")
    except FileNotFoundError:
        return temp_path(public_id).open("rb")
