"""The one permission policy: role × organisational unit × action.

Every view, API endpoint and service asks here. Lists are filtered with the queryset
helpers, single records with ``can``. There is no switch that turns checks off.

Other contexts widen who may see a resident by registering an *involvement* rule
(e.g. consultations: staff of the section handling a resident's matter):
``register_involvement(fn)`` where ``fn(user) -> Q`` over Resident fields.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from madoguchi.accounts.models import Membership, Role

if TYPE_CHECKING:
    from madoguchi.accounts.models import User


class Action(StrEnum):
    HOME = "home"
    ORG_VIEW = "org.view"
    ORG_EDIT = "org.edit"
    RESIDENT_SEARCH = "resident.search"
    RESIDENT_CREATE = "resident.create"
    RESIDENT_VIEW = "resident.view"
    RESIDENT_UPDATE = "resident.update"
    CONSENT_RECORD = "consent.record"
    AUDIT_VIEW = "audit.view"


STAFF_ROLES = frozenset(Role.values)
CASEWORK_ROLES = frozenset({Role.DISTRICT_STAFF, Role.SECTION_STAFF, Role.SECTION_MANAGER,
                            Role.PARTNER_STAFF})

# Which roles may take an action at all. Record-level rules (which resident, which
# district) are applied on top by ``can`` and the queryset helpers below.
ROLE_ACTIONS: dict[Action, frozenset[str]] = {
    Action.HOME: STAFF_ROLES,
    Action.ORG_VIEW: STAFF_ROLES,
    Action.ORG_EDIT: frozenset({Role.WARD_ADMIN}),
    Action.RESIDENT_SEARCH: CASEWORK_ROLES,
    Action.RESIDENT_CREATE: frozenset({Role.DISTRICT_STAFF}),
    Action.RESIDENT_VIEW: CASEWORK_ROLES,
    Action.RESIDENT_UPDATE: CASEWORK_ROLES,
    Action.CONSENT_RECORD: CASEWORK_ROLES,
    Action.AUDIT_VIEW: frozenset({Role.AUDITOR}),
}

InvolvementRule = Callable[["User"], Q]
_involvement_rules: list[InvolvementRule] = []


def register_involvement(rule: InvolvementRule) -> InvolvementRule:
    """Add a rule that lets a user see residents they are involved with."""
    if rule not in _involvement_rules:
        _involvement_rules.append(rule)
    return rule


def unregister_involvement(rule: InvolvementRule) -> None:
    if rule in _involvement_rules:
        _involvement_rules.remove(rule)


def memberships(user: User) -> list[Membership]:
    """The user's current memberships, loaded once per user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_current_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.current()
            .filter(user=user)
            .select_related("unit__kind", "unit__district__region", "unit__region")
        )
        user._current_memberships = cached
    return cached


def roles(user: User) -> set[str]:
    return {m.role for m in memberships(user)}


def has_role_for(user: User, action: Action) -> bool:
    return bool(roles(user) & ROLE_ACTIONS[action])


def own_district_ids(user: User) -> set[int]:
    """Districts whose centre the user staffs."""
    return {
        m.unit.district_id
        for m in memberships(user)
        if m.role == Role.DISTRICT_STAFF and m.unit and m.unit.district_id
    }


def resident_scope(user: User) -> Q:
    """A Q over Resident selecting what ``user`` may see; matches nothing when none."""
    if not has_role_for(user, Action.RESIDENT_VIEW):
        return Q(pk__in=[])
    scope = Q(pk__in=[])
    districts = own_district_ids(user)
    if districts:
        scope |= Q(district_id__in=districts)
    for rule in _involvement_rules:
        scope |= rule(user)
    return scope


def visible_residents(user: User, queryset: QuerySet) -> QuerySet:
    return queryset.filter(resident_scope(user)).distinct()


def can(user: User, action: Action, obj: Any = None) -> bool:
    """Whether ``user`` may take ``action`` (on ``obj`` where the action concerns one)."""
    if not has_role_for(user, action):
        return False
    if action in (Action.RESIDENT_VIEW, Action.RESIDENT_UPDATE, Action.CONSENT_RECORD):
        if obj is None:
            return False
        return type(obj)._default_manager.filter(pk=obj.pk).filter(resident_scope(user)).exists()
    if action == Action.RESIDENT_CREATE and obj is not None:
        # obj is the district the new resident lives in.
        return obj.pk in own_district_ids(user)
    return True


def primary_membership(user: User) -> Membership | None:
    current = memberships(user)
    return current[0] if current else None


def requires_two_factor(user: User) -> bool:
    """Administrators must use TOTP; others may."""
    return Role.WARD_ADMIN in roles(user)
