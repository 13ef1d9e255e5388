"""Where an application goes: the section of the procedure's kind serving the district."""

from __future__ import annotations

from madoguchi.consultations.routing import section_code_in
from madoguchi.organisation.models import District, Section, SectionKind


def responsible_section(kind: SectionKind, district: District) -> Section | None:
    """The branch section of the district's region for branch-level kinds, the head-office
    section for head-office kinds (None when the organisation has no such unit)."""
    return (Section.objects.select_related("kind")
            .filter(code=section_code_in(kind, district), is_active=True).first())
