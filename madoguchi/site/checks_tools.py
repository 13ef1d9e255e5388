"""``manage.py check``: what the running application needs from outside Python is there.

A missing part shows when the site is deployed, not to the first resident who needs it:

- the PDF font file (vendored Noto Sans JP): decision notices and guidance slips;
- the compiled catalogues (.mo): English pages. msgfmt (gettext) makes them at build time
  (``make messages``); the running application never calls it;
- with ``--deploy``: clamd, when ``CLAMD_ADDRESS`` names one, answers PING (without it
  every upload is refused with a message, never stored unscanned); each coturn server of
  ``MEETINGS_TURN_URLS`` accepts a connection (without it residents behind a NAT cannot
  join a call).

Chromium, poppler and zbar are used by the tests and ``make bench`` only. Whether clamd is
configured at all is the files app's own deploy check; this module reports configured
parts that are missing or unreachable.
"""

from __future__ import annotations

import os
import shutil
import socket
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

# Debian puts daemons (clamd, turnserver) in sbin, which a user's PATH often lacks.
SYSTEM_DIRS = ("/usr/sbin", "/sbin")
TRUETYPE_MAGIC = (b"\x00\x01\x00\x00", b"OTTO", b"true")
PROBE_SECONDS = 3.0


def program(name: str) -> str | None:
    """Where an outside program is: on PATH, then in /usr/sbin and /sbin; None if absent."""
    return shutil.which(name, path=os.pathsep.join([os.environ.get("PATH", ""),
                                                    *SYSTEM_DIRS]))


@register()
def document_font_check(app_configs, **kwargs) -> list[Error]:
    from madoguchi.documents.fonts import FONT_FILE

    try:
        with Path(FONT_FILE).open("rb") as handle:
            head = handle.read(4)
    except OSError as error:
        return [Error(f"the PDF font {FONT_FILE} cannot be read ({type(error).__name__}): "
                      "decision notices and guidance slips cannot be made",
                      hint="reinstall madoguchi with its package data (documents/fonts/)",
                      id="tools.E001")]
    if head not in TRUETYPE_MAGIC:
        return [Error(f"{FONT_FILE} is not a font file (a Git LFS pointer or a damaged copy?): "
                      "decision notices and guidance slips cannot be made",
                      hint="check out the real file (git lfs pull) or reinstall",
                      id="tools.E002")]
    return []


@register()
def compiled_catalogue_check(app_configs, **kwargs) -> list[Error]:
    errors = []
    for folder in settings.LOCALE_PATHS:
        for source in sorted(Path(folder).glob("*/LC_MESSAGES/*.po")):
            if not source.with_suffix(".mo").is_file():
                errors.append(Error(
                    f"{source} has no compiled {source.with_suffix('.mo').name}: "
                    "its language shows Japanese",
                    hint="run `manage.py compilemessages` where gettext is installed "
                         "(apt-get install gettext; needed at build time only)",
                    id="tools.E003"))
    return errors


@register(Tags.security, deploy=True)
def clamd_reachable_check(app_configs, **kwargs) -> list[Error | Warning]:
    address = (settings.CLAMD_ADDRESS or "").strip()
    if not address:
        return [Warning(
            "CLAMD_ADDRESS is empty: uploaded files are stored and handed out without a "
            "virus scan (a file that only looks like a PDF is accepted)",
            hint="install clamav-daemon and set CLAMD_ADDRESS (README, production layout)",
            id="tools.W006")]
    from madoguchi.contrib.clamav import ClamdScanner
    from madoguchi.files.scanning import ScannerUnavailable

    try:
        scanner = ClamdScanner(address, timeout=PROBE_SECONDS)
        if scanner.ping():
            return []
        problem = "answers PING with something other than PONG"
    except ValueError as error:
        return [Error(f"CLAMD_ADDRESS: {error}", id="tools.E004")]
    except ScannerUnavailable as error:
        problem = f"does not answer ({error})"
    return [Error(f"the virus scanner (CLAMD_ADDRESS) {problem}: every upload is refused "
                  "until it answers",
                  hint="apt-get install clamav-daemon, start clamd and check the socket's "
                       "path and permissions", id="tools.E005")]


def _turn_endpoint(url: str) -> tuple[str, int] | None:
    """(host, port) of a turn:/turns: URL (RFC 7065) that listens on TCP, else None."""
    scheme, _, rest = url.strip().partition(":")
    address, _, query = rest.partition("?")
    transport = parse_qs(query).get("transport", ["tcp"])[0]
    if scheme not in ("turn", "turns") or (scheme == "turn" and transport == "udp"):
        return None
    parts = urlsplit(f"//{address}")
    try:
        port = parts.port or (5349 if scheme == "turns" else 3478)
    except ValueError:
        return None
    return (parts.hostname, port) if parts.hostname else None


@register(deploy=True)
def turn_reachable_check(app_configs, **kwargs) -> list[Warning]:
    warnings = []
    for url in settings.MEETINGS_TURN_URLS:
        endpoint = _turn_endpoint(url)
        if endpoint is None:
            continue
        try:
            socket.create_connection(endpoint, timeout=PROBE_SECONDS).close()
        except OSError as error:
            warnings.append(Warning(
                f"the TURN server {url} does not accept a connection "
                f"({type(error).__name__}): residents behind a NAT cannot join calls",
                hint="apt-get install coturn and configure it as docs/coturn.md says",
                id="tools.W001"))
    return warnings
