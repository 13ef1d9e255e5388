"""What the community's staff pages share."""

from __future__ import annotations

import uuid
from typing import TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from madoguchi.accounts.models import Role
from madoguchi.accounts.policy import own_district_ids, own_section_ids, roles
from madoguchi.community.models import Room
from madoguchi.organisation.models import District, DistrictCentre

M = TypeVar("M", bound=Model)


def source(request) -> str:
    """The page asking (the audit trail's source): the URL's name."""
    return request.resolver_match.view_name


def staff_rooms(request):
    """The active rooms the user acts for: the district's centre's, the approving unit's,
    every room for ward administrators (``access.room_rule`` as a filter)."""
    if Role.WARD_ADMIN in roles(request.user):
        return Room.objects.filter(is_active=True)
    return Room.objects.filter(Q(district_id__in=own_district_ids(request.user))
                               | Q(approving_unit_id__in=own_section_ids(request.user)),
                               is_active=True)


def staff_centre(request) -> DistrictCentre:
    """The user's own centre; a ward administrator chooses one (``?centre=``)."""
    raw = request.GET.get("centre") or request.POST.get("centre") or ""
    if Role.WARD_ADMIN in roles(request.user):
        found = DistrictCentre.objects.filter(pk=int(raw)).first() if raw.isdigit() else \
            DistrictCentre.objects.order_by("pk").first()
    else:
        found = DistrictCentre.objects.filter(
            district_id__in=own_district_ids(request.user)).order_by("pk").first()
    if found is None:
        raise Http404
    return found


def posted_record(request, records: QuerySet[M], field: str) -> M:
    """The record of ``records`` (the user's scope) whose ``public_id`` is the UUID posted
    as ``field``; a missing or malformed UUID, or one outside ``records``, is 404."""
    try:
        public_id = uuid.UUID(request.POST.get(field, ""))
    except ValueError:
        raise Http404 from None
    found = records.filter(public_id=public_id).first()
    if found is None:
        raise Http404
    return found


def districts_ordered():
    """Every district, in the ward's order (the public pages' district picker)."""
    return District.objects.select_related("region").order_by("region__sort_order",
                                                              "sort_order")
