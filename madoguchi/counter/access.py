"""Record rules of the counter (ADR 0032): which office a staff member serves.

A district centre's office: its district staff (``own_district_ids``). A くみん窓口: the
staff and manager of that section (``own_section_ids``). Ward administrators read every
office's log. ``register`` (from ``apps.ready``) hands them to the policy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from madoguchi.accounts.models import Role
from madoguchi.accounts.policy import (
    Action,
    own_district_ids,
    own_section_ids,
    register_rule,
    roles,
)

if TYPE_CHECKING:
    from madoguchi.accounts.models import User
    from madoguchi.counter.models import Office


def staffs(user: User, office: Office) -> bool:
    if office.centre_id is not None:
        return office.centre.district_id in own_district_ids(user)
    return office.section_id in own_section_ids(user)


def may_read_log(user: User, office: Office) -> bool:
    return Role.WARD_ADMIN in roles(user) or staffs(user, office)


def register() -> None:
    register_rule(Action.COUNTER_SERVE, staffs)
    register_rule(Action.COUNTER_LOG, may_read_log)
