"""Keeping secrets carried in URLs out of every log.

One-time links (``/portal/login/email/<token>/``, ``/meet/join/<token>/``), booth kiosk keys
and similar put a bearer secret in the path. Django's ``django.request`` logger writes the
path of every 4xx/5xx answer and uvicorn's access log (on by default) writes every request
line, so a token would otherwise be readable by anyone who reads the logs. Every path
segment or query value that looks like a URL-safe token (22+ characters of
``[A-Za-z0-9_-]``, not a UUID), also inside an encoded ``next=`` URL, becomes ``[redacted]``.

``install()`` (run by the core app's ``ready()``, so in every process that serves or works:
uvicorn workers, the task worker, management commands) wraps the logging record factory:
every record of every logger, uvicorn's included, is redacted when it is made, whatever
handlers and formatters are configured. ``RedactPathSecrets`` is the same as a filter.
"""

from __future__ import annotations

import logging
import re

_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_BEFORE = r"(?:(?<=/)|(?<=%2F)|(?<=%2f)|(?<==))"
_AFTER = r"(?=/|$|\?|&|#|\s|\"|%2F|%2f|%3F|%3f)"
TOKEN = re.compile(_BEFORE + r"(?!" + _UUID + _AFTER + r")[A-Za-z0-9_-]{22,}" + _AFTER)
REDACTED = "[redacted]"


def redact(text: str) -> str:
    return TOKEN.sub(REDACTED, text)


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    if isinstance(record.msg, str):
        record.msg = redact(record.msg)
    if isinstance(record.args, tuple):
        record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
    elif isinstance(record.args, dict):
        record.args = {k: redact(v) if isinstance(v, str) else v for k, v in record.args.items()}
    return record


class RedactPathSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


def install() -> None:
    """Redact every log record at its making (idempotent)."""
    current = logging.getLogRecordFactory()
    if getattr(current, "redacts_secrets", False):
        return

    def factory(*args, **kwargs) -> logging.LogRecord:
        return redact_record(current(*args, **kwargs))

    factory.redacts_secrets = True
    logging.setLogRecordFactory(factory)
