"""The largest body one file upload needs, told to core by the files context (ADR 0056).

Core imports no app, but the early refusal of large bodies (``middleware.UploadGateMiddleware``)
must let through a body carrying the largest file some purpose accepts (signage's videos):
the files context registers that figure from its ``AppConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Callable

_largest_upload: Callable[[], int] | None = None


def register_largest_upload(provider: Callable[[], int]) -> None:
    """``provider()``: bytes of the largest multipart body one allowed file needs (its
    limit and the form around it), asked on every check so that settings changes count."""
    global _largest_upload
    _largest_upload = provider


def largest_upload_bytes() -> int:
    """What the provider says, 0 without one."""
    return _largest_upload() if _largest_upload is not None else 0
