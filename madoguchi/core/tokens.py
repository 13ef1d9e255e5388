"""Bearer secrets (one-time links, kiosk keys, login links): only their digest is stored.

A secret is URL-safe random text shown once; the database keeps ``digest(secret)`` and looks
a presented secret up by that digest, so a copy of the database opens nothing.
"""

from __future__ import annotations

import hashlib


def digest(secret: str) -> str:
    """The stored form of a bearer secret (SHA-256, hex)."""
    return hashlib.sha256(secret.encode()).hexdigest()
