"""The virus-scanning port: a small interface, one adapter per scanner, chosen by settings.

``CLAMD_ADDRESS`` empty: no scanning (the embedded default on a laptop). Otherwise clamd
through madoguchi/contrib/clamav. A configured scanner that cannot be reached refuses the
file (fail closed): nothing is stored unscanned once scanning is switched on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings


@dataclass(frozen=True)
class ScanResult:
    clean: bool
    signature: str = ""  # the scanner's name of what it found (e.g. Eicar-Test-Signature)


class ScannerUnavailable(Exception):
    """The scanner could not give an answer (not reachable, timed out, refused the stream).
    The message names the scanner's address and the error's class, never file data."""


class Scanner(Protocol):
    def scan(self, chunks: Iterable[bytes]) -> ScanResult:
        """Scan the bytes given in ``chunks``; raises ScannerUnavailable."""
        ...


def configured_scanner() -> Scanner | None:
    """The scanner the settings name, or None when scanning is off."""
    address = (getattr(settings, "CLAMD_ADDRESS", "") or "").strip()
    if not address:
        return None
    from madoguchi.contrib.clamav import ClamdScanner

    return ClamdScanner(address)
