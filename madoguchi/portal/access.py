"""Gates of the residents' pages: ``@portal_identity_required(level)`` and safe ``next``."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from madoguchi.portal import session as portal_session
from madoguchi.portal.models import Level

MAX_NEXT = 500


def safe_next(value: str | None) -> str:
    """``value`` if it is a path on this site ("/portal/…"), else "". No scheme, no host,
    no "//" or backslash tricks, no control characters."""
    value = (value or "").strip()
    if (not value or len(value) > MAX_NEXT or not value.startswith("/")
            or value.startswith(("//", "/\\")) or any(ord(c) < 32 for c in value)):
        return ""
    if not url_has_allowed_host_and_scheme(value, allowed_hosts=set(), require_https=False):
        return ""
    return value


def login_url(level: str, next_path: str = "") -> str:
    """Where a resident goes to reach ``level``: the choice of ways for an e-mail level,
    the My Number Card login for the strong level."""
    name = "portal:card" if Level(level) == Level.STRONG else "portal:login"
    url = reverse(name)
    next_path = safe_next(next_path)
    return f"{url}?{urlencode({'next': next_path})}" if next_path else url


def portal_identity_required(level: str = Level.EMAIL):
    """The gate of a resident's page: ``request.portal_login`` (a ``session.PortalLogin``)
    is set when the resident's login is at least ``level`` ("none", "email" or
    "strong"); otherwise the resident is sent to the login that reaches it and comes back
    to this page afterwards. Staff logins count for nothing here."""
    needed = Level(level)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            login = portal_session.current(request)
            request.portal_login = login
            if needed != Level.NONE and (login is None or not login.satisfies(needed)):
                back = request.get_full_path() if request.method == "GET" else ""
                return redirect(login_url(needed, back))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
