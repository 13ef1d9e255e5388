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


def register() -> None:
    register_rule(Action.SHELTER_OPERATE, shelter_operate)
