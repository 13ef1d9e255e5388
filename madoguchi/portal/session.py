"""The residents' session, apart from the staff's.

A resident's login lives in its own cookie (``madoguchi_portal``) and its own session row,
with its own idle timeout (``PORTAL_SESSION_IDLE_SECONDS``). Staff log in and out through
Django's auth session (cookie ``sessionid``); neither touches the other, so a staff member
and a resident using one browser do not mix, and being logged in as staff gives no access
to the portal. Nothing here calls ``django.contrib.auth.login``: a resident never becomes
a ``User``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from madoguchi.portal.models import Level, PortalIdentity

COOKIE = "madoguchi_portal"
IDENTITY = "portal.identity"  # PortalIdentity pk
LEVEL = "portal.level"  # the Level this login proved
SINCE = "portal.since"  # ISO time of the login
OIDC_PENDING = "portal.oidc"  # {state: {...}} of logins started at the provider
EMAIL_PENDING = "portal.email_link"  # pk of an opened, not yet confirmed, e-mail link


def idle_seconds() -> int:
    return settings.PORTAL_SESSION_IDLE_SECONDS


class PortalSessionMiddleware:
    """Loads ``request.portal_session`` from the portal cookie and saves it afterwards.

    The store is Django's configured session engine (the database by default). A session
    that was used is saved with a fresh expiry, so it ends ``idle_seconds()`` after the
    resident's last request; one that became empty (logout) loses its cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.store = import_module(settings.SESSION_ENGINE).SessionStore

    def __call__(self, request):
        request.portal_session = self.store(request.COOKIES.get(COOKIE))
        response = self.get_response(request)
        return self.save(request, response)

    def save(self, request, response):
        session = request.portal_session
        if not session.accessed:
            return response
        patch_vary_headers(response, ("Cookie",))
        if session.is_empty():
            if COOKIE in request.COOKIES:
                response.delete_cookie(COOKIE, path="/", samesite="Lax")
            return response
        if response.status_code >= 500:
            return response
        session.set_expiry(idle_seconds())
        session.save()
        response.set_cookie(COOKIE, session.session_key, max_age=idle_seconds(), path="/",
                            secure=settings.SESSION_COOKIE_SECURE, httponly=True,
                            samesite="Lax")
        return response


@dataclass(frozen=True)
class PortalLogin:
    identity: PortalIdentity
    level: Level
    since: dt.datetime

    def satisfies(self, needed: str) -> bool:
        return self.level.satisfies(needed)


def current(request) -> PortalLogin | None:
    """The resident logged in on this browser, or None (cached on the request)."""
    if not hasattr(request, "_portal_login"):
        request._portal_login = _load(request.portal_session)
    return request._portal_login


def _load(session) -> PortalLogin | None:
    pk, level, since = session.get(IDENTITY), session.get(LEVEL), session.get(SINCE)
    if not pk or level not in Level.values:
        return None
    identity = PortalIdentity.objects.filter(pk=pk).first()
    if identity is None:
        session.flush()
        return None
    return PortalLogin(identity=identity, level=Level(level),
                       since=dt.datetime.fromisoformat(since))


def login(request, *, identity: PortalIdentity, level: Level) -> PortalLogin:
    """Log ``identity`` in on this browser. The session gets a new key (no fixation) and
    loses whatever a half-finished login left in it."""
    session = request.portal_session
    session.flush()  # a new key when saved: no fixation
    now = timezone.now()
    session[IDENTITY], session[LEVEL], session[SINCE] = identity.pk, str(level), now.isoformat()
    request._portal_login = PortalLogin(identity=identity, level=Level(level), since=now)
    return request._portal_login


def logout(request) -> None:
    request.portal_session.flush()
    request._portal_login = None
