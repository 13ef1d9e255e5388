"""Symmetric encryption keys of the project, in one place (cryptography's Fernet).

- ``keyring(keys)``: a MultiFernet from configured keys (a list or a comma-separated
  string, newest first, so that keys can be rotated); ValueError when empty or malformed.
- ``derived(salt)``: a Fernet key derived from SECRET_KEY for ``salt`` — for data whose
  life is bounded by SECRET_KEY's (sealed links), or as the default where a setting may
  name its own keys.
- ``fingerprint(key)``: a short, one-way name of a key (a backup names the keys it needs).
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.utils.crypto import salted_hmac


def key_list(keys: list[str] | str | None) -> list[str]:
    if isinstance(keys, str):
        keys = keys.split(",")
    return [key.strip() for key in keys or [] if key and key.strip()]


def keyring(keys: list[str] | str | None) -> MultiFernet:
    found = key_list(keys)
    if not found:
        raise ValueError("no key configured")
    try:
        return MultiFernet([Fernet(key) for key in found])
    except (ValueError, TypeError):
        raise ValueError("not a Fernet key (32 url-safe base64-encoded bytes)") from None


def derived_key(salt: str) -> bytes:
    """The Fernet key (url-safe base64) derived from SECRET_KEY for ``salt``."""
    key = salted_hmac(salt, "fernet-key", secret=settings.SECRET_KEY,
                      algorithm="sha256").digest()
    return base64.urlsafe_b64encode(key)


def derived(salt: str) -> Fernet:
    return Fernet(derived_key(salt))


def fingerprint(key: str | bytes) -> str:
    """A short name of a key that does not reveal it (backups name the keys they need)."""
    raw = key.encode() if isinstance(key, str) else key
    return hashlib.sha256(b"madoguchi key fingerprint\n" + raw.strip()).hexdigest()[:16]
