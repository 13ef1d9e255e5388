"""Who may see and do what in four-party collaboration (record rules, ADR 0032).

- A **party** is a unit of one of the four kinds (``models.PARTY_KINDS``) in a district; a
  user acts for the units of their current memberships.
- **Full view** of a trouble record: staff of the party that recorded it, and staff of the
  district's centre (まちづくりセンター). Only they see a linked resident.
- **Shared view** (anonymised, ``privacy``): the other parties of the district, once the
  record is marked for sharing or was shared at a meeting.
- Meetings: the four parties of the district; the centre schedules; the head of the
  district's centre (role ``CENTRE_HEAD``, ADR 0058) approves the minutes.
- Escalations: the district's parties, the section it was sent to, and branch-office sections
  of the district's region (the branch sees every escalation from its districts).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from madoguchi.accounts.models import Role
from madoguchi.accounts.policy import (
    Action,
    holds,
    memberships_for,
    own_district_ids,
    register_rule,
)
from madoguchi.collaboration.models import (
    CENTRE_KIND,
    PARTY_KINDS,
    ActionItem,
    Escalation,
    Meeting,
    Status,
    TroubleRecord,
)
from madoguchi.organisation.models import Tier

if TYPE_CHECKING:
    from madoguchi.accounts.models import User


def party_units(user: User, action: Action = Action.COLLAB_RECORD_VIEW) -> list:
    """The user's units that are one of the four parties of a district, for ``action``."""
    return [m.unit for m in memberships_for(user, action)
            if m.unit is not None and m.unit.district_id and m.unit.kind.code in PARTY_KINDS]


def party_district_ids(user: User, action: Action = Action.COLLAB_RECORD_VIEW) -> set[int]:
    return {unit.district_id for unit in party_units(user, action)}


def centre_district_ids(user: User, action: Action = Action.COLLAB_RECORD_VIEW) -> set[int]:
    return {unit.district_id for unit in party_units(user, action)
            if unit.kind.code == CENTRE_KIND and any(
                holds(m, Role.DISTRICT_STAFF) for m in memberships_for(user, action)
                if m.unit_id == unit.pk)}


def full_scope(user: User) -> Q:
    """Records the user sees in full: their own party's and (centre staff) their district's."""
    units = party_units(user)
    return (Q(party_id__in=[u.pk for u in units])
            | Q(district_id__in=centre_district_ids(user)))


def record_scope(user: User) -> Q:
    """Records the user sees at all: in full, or anonymised when shared in their district."""
    shared = Q(share=True) | ~Q(status=Status.NEW)
    return full_scope(user) | (Q(district_id__in=party_district_ids(user)) & shared)


def sees_in_full(user: User, record: TroubleRecord) -> bool:
    return any(u.pk == record.party_id for u in party_units(user)) \
        or record.district_id in centre_district_ids(user)


def may_view_record(user: User, record: TroubleRecord) -> bool:
    if sees_in_full(user, record):
        return True
    return record.district_id in party_district_ids(user) and (
        record.share or record.status != Status.NEW)


def may_edit_record(user: User, record: TroubleRecord) -> bool:
    units = party_units(user, Action.COLLAB_RECORD_EDIT)
    return any(u.pk == record.party_id for u in units) \
        or record.district_id in centre_district_ids(user, Action.COLLAB_RECORD_EDIT)


def may_create_in(user: User, party) -> bool:
    """``party``: the Section the record is made for."""
    return any(u.pk == party.pk for u in party_units(user, Action.COLLAB_RECORD_CREATE))


def may_view_meeting(user: User, meeting: Meeting) -> bool:
    return meeting.district_id in party_district_ids(user, Action.COLLAB_MEETING_VIEW)


def may_schedule(user: User, district) -> bool:
    return district.pk in centre_district_ids(user, Action.COLLAB_MEETING_SCHEDULE)


def may_edit_minutes(user: User, meeting: Meeting) -> bool:
    return meeting.district_id in party_district_ids(user, Action.COLLAB_MINUTES_EDIT)


def may_approve(user: User, meeting: Meeting) -> bool:
    return meeting.district_id in own_district_ids(user, heads_only=True)


def may_finish_action(user: User, item: ActionItem) -> bool:
    return item.person_id == user.pk or any(
        u.pk == item.party_id for u in party_units(user, Action.COLLAB_ACTION_DONE))


def may_escalate(user: User, subject) -> bool:
    """``subject``: a TroubleRecord or an ActionItem."""
    if isinstance(subject, TroubleRecord):
        return subject.district_id in party_district_ids(user, Action.COLLAB_ESCALATE) \
            and may_edit_record(user, subject)
    return subject.meeting.district_id in party_district_ids(user, Action.COLLAB_ESCALATE)


def answering_section_ids(user: User) -> set[int]:
    return {m.unit_id for m in memberships_for(user, Action.COLLAB_ESCALATION_ANSWER)
            if m.unit_id and m.unit.kind.tier in (Tier.BRANCH, Tier.HEAD)}


def branch_region_ids(user: User) -> set[int]:
    return {m.unit.region_id for m in memberships_for(user, Action.COLLAB_ESCALATION_VIEW)
            if m.unit is not None and m.unit.kind.tier == Tier.BRANCH and m.unit.region_id}


def escalation_scope(user: User) -> Q:
    return (Q(district_id__in=party_district_ids(user, Action.COLLAB_ESCALATION_VIEW))
            | Q(to_section_id__in=answering_section_ids(user))
            | Q(district__region_id__in=branch_region_ids(user)))


def may_view_escalation(user: User, escalation: Escalation) -> bool:
    return Escalation.objects.filter(pk=escalation.pk).filter(escalation_scope(user)).exists()


def may_answer(user: User, escalation: Escalation) -> bool:
    return escalation.to_section_id in answering_section_ids(user)


def register() -> None:
    register_rule(Action.COLLAB_RECORD_CREATE, may_create_in)
    register_rule(Action.COLLAB_RECORD_VIEW, may_view_record)
    register_rule(Action.COLLAB_RECORD_EDIT, may_edit_record)
    register_rule(Action.COLLAB_MEETING_VIEW, may_view_meeting)
    register_rule(Action.COLLAB_MEETING_SCHEDULE, may_schedule)
    register_rule(Action.COLLAB_MINUTES_EDIT, may_edit_minutes)
    register_rule(Action.COLLAB_MINUTES_APPROVE, may_approve)
    register_rule(Action.COLLAB_ACTION_DONE, may_finish_action)
    register_rule(Action.COLLAB_ESCALATE, may_escalate)
    register_rule(Action.COLLAB_ESCALATION_VIEW, may_view_escalation)
    register_rule(Action.COLLAB_ESCALATION_ANSWER, may_answer)
