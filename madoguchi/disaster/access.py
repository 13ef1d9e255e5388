"""Record rules of the disaster context (ADR 0032), registered in ``AppConfig.ready``."""

from __future__ import annotations

from typing import Any

from madoguchi.accounts.models import Role
from madoguchi.accounts.policy import Action, own_district_ids, register_rule, roles


def shelter_operate(user, shelter: Any) -> bool:
    """Centre staff run the shelters of their district; ward administrators any shelter."""
    if Role.WARD_ADMIN in roles(user):
        return True
    return shelter.district_id in own_district_ids(user)


def registry_view(user, entry: Any) -> bool:
    """The centre of the district, the branch office of its region, and the named
    supporters of the district (consenting people, or everyone in a declared disaster)."""
    from madoguchi.disaster.models import RegistryEntry
    from madoguchi.disaster.selectors.registry import registry_scope

    return RegistryEntry.objects.filter(registry_scope(user), pk=entry.pk).exists()


def registry_edit(user, resident: Any) -> bool:
    """Staff of the resident's district centre or of its branch office register people
    and record their consent; supporters do not."""
    from madoguchi.disaster.selectors.registry import branch_region_ids

    return (resident.district_id in own_district_ids(user)
            or resident.district.region_id in branch_region_ids(user))


def register() -> None:
    register_rule(Action.SHELTER_OPERATE, shelter_operate)
    register_rule(Action.REGISTRY_VIEW, registry_view, needs_record=True)
    register_rule(Action.REGISTRY_EDIT, registry_edit)
