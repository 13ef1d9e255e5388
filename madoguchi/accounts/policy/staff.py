"""The user's current memberships and what they count for: roles (implied ones included),
the memberships and districts through which an action may be taken, the user's own
sections and districts, the two-factor rule."""

from __future__ import annotations

from typing import TYPE_CHECKING

from madoguchi.accounts.models import Membership, Role
from madoguchi.accounts.policy.actions import Action
from madoguchi.accounts.policy.table import (
    ROLE_ACTIONS,
    SECTION_ROLES,
    UNIT_KIND_LIMITS,
    holds,
    role_covers,
)

if TYPE_CHECKING:
    from madoguchi.accounts.models import User


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
    """The roles the user's current memberships count as (implied ones included)."""
    return {role for m in memberships(user) for role in role_covers(m.role)}


def memberships_for(user: User, action: Action) -> list[Membership]:
    """The user's current memberships whose role and unit may take ``action``."""
    allowed = ROLE_ACTIONS[action]
    limits = UNIT_KIND_LIMITS.get(action, {})
    return [
        m for m in memberships(user)
        if any(role in allowed and (role not in limits or (
            m.unit is not None and m.unit.kind.code in limits[role]))
            for role in role_covers(m.role))
    ]


def has_role_for(user: User, action: Action) -> bool:
    return bool(memberships_for(user, action))


def district_ids_for(user: User, action: Action) -> set[int]:
    """Districts of the units through which the user may take ``action``."""
    return {m.unit.district_id for m in memberships_for(user, action)
            if m.unit is not None and m.unit.district_id}


def own_section_ids(user: User, *, managers_only: bool = False) -> set[int]:
    """Sections the user staffs as section staff or manager (managers only, if asked)."""
    roles = {Role.SECTION_MANAGER} if managers_only else SECTION_ROLES
    return {m.unit_id for m in memberships(user) if role_covers(m.role) & roles and m.unit_id}


def own_district_ids(user: User, *, heads_only: bool = False) -> set[int]:
    """Districts whose centre the user staffs (heads, if asked: the districts whose centre
    the user is the head of, ADR 0058)."""
    role = Role.CENTRE_HEAD if heads_only else Role.DISTRICT_STAFF
    return {
        m.unit.district_id
        for m in memberships(user)
        if holds(m, role) and m.unit and m.unit.district_id
    }


def primary_membership(user: User) -> Membership | None:
    current = memberships(user)
    return current[0] if current else None


def requires_two_factor(user: User) -> bool:
    """Administrators must use TOTP; others may."""
    return Role.WARD_ADMIN in roles(user)
