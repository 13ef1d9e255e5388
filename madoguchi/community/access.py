"""Record rules of the community actions (ADR 0032), registered in ``ready``.

Centre staff act for the rooms, items and groups of their own district; the approving
unit's staff for its rooms; ward administrators for all.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from madoguchi.accounts.models import Role
from madoguchi.accounts.policy import (
    Action,
    own_district_ids,
    own_section_ids,
    register_rule,
    roles,
)
from madoguchi.community.models import Circular, Group, Item, Loan, Room, RoomBooking
from madoguchi.organisation.models import District


def _admin(user) -> bool:
    return Role.WARD_ADMIN in roles(user)


def district_of(obj: Any) -> int | None:
    if isinstance(obj, District):
        return obj.pk
    if isinstance(obj, Room):
        return obj.district_id
    if isinstance(obj, RoomBooking):
        return obj.room.district_id
    if isinstance(obj, Item):
        return obj.centre.district_id
    if isinstance(obj, Loan):
        return obj.item.centre.district_id
    if isinstance(obj, Group):
        return obj.centre.district_id
    if isinstance(obj, Circular):
        return obj.district_id
    return None


def room_rule(user, obj: Any) -> bool:
    if _admin(user):
        return True
    room = obj.room if isinstance(obj, RoomBooking) else obj
    if isinstance(room, Room) and room.approving_unit_id in own_section_ids(user):
        return True
    return district_of(obj) in own_district_ids(user)


def centre_rule(user, obj: Any) -> bool:
    return _admin(user) or district_of(obj) in own_district_ids(user)


def centre_scope(user) -> Q:
    """``centre_rule`` as a filter of records with a ``district`` (for lists): the
    user's own districts, every one for ward administrators."""
    return Q() if _admin(user) else Q(district_id__in=own_district_ids(user))


def register() -> None:
    register_rule(Action.COMMUNITY_ROOM_BOOK, room_rule)
    register_rule(Action.COMMUNITY_ROOM_EDIT, room_rule)
    register_rule(Action.COMMUNITY_LEND, centre_rule)
    register_rule(Action.COMMUNITY_GROUPS, centre_rule)
    register_rule(Action.COMMUNITY_LOTTERY, lambda user, run: _admin(user))
