"""Record rules for residents, registered with the policy (ADR 32).

A resident is visible through ``policy.resident_scope``: their district's centre staff, and
whoever an involvement rule of another context lets see them. Viewing, updating and
recording consent need a resident (without one the answer is no); creating one is allowed
in the districts whose centre the user staffs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from madoguchi.accounts.policy import Action, own_district_ids, register_rule, resident_scope

if TYPE_CHECKING:
    from madoguchi.accounts.models import User
    from madoguchi.organisation.models import District
    from madoguchi.people.models import Resident


def may_see(user: User, resident: Resident) -> bool:
    """Within the user's resident scope (view, update, consent)."""
    return (type(resident)._default_manager.filter(pk=resident.pk)
            .filter(resident_scope(user)).exists())


def may_create_in(user: User, district: District) -> bool:
    """A new resident of ``district``: only its centre's own staff record one."""
    return district.pk in own_district_ids(user)


def register() -> None:
    """Called from ``PeopleConfig.ready``."""
    for action in (Action.RESIDENT_VIEW, Action.RESIDENT_UPDATE, Action.CONSENT_RECORD):
        register_rule(action, may_see, needs_record=True)
    register_rule(Action.RESIDENT_CREATE, may_create_in)
