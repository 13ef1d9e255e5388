from __future__ import annotations

from madoguchi.accounts.navigation import items_for
from madoguchi.accounts.policy import primary_membership


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "membership": None}
    return {"nav_items": items_for(user), "membership": primary_membership(user)}
