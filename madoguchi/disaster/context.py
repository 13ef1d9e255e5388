"""The template context of disaster mode (settings: TEMPLATES context_processors)."""

from __future__ import annotations

from madoguchi.disaster.selectors.declarations import active_declarations


def disaster_mode(request) -> dict:
    """``disaster_mode``: the active declarations (empty outside a disaster), for the
    banner the base template includes. One query per page."""
    return {"disaster_mode": active_declarations()}
