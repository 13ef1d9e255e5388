"""Record-level rules for call recordings, on top of the policy's role × action table
(``Action.RECORDING_*`` in madoguchi/accounts/policy/actions.py).

- A section records at all only when its manager (or a ward administrator) allowed it
  (``SectionRecording``); a host of the booking then switches it on for one call.
- Staff who may see the consultation the booking belongs to (consultations' selector
  ``booking_consultation_visible``),
  and the booking's hosts, list and play its recordings.
- The booking's section (its hosts) deletes them.

``register`` (from ``apps.ready``) hands these to the policy as the record rules of
``Action.RECORDING_SETUP`` (on a section), ``RECORDING_VIEW`` and ``RECORDING_DELETE`` (on a
room).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from madoguchi.accounts.models import Role
from madoguchi.accounts.policy import Action, has_role_for, memberships_for, register_rule
from madoguchi.consultations import selectors as consultations
from madoguchi.meetings.access import rooms as rules
from madoguchi.meetings.models import SectionRecording

if TYPE_CHECKING:
    from madoguchi.accounts.models import User
    from madoguchi.meetings.models import Room
    from madoguchi.organisation.models import Section
    from madoguchi.scheduling.models import Booking


def section_allows(booking: Booking) -> bool:
    return SectionRecording.objects.filter(section_id=booking.section_id, allowed=True).exists()


def setup_sections(user: User):
    """The sections whose recording setting ``user`` may change (a queryset)."""
    from madoguchi.organisation.models import Section

    memberships = memberships_for(user, Action.RECORDING_SETUP)
    if any(m.role == Role.WARD_ADMIN for m in memberships):
        return Section.objects.filter(is_active=True)
    return Section.objects.filter(is_active=True,
                                  pk__in=[m.unit_id for m in memberships if m.unit_id])


def may_setup(user: User, section: Section) -> bool:
    return setup_sections(user).filter(pk=section.pk).exists()


def may_view(user: User, room: Room) -> bool:
    if not getattr(user, "is_authenticated", False) or not has_role_for(
            user, Action.RECORDING_VIEW):
        return False
    if rules.is_host(user, room.booking):
        return True
    return consultations.booking_consultation_visible(user=user, booking_id=room.booking_id)


def may_delete(user: User, room: Room) -> bool:
    return (getattr(user, "is_authenticated", False)
            and has_role_for(user, Action.RECORDING_DELETE)
            and rules.is_host(user, room.booking))


def resident_ref(room: Room) -> str:
    """The public id of the resident whose consultation the call was (for the audit
    trail), or ``""``."""
    return consultations.booking_resident_ref(booking_id=room.booking_id)


def register() -> None:
    """The record rules of the recording actions (called from ``apps.ready``)."""
    register_rule(Action.RECORDING_SETUP, may_setup)
    register_rule(Action.RECORDING_VIEW, may_view)
    register_rule(Action.RECORDING_DELETE, may_delete)
