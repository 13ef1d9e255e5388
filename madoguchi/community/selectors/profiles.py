"""The public profiles of registered groups (issue 16 item 1: "public profile, shown on
the district page if the group agrees"): only approved groups that agreed, and only what
a group publishes about itself (name, kind, districts, members, activity), never its
contacts."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from madoguchi.community.models import Group, GroupStatus
from madoguchi.organisation.models import District


@dataclass(frozen=True)
class PublicProfile:
    public_id: str
    name: str
    kind: str  # the kind's label in the page's language
    districts: tuple[str, ...]
    members_count: int
    activity: str


def _public():
    return Group.objects.filter(status=GroupStatus.APPROVED, public_profile=True).prefetch_related(
        Prefetch("districts", queryset=District.objects.order_by("sort_order")))


def _profile(group: Group) -> PublicProfile:
    return PublicProfile(public_id=str(group.public_id), name=group.name,
                         kind=str(group.get_kind_display()),
                         districts=tuple(d.label for d in group.districts.all()),
                         members_count=group.members_count, activity=group.activity)


def public_profiles(district: District) -> list[PublicProfile]:
    """The profiles of the groups active in ``district`` that agreed to show one, by name
    (two queries)."""
    return [_profile(group) for group in _public().filter(districts=district).distinct()]


def public_profile(public_id) -> PublicProfile | None:
    """One group's profile, or None when it is not approved or did not agree."""
    group = _public().filter(public_id=public_id).first()
    return _profile(group) if group is not None else None
