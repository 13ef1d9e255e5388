"""Who may call a staff endpoint: the session cookie, its CSRF token and the caller's role.

Every staff API's operations take ``auth=StaffSession(Action.X)``; the resident portal's
endpoints have their own cookie (``applications.api.PortalSession``).
"""

from __future__ import annotations

from ninja.errors import HttpError
from ninja.security import SessionAuth

from madoguchi.accounts.policy import Action, has_role_for
from madoguchi.api.errors import CSRF_FAILED, FORBIDDEN, NOT_LOGGED_IN


class CsrfRefusedInJapanese:
    """Mixed into a cookie authentication of django-ninja: a wrong CSRF token is answered
    403 with the site's Japanese message (ninja's own is English)."""

    def _get_key(self, request):
        try:
            return super()._get_key(request)
        except HttpError as error:
            raise HttpError(403, CSRF_FAILED) from error


class StaffSession(CsrfRefusedInJapanese, SessionAuth):
    """``ninja.security.django_auth`` (session cookie, CSRF on for POST) with Japanese
    messages: 401 when not logged in, 403 when the CSRF token is wrong, 403 when the
    user's role may not take ``action`` at all. Authentication runs before the body is
    parsed, so a role without the right never learns what the endpoint expects."""

    def __init__(self, action: Action):
        super().__init__()
        self.action = action

    def __call__(self, request):
        # Who is asking is decided from the cookie alone; only then does the CSRF check
        # (which may parse the body) run, so an anonymous client's body is never read.
        if not request.user.is_authenticated:
            raise HttpError(401, NOT_LOGGED_IN)
        user = super().__call__(request)
        if not user:
            raise HttpError(401, NOT_LOGGED_IN)
        if not has_role_for(user, self.action):
            raise HttpError(403, FORBIDDEN)
        return user
