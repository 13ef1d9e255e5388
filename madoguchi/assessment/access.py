"""Record rules of district profiles and assessments (ADR 0032), and the owning units.

- A district's figures and assessment are the centre's: its district staff enter figures,
  write and publish; the head of the centre (所長, ADR 0058) approves for the centre, unless
  they submitted it themselves.
- The branch office's step: a section manager of a branch-tier section of the district's
  region.
- Owning units see small counts; everyone else sees cells under ``SUPPRESS_BELOW``
  suppressed: the centre owns its district, a branch office's staff own their region's
  districts, the head office owns none (it sees the whole ward, aggregated).
"""

from __future__ import annotations

from madoguchi.accounts.models import Role
from madoguchi.accounts.policy import (
    SECTION_ROLES,
    Action,
    memberships,
    memberships_for,
    own_district_ids,
    register_rule,
)
from madoguchi.organisation.models import Tier

SUPPRESS_BELOW = 5


def _district_id(obj) -> int | None:
    return getattr(obj, "district_id", None) or getattr(obj, "pk", None)


def _own_district(user, obj) -> bool:
    return obj is not None and _district_id(obj) in own_district_ids(user)


def _branch_manager(user, obj) -> bool:
    district = getattr(obj, "district", obj)
    region_id = getattr(district, "region_id", None)
    return any(m.unit is not None and m.unit.kind.tier == Tier.BRANCH
               and m.unit.region_id == region_id
               for m in memberships_for(user, Action.ASSESSMENT_BRANCH_APPROVE))


def _centre_approver(user, obj) -> bool:
    return (obj is not None and _district_id(obj) in own_district_ids(user, heads_only=True)
            and getattr(obj, "submitted_by_id", None) != user.pk)


def owned_district_ids(user, districts) -> set[int]:
    """Districts (of ``districts``, District rows) whose small counts ``user`` may see."""
    own = set(own_district_ids(user))
    regions = {m.unit.region_id for m in memberships(user)
               if m.role in SECTION_ROLES and m.unit is not None
               and m.unit.kind.tier == Tier.BRANCH and m.unit.region_id}
    return own | {d.pk for d in districts if d.region_id in regions}


def may_export(user) -> bool:
    return any(m.role in (Role.SECTION_STAFF, Role.SECTION_MANAGER, Role.WARD_ADMIN)
               for m in memberships_for(user, Action.DASHBOARD_VIEW))


def register() -> None:
    register_rule(Action.PROFILE_VIEW, lambda user, obj: True)
    register_rule(Action.DASHBOARD_VIEW, lambda user, obj: True)
    register_rule(Action.ASSESSMENT_FIGURES, _own_district, needs_record=True)
    register_rule(Action.ASSESSMENT_WRITE, _own_district, needs_record=True)
    register_rule(Action.ASSESSMENT_PUBLISH, _own_district, needs_record=True)
    register_rule(Action.ASSESSMENT_CENTRE_APPROVE, _centre_approver, needs_record=True)
    register_rule(Action.ASSESSMENT_BRANCH_APPROVE, _branch_manager, needs_record=True)
