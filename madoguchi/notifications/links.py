"""Secrets a message must carry (a one-time link), sealed for the trip through the queue.

A link is a credential: the room keeps only its hash, and no log line, task argument or
task result may hold it in clear. ``notify(secret=...)`` seals it (Fernet, with a key
derived from SECRET_KEY) into the delivery task's arguments; the worker opens it only to
compose the message.
"""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken

from madoguchi.core.crypto import derived

_KEY_SALT = "madoguchi.notifications.room-link"


def _fernet() -> Fernet:
    return derived(_KEY_SALT)


def seal(url: str) -> str:
    return _fernet().encrypt(url.encode()).decode("ascii")


def unseal(sealed: str) -> str | None:
    """The secret, or None when it cannot be opened (e.g. SECRET_KEY changed)."""
    try:
        return _fernet().decrypt(sealed.encode("ascii")).decode()
    except (InvalidToken, ValueError):
        return None
