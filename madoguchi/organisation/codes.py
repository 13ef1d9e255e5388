"""The organisation's code scheme: how a section's code follows from its kind and place,
and how a district is named across the ward.

- a head-office or specialist section: ``<kind>`` (``kazei``);
- a branch section: ``<region>/<kind>`` (``setagaya/hoken-fukushi``);
- a district-centre or partner section: ``<region>/<district>/<kind>``
  (``setagaya/ikejiri/anshin``);
- a district: ``<region>/<district>`` (``setagaya/ikejiri``; a district code alone is not
  unique: 北沢, 砧 and 烏山 name a region and a district).

Other contexts find "the section of this kind that serves this district" through these
functions (or ``selectors.section_serving``), never by building codes themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from madoguchi.organisation.rules import TIER_PLACE

if TYPE_CHECKING:
    from madoguchi.organisation.models import District, Region, SectionKind


def section_code(kind: SectionKind, *, district: District | None = None,
                 region: Region | None = None) -> str | None:
    """The code of the section of ``kind`` at ``district`` (or, for a branch kind, in
    ``region``, which defaults to the district's region). None when the kind's tier needs
    a place that is not given."""
    wants_region, wants_district = TIER_PLACE[kind.tier]
    if wants_district:
        if district is None:
            return None
        return f"{district.region.code}/{district.code}/{kind.code}"
    if wants_region:
        if region is None and district is not None:
            region = district.region
        return f"{region.code}/{kind.code}" if region is not None else None
    return kind.code


def split_district_key(key: str | None) -> tuple[str, str] | None:
    """``("setagaya", "ikejiri")`` from ``"setagaya/ikejiri"``; None unless both parts are
    there."""
    region, sep, district = (key or "").strip().partition("/")
    if not sep or not region or not district:
        return None
    return region, district
