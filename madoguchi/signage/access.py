"""Record rules of signage (ADR 0032, ADR 0043).

Who writes and approves an item depends on its level, the widest of its targets:

- *district* (screens or centres only): the centres' own district staff write it, and
  the centre head (所長) of every district it reaches approves it (ADR 0058; never its
  author);
- *region* and *ward-wide*: staff of the branch offices (総合支所: section staff and
  managers of a branch-tier section) of those regions, any branch office for ward-wide ones;
  another branch-office staff member approves. Ward administrators write any item but do
  not approve (they are not the 掲載基準's approvers).

Screens: a centre's district staff, its region's branch office, ward administrators.
Emergency messages: ward administrators anywhere, branch-office managers in their region.
``register`` (from ``apps.ready``) hands the rules to the policy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from madoguchi.accounts.models import Role
from madoguchi.accounts.policy import (
    SECTION_ROLES,
    Action,
    memberships,
    own_district_ids,
    register_rule,
    roles,
)
from madoguchi.organisation.models import Tier

if TYPE_CHECKING:
    from madoguchi.accounts.models import User
    from madoguchi.signage.models import Emergency, Item, Screen

DISTRICT, REGION, WARD = "district", "region", "ward"


@dataclass(frozen=True)
class Targets:
    """What an item reaches, as units: the ward, regions, districts (of centres and
    screens) and the regions of those districts."""

    ward_wide: bool
    region_ids: frozenset[int]
    district_ids: frozenset[int]
    district_region_ids: frozenset[int]
    author_id: int | None = None

    @property
    def level(self) -> str:
        if self.ward_wide:
            return WARD
        return REGION if self.region_ids else DISTRICT

    @property
    def empty(self) -> bool:
        return not (self.ward_wide or self.region_ids or self.district_ids)


def targets_of(item: Item) -> Targets:
    """(Uses the item's prefetched centres, screens and regions when a list loaded them.)"""
    districts = ([c.district for c in item.centres.all()]
                 + [s.centre.district for s in item.screens.all()])
    return Targets(
        ward_wide=item.ward_wide,
        region_ids=frozenset(r.pk for r in item.regions.all()),
        district_ids=frozenset(d.pk for d in districts),
        district_region_ids=frozenset(d.region_id for d in districts),
        author_id=item.author_id)


def branch_region_ids(user: User, *, managers_only: bool = False) -> set[int]:
    """Regions whose branch office (総合支所) the user staffs."""
    allowed = {Role.SECTION_MANAGER} if managers_only else SECTION_ROLES
    return {m.unit.region_id for m in memberships(user)
            if m.role in allowed and m.unit is not None and m.unit.kind.tier == Tier.BRANCH
            and m.unit.region_id}


def _reaches(user: User, targets: Targets) -> bool:
    """Whether ``user``'s unit covers every target (district staff: their districts;
    branch-office staff: their regions; any branch office: the ward)."""
    if targets.empty:
        return False
    branch = branch_region_ids(user)
    if targets.level == WARD:
        return bool(branch)
    if targets.level == REGION:
        return (targets.region_ids | targets.district_region_ids) <= branch
    return (targets.district_ids <= own_district_ids(user)
            or targets.district_region_ids <= branch)


def _as_targets(obj: Item | Targets) -> Targets:
    return obj if isinstance(obj, Targets) else targets_of(obj)


def may_write(user: User, obj: Item | Targets) -> bool:
    targets = _as_targets(obj)
    if Role.WARD_ADMIN in roles(user):
        return not targets.empty
    return _reaches(user, targets)


def may_approve(user: User, obj: Item | Targets) -> bool:
    targets = _as_targets(obj)
    if targets.author_id == user.pk:
        return False  # four eyes
    if targets.level == DISTRICT:
        return bool(targets.district_ids) and targets.district_ids <= own_district_ids(
            user, heads_only=True)
    return _reaches(user, targets)


def may_manage_screen(user: User, screen: Screen) -> bool:
    if Role.WARD_ADMIN in roles(user):
        return True
    district = screen.centre.district
    return (district.pk in own_district_ids(user)
            or district.region_id in branch_region_ids(user))


def may_declare(user: User, emergency: Emergency) -> bool:
    if Role.WARD_ADMIN in roles(user):
        return True
    return (emergency.region_id is not None
            and emergency.region_id in branch_region_ids(user, managers_only=True))


def register() -> None:
    register_rule(Action.SIGNAGE_WRITE, may_write)
    register_rule(Action.SIGNAGE_APPROVE, may_approve)
    register_rule(Action.SIGNAGE_SCREENS, may_manage_screen)
    register_rule(Action.SIGNAGE_EMERGENCY, may_declare)
