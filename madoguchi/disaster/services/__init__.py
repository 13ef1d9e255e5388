"""Writes of the disaster context (re-exported for other contexts)."""

from madoguchi.disaster.services.declarations import (
    declaration_confirm,
    declaration_end,
    declaration_request,
)
from madoguchi.disaster.services.plans import plan_save
from madoguchi.disaster.services.registry import registry_consent, registry_register
from madoguchi.disaster.services.shelter_reference import shelters_load_reference
from madoguchi.disaster.services.shelters import shelter_edit, shelter_report, shelter_set_status

__all__ = ["declaration_confirm", "declaration_end", "declaration_request", "plan_save",
           "registry_consent", "registry_register", "shelter_edit", "shelter_report",
           "shelter_set_status", "shelters_load_reference"]
