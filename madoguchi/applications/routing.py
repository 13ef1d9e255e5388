"""Where an application goes: the section of the procedure's kind serving the district."""

from __future__ import annotations

from madoguchi.organisation.models import District, Section, SectionKind
from madoguchi.organisation.selectors import section_serving


def responsible_section(kind: SectionKind, district: District) -> Section | None:
    """The branch section of the district's region for branch-level kinds, the head-office
    section for head-office kinds (None when the organisation has no such unit)."""
    return section_serving(kind, district)
