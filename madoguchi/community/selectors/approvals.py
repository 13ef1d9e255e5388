"""The approval queue: requests for the rooms a member of staff may approve (the room's
approving unit, its district's centre, ward administrators), read by the staff page and
the JSON API alike."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from madoguchi.accounts.models import Role
from madoguchi.accounts.policy import own_district_ids, own_section_ids, roles
from madoguchi.community.models import BookingRequest, RequestStatus


def approvable_requests(user) -> QuerySet[BookingRequest]:
    """Every request (any status) for the rooms ``user`` approves, with room, group and
    booking selected."""
    rows = BookingRequest.objects.select_related("room", "group", "room_booking")
    if Role.WARD_ADMIN in roles(user):
        return rows
    return rows.filter(Q(room__district_id__in=own_district_ids(user))
                       | Q(room__approving_unit_id__in=own_section_ids(user)))


def approval_queue(user, *, limit: int = 500) -> list[BookingRequest]:
    """The won (or first-come) requests waiting for ``user``'s approval, by date."""
    return list(approvable_requests(user).filter(status=RequestStatus.WON).order_by(
        "date", "room", "daypart", "pk")[:limit])
