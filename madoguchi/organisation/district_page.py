"""Sections added to a district's page by the contexts above organisation.

The district page (``organisation:district``) shows the district's centre, booths and
sections; a context that has something of its own to show there (news: the district's
latest posts) registers a section from its ``AppConfig.ready`` with
``register_section(name, render)``: ``render(request, district)`` returns the section's
HTML (a ``SafeString`` from ``render_to_string``) or "" to show nothing. Organisation
imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.safestring import SafeString

SectionRender = Callable[..., str]

_sections: dict[str, SectionRender] = {}


def register_section(name: str, render: SectionRender) -> None:
    if _sections.get(name, render) is not render:
        raise ValueError(f"district page section {name!r} is registered already")
    _sections[name] = render


def sections(request, district) -> list[SafeString]:
    """The registered sections' HTML for ``district``, in the order registered."""
    out = []
    for render in _sections.values():
        html = render(request, district)
        if html:
            out.append(SafeString(html))
    return out
