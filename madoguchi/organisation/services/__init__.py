"""Writes to the organisation (one module per area; import the services from here)."""

from madoguchi.organisation.services.closed_days import (
    calendar_exception_create,
    calendar_exception_delete,
    calendar_exception_update,
)
from madoguchi.organisation.services.sections import (
    default_section_code,
    section_create,
    section_kind_create,
    section_kind_update,
    section_update,
)
from madoguchi.organisation.services.structure import (
    booth_create,
    booth_update,
    centre_update,
    district_create,
    district_update,
    region_create,
    region_update,
)

__all__ = [
    "booth_create", "booth_update", "calendar_exception_create", "calendar_exception_delete",
    "calendar_exception_update", "centre_update", "default_section_code", "district_create",
    "district_update", "region_create", "region_update", "section_create",
    "section_kind_create", "section_kind_update", "section_update",
]
