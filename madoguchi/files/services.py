"""Writes of the files context: store, open and delete a file.

``file_store`` checks, in this order, the size (while the bytes are read into memory, so
that an oversized upload is never held whole), emptiness, viruses (when a scanner is
configured: before the type, so that an infected file is reported and logged as such
whatever its type), the type sniffed from the bytes and, for a video, whether browsers
play its container and codecs (``media``, ADR 0056); writes them encrypted to a
temporary file; then creates the row in the caller's transaction and renames the file into
place when that transaction commits. Every refusal is a ``FileRefused`` with a message
safe to show; nothing is kept of a refused file, and a full disk is a refusal
(``storage_full``, answered 507), never a half-stored file.

``file_check`` does the checks alone, so that a caller can check before it opens the
transaction in which ``file_store`` then stores the checked file.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, BinaryIO

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.files import media, storage
from madoguchi.files.content import HEAD_BYTES, safe_name, sniff
from madoguchi.files.models import StoredFile
from madoguchi.files.policy import FilePolicy, policy_for
from madoguchi.files.scanning import ScannerUnavailable, configured_scanner

if TYPE_CHECKING:
    from madoguchi.accounts.models import User

logger = logging.getLogger("madoguchi.files")

READ_BYTES = 64 * 1024
DISK_FULL = (errno.ENOSPC, errno.EDQUOT)
STORAGE_FULL_STATUS = 507


class FileRefused(Exception):
    """The file is not stored. ``message`` is translated and safe to show; ``code`` is for
    programs (too_large, empty, forbidden_type, unplayable_video, infected,
    scanner_unavailable, storage_full, missing)."""

    def __init__(self, message, code: str = "refused"):
        super().__init__(code)
        self.message = str(message)
        self.code = code

    def status(self, default: int = 400) -> int:
        """The HTTP status of a page or API answer refusing the file: 507 Insufficient
        Storage when the disk is full (the server's fault, worth trying later), else
        ``default``."""
        return STORAGE_FULL_STATUS if self.code == "storage_full" else default


def too_large(policy: FilePolicy) -> FileRefused:
    return FileRefused(_("ファイルが大きすぎます。%(max)sまでのファイルにしてください。")
                       % {"max": policy.max_text}, "too_large")


def _chunks(data: UploadedFile | bytes) -> Iterator[bytes]:
    if isinstance(data, bytes | bytearray | memoryview):
        view = memoryview(data)
        for start in range(0, len(view), READ_BYTES):
            yield view[start:start + READ_BYTES].tobytes()
        return
    if hasattr(data, "seek"):
        data.seek(0)
    yield from data.chunks(READ_BYTES)


def _read_bounded(data, policy: FilePolicy) -> tuple[bytes, str]:
    """The bytes of ``data`` and their SHA-256, read in memory; stops at the first byte over
    the limit (so at most the limit is ever held)."""
    digest, size, parts = hashlib.sha256(), 0, []
    for chunk in _chunks(data):
        size += len(chunk)
        if size > policy.max_bytes:
            raise too_large(policy)
        digest.update(chunk)
        parts.append(chunk)
    return b"".join(parts), digest.hexdigest()


def storage_full() -> FileRefused:
    return FileRefused(_("保存する場所がいっぱいのため、いまはファイルを受け付けられません。"
                         "ファイルは保存していません。しばらくしてから、もう一度お試しください。"),
                       "storage_full")


def _disk_full(error: BaseException) -> bool:
    return isinstance(error, OSError) and error.errno in DISK_FULL


def _scan(plain: bytes, *, purpose: str, sha256: str) -> None:
    scanner = configured_scanner()
    if scanner is None:
        return
    try:
        result = scanner.scan(_chunks(plain))
    except ScannerUnavailable as error:
        logger.error("file refused: virus scanner unavailable (%s)", error)
        raise FileRefused(_("ウイルス検査ができないため、いまはファイルを受け付けられません。"
                            "しばらくしてから、もう一度お試しください。"),
                          "scanner_unavailable") from None
    if not result.clean:
        logger.warning("file refused: virus found (%s), purpose %s, sha256 %s",
                       result.signature, purpose, sha256)
        raise FileRefused(_("このファイルからウイルスが見つかったため、受け付けられません。"
                            "ファイルは保存していません。"), "infected")


def _moved_on_commit(public_id: uuid.UUID, key: str) -> None:
    try:
        storage.move_into_place(public_id, key)
    except OSError as error:
        # The row is committed and the bytes are still in the temporary file: file_open
        # reads them from there, and the sweep retries the move.
        logger.error("file %s: move into place failed (%s)", public_id, type(error).__name__)


@dataclass
class CheckedFile:
    """A file that passed every check, waiting in its temporary file to be stored (see
    ``file_check``). ``discard()`` removes it; the sweep removes a forgotten one."""

    public_id: uuid.UUID
    purpose: str
    name: str
    size: int
    sha256: str
    content_type: str

    def discard(self) -> None:
        storage.remove(storage.temp_path(self.public_id))


def file_check(*, data: UploadedFile | bytes, name: str, purpose: str) -> CheckedFile:
    """Check ``data`` (size, emptiness, viruses, type, a video's codecs) in memory, then
    write it encrypted to a temporary file, outside any transaction: a caller that stores
    the file in a longer transaction checks first, so that no database transaction waits
    for the upload or the scanner. Raises FileRefused (``storage_full`` when the disk is
    full) and then keeps nothing."""
    policy = policy_for(purpose)
    public_id = uuid.uuid4()
    try:
        plain, sha256 = _read_bounded(data, policy)
        if not plain:
            raise FileRefused(_("ファイルが空です。中身のあるファイルを選んでください。"), "empty")
        _scan(plain, purpose=purpose, sha256=sha256)
        content_type = sniff(plain[:HEAD_BYTES])
        if content_type not in policy.content_types:
            raise FileRefused(
                _("このファイルの種類は受け付けられません。%(types)sのファイルを選んでください。")
                % {"types": policy.type_names}, "forbidden_type")
        unplayable = media.unplayable(plain, content_type)  # MP4 and WebM only (ADR 0056)
        if unplayable is not None:
            raise FileRefused(unplayable, "unplayable_video")
        storage.write_temp(public_id, plain)
    except BaseException as error:
        storage.remove(storage.temp_path(public_id))
        if _disk_full(error):
            logger.error("file refused: no space left under FILES_DIR (%s)",
                         type(error).__name__)
            raise storage_full() from None
        raise
    return CheckedFile(public_id=public_id, purpose=purpose,
                       name=safe_name(name, content_type), size=len(plain), sha256=sha256,
                       content_type=content_type)


def file_store(*, data: UploadedFile | bytes | CheckedFile, name: str, purpose: str,
               by: User | None) -> StoredFile:
    """Check (unless ``data`` is already a CheckedFile) and store a file for ``purpose``
    (a key of ``policy.POLICIES``); ``by`` is the staff member, None for residents and
    guests. The row is created in the caller's transaction; the bytes move into place when
    it commits. Raises FileRefused."""
    checked = data if isinstance(data, CheckedFile) else file_check(data=data, name=name,
                                                                     purpose=purpose)
    if checked.purpose != purpose:
        checked.discard()
        raise ValueError(f"file checked for {checked.purpose!r}, stored for {purpose!r}")
    now = timezone.now()
    key = storage.storage_key(purpose, checked.public_id, now)
    try:
        try:
            storage.prepare_place(key)
        except OSError as error:
            if _disk_full(error):
                raise storage_full() from None
            raise
        with transaction.atomic():
            stored = StoredFile.objects.create(
                public_id=checked.public_id, sha256=checked.sha256, size=checked.size,
                content_type=checked.content_type, original_name=checked.name,
                purpose=purpose, created_by=by, created_at=now, storage_key=key)
            transaction.on_commit(partial(_moved_on_commit, checked.public_id, key),
                                  robust=True)
    except BaseException:
        checked.discard()
        raise
    logger.info("file %s stored: purpose %s, %s bytes, %s", checked.public_id, purpose,
                checked.size, checked.content_type)
    return stored


def file_open(*, stored: StoredFile) -> BinaryIO:
    """The stored bytes, for reading (the caller closes the handle). Raises FileRefused
    (code ``missing``) when they are gone."""
    try:
        return storage.open_bytes(stored.public_id, stored.storage_key)
    except FileNotFoundError:
        logger.error("file %s: bytes missing", stored.public_id)
        raise FileRefused(_("ファイルが見つかりません。担当の職員にご連絡ください。"),
                          "missing") from None


def file_delete(*, stored: StoredFile) -> None:
    """Delete the row; the bytes are removed when the caller's transaction commits."""
    public_id, key = stored.public_id, stored.storage_key
    with transaction.atomic():
        StoredFile.objects.filter(pk=stored.pk).delete()
        transaction.on_commit(partial(_removed_on_commit, public_id, key))


def _removed_on_commit(public_id: uuid.UUID, key: str) -> None:
    storage.remove(storage.final_path(key))
    storage.remove(storage.temp_path(public_id))
