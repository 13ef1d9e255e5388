"""Record rules of events (ADR 0032): who manages, approves and sees the registrations
of which event."""

from __future__ import annotations

from django.db.models import Q

from madoguchi.accounts.models import Role
from madoguchi.accounts.policy import (
    Action,
    own_district_ids,
    own_section_ids,
    register_rule,
    roles,
)


def event_scope(user) -> Q:
    """A Q over Event: the events ``user`` manages."""
    if Role.WARD_ADMIN in roles(user):
        return Q()
    scope = Q(pk__in=[])
    districts = own_district_ids(user)
    if districts:
        scope |= Q(district_id__in=districts)
    if own_section_ids(user):
        scope |= Q(district__isnull=True) | Q(created_by=user)
    return scope


def in_scope(user, event) -> bool:
    if Role.WARD_ADMIN in roles(user):
        return True
    if event.district_id and event.district_id in own_district_ids(user):
        return True
    return bool(own_section_ids(user)) and (event.district_id is None
                                             or event.created_by_id == user.pk)


def may_approve(user, event) -> bool:
    """A district's event: the head of that district's centre (ADR 0058); a ward-wide
    event: a section manager or ward administrator. Never its author (four eyes)."""
    if event.created_by_id == user.pk:
        return False
    if event.district_id:
        return event.district_id in own_district_ids(user, heads_only=True)
    return bool(roles(user) & {Role.SECTION_MANAGER, Role.WARD_ADMIN})


def register() -> None:
    register_rule(Action.EVENT_MANAGE, in_scope)
    register_rule(Action.REGISTRATION_VIEW, in_scope, needs_record=True)
    register_rule(Action.EVENT_APPROVE, may_approve, needs_record=True)
