"""What the community's staff pages share."""

from __future__ import annotations

from django.db.models import Q

from madoguchi.accounts.models import Role
from madoguchi.accounts.policy import own_district_ids, own_section_ids, roles
from madoguchi.community.models import Room
from madoguchi.organisation.models import District


def staff_rooms(request):
    """The active rooms the user acts for: the district's centre's, the approving unit's,
    every room for ward administrators (``access.room_rule`` as a filter)."""
    if Role.WARD_ADMIN in roles(request.user):
        return Room.objects.filter(is_active=True)
    return Room.objects.filter(Q(district_id__in=own_district_ids(request.user))
                               | Q(approving_unit_id__in=own_section_ids(request.user)),
                               is_active=True)


def districts_ordered():
    """Every district, in the ward's order (the public pages' district picker)."""
    return District.objects.select_related("region").order_by("region__sort_order",
                                                              "sort_order")
