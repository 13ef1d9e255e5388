"""What the page modules share: the resident a record is about, as the user may see them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from madoguchi.accounts.policy import Action


def _resident(user, public_id):
    if not public_id:
        return None
    from madoguchi.people.selectors import visible_resident

    try:
        return visible_resident(user=user, public_id=public_id, action=Action.RESIDENT_VIEW)
    except (Http404, PermissionDenied):
        return False
