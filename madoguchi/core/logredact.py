"""A logging filter that keeps secrets carried in URL paths out of the logs.

One-time links (``/meetings/join/<token>/``), booth kiosk keys and similar put a bearer
secret in the path. Django's ``django.request`` logger writes the path of every 4xx/5xx
answer, so a refused link would otherwise leave a usable secret in the log. The filter
replaces every path segment that looks like a URL-safe token (22+ characters of
``[A-Za-z0-9_-]``, not a UUID) with ``[redacted]`` in the message and its arguments.
"""

from __future__ import annotations

import logging
import re

TOKEN = re.compile(r"(?<=/)(?![0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                   r"[0-9a-fA-F]{12}(?:/|$|\?))[A-Za-z0-9_-]{22,}(?=/|$|\?|\s)")
REDACTED = "[redacted]"


def redact(text: str) -> str:
    return TOKEN.sub(REDACTED, text)


class RedactPathSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: redact(v) if isinstance(v, str) else v
                           for k, v in record.args.items()}
        return True
