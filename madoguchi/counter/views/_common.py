"""What the staff's pages share: the office of the URL, if the user may act on it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from madoguchi.accounts.policy import Action, can
from madoguchi.counter import selectors


def _office(request, code: str, action: Action = Action.COUNTER_SERVE):
    found = selectors.office_get(code)
    if not can(request.user, action, found):
        raise PermissionDenied
    return found
