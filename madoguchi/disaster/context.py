"""The template context of disaster mode (settings: TEMPLATES context_processors)."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from madoguchi.disaster.selectors.declarations import active_declarations


def disaster_mode(request) -> dict:
    """``disaster_mode``: the active declarations (empty outside a disaster), for the
    banner the base template includes on resident-facing pages (visitors not signed in as
    staff; staff follow the mode on its own page). Asked lazily: one query, and only on a
    page that shows it."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return {"disaster_mode": []}
    return {"disaster_mode": SimpleLazyObject(active_declarations)}
