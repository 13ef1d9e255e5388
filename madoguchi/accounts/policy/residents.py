"""Which residents a user may see: their own districts' and those of every involvement
rule another context registered (``register_involvement``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from madoguchi.accounts.policy.actions import Action
from madoguchi.accounts.policy.staff import has_role_for, own_district_ids

if TYPE_CHECKING:
    from madoguchi.accounts.models import User


InvolvementRule = Callable[["User"], Q | list[Q]]
_involvement_rules: list[InvolvementRule] = []


def register_involvement(rule: InvolvementRule) -> InvolvementRule:
    """Add a rule that lets a user see residents they are involved with."""
    if rule not in _involvement_rules:
        _involvement_rules.append(rule)
    return rule


def unregister_involvement(rule: InvolvementRule) -> None:
    if rule in _involvement_rules:
        _involvement_rules.remove(rule)


def resident_scope_parts(user: User) -> list[Q]:
    """The ways ``user`` may see residents, each a Q over Resident (own districts, then
    each involvement rule that applies): a resident is visible when one of them matches.
    Lists over many residents query them as a UNION (people.search); none when the user
    may see nobody."""
    if not has_role_for(user, Action.RESIDENT_VIEW):
        return []
    parts = []
    districts = own_district_ids(user)
    if districts:
        parts.append(Q(district_id__in=districts))
    for rule in _involvement_rules:
        found = rule(user)
        for part in found if isinstance(found, list) else [found]:
            if part != Q(pk__in=[]):
                parts.append(part)
    return parts


def resident_scope(user: User) -> Q:
    """A Q over Resident selecting what ``user`` may see; matches nothing when none."""
    scope = Q(pk__in=[])
    for part in resident_scope_parts(user):
        scope |= part
    return scope


def visible_residents(user: User, queryset: QuerySet) -> QuerySet:
    return queryset.filter(resident_scope(user)).distinct()
