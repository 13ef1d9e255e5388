"""What the room's consumer and its channel-layer events share: close codes, groups, the
connection's language and staff login."""

from __future__ import annotations

import logging
from types import SimpleNamespace

from django.conf import settings
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

from madoguchi.meetings.models import Room

log = logging.getLogger("madoguchi.meetings.consumers")

# (the others in the call, this connection's label, recorded?, the lobby for a host)
CallState = tuple[list[dict], str, bool, list[dict] | None]

CLOSE_REFUSED = 4403
CLOSE_DONE = 4000
SESSION_TOUCH_SECONDS = 300  # keep a link holder's session (device binding) alive in a call


def scope_language(scope) -> str:
    """The connection's language, as LocaleMiddleware chooses it for pages: the language
    cookie (set by the language switcher), else the browser's Accept-Language, else the
    default (Japanese)."""
    candidates = [(scope.get("cookies") or {}).get(settings.LANGUAGE_COOKIE_NAME, "")]
    for name, value in scope.get("headers") or []:
        if name == b"accept-language":
            candidates += [code for code, _q in
                           parse_accept_lang_header(value.decode("latin-1")) if code != "*"]
    for code in candidates:
        if not code:
            continue
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


def staff_login(scope):
    """The staff login of the connection's session (Channels' AuthMiddleware does the same
    in a trip of its own to the database thread; here it is part of the connection's one
    trip, ``_identify``). None without a session."""
    session = scope.get("session")
    if session is None:
        return scope.get("user")
    from django.contrib.auth import get_user

    scope["user"] = get_user(SimpleNamespace(session=session))
    return scope["user"]


def hosts_group(room: Room) -> str:
    return f"{room.group}.hosts"


def everyone_group(room: Room) -> str:
    return room.everyone_group
