"""Record rules of public comment and surveys (ADR 0032, ADR 0048): who manages which
consultation or survey. A ward-wide one (no district) is managed by section staff and by
every centre (postcards are handed in at the centres' counters); a district's one by its
centre; ward administrators manage all."""

from __future__ import annotations

from django.db.models import Q

from madoguchi.accounts.models import Role
from madoguchi.accounts.policy import Action, own_district_ids, register_rule, roles


def scope(user) -> Q:
    """A Q over Consultation or Survey: the ones ``user`` manages."""
    if Role.WARD_ADMIN in roles(user):
        return Q()
    found = Q(district__isnull=True) | Q(created_by=user)
    districts = own_district_ids(user)
    if districts:
        found |= Q(district_id__in=districts)
    return found


def in_scope(user, record) -> bool:
    if Role.WARD_ADMIN in roles(user):
        return True
    if record.district_id is None or record.created_by_id == user.pk:
        return True
    return record.district_id in own_district_ids(user)


def register() -> None:
    register_rule(Action.OPINIONS_MANAGE, in_scope)
