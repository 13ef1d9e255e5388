"""Panels other contexts add to the staff's office and counter pages (a registry counter owns).

The counter sits low in the layers and links to nothing above it by import. A context that
has something for the clerk at an office's counter (flyers: the flyer of a moving-in
resident's district, at offices that take 住民異動の届出) registers a panel from its
``AppConfig.ready`` with ``register_panel(name, render)``: ``render(request, office)``
returns the panel's HTML (``render_to_string``) or "" to show nothing at that office. The
pages call a panel only for a clerk who serves the office (``COUNTER_SERVE`` and its record
rule). A panel gets the office, never a ticket: tickets name no resident, and a panel must
not read a resident's personal data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.utils.safestring import SafeString

if TYPE_CHECKING:
    from django.http import HttpRequest

    from madoguchi.counter.models import Office

PanelRender = Callable[["HttpRequest", "Office"], str]

_panels: dict[str, PanelRender] = {}


def register_panel(name: str, render: PanelRender) -> None:
    """Register the panel ``name`` (again with the same function is a no-op)."""
    if _panels.get(name, render) is not render:
        raise ValueError(f"counter panel {name!r} is registered already")
    _panels[name] = render


def unregister_panel(name: str) -> None:
    _panels.pop(name, None)


def for_office(request: HttpRequest, office: Office) -> list[SafeString]:
    """The registered panels' HTML at ``office``, by name."""
    out = []
    for name in sorted(_panels):
        html = _panels[name](request, office)
        if html:
            out.append(SafeString(html))
    return out
