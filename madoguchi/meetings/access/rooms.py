"""Record-level rules for video rooms, on top of the policy's role × action table.

- A *host* (admits, refuses, removes, ends): staff or manager of the booking's section; of
  a booking without a section (one another context made through scheduling's
  ``resource_book``, e.g. an event's session, ADR 0064), whom that context's registered
  host rule names (``register_host_rule``), among the roles that may host at all.
- Other staff enter only as staff participants of the booking (they wait in the lobby).
- Residents and outside participants enter through a one-time link (services.access_open).
- A booth's tablet (kiosk mode) has a key issued by the centre's district staff or a ward
  administrator; the resident of a booking at that booth enters from it after consenting.

``register`` (from ``apps.ready``) hands these to the policy as the record rules of
``Action.MEETING_HOST``, ``MEETING_JOIN`` (on a booking) and ``KIOSK_MANAGE`` (on a booth).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from madoguchi.accounts.models import Role
from madoguchi.accounts.policy import (
    Action,
    has_role_for,
    memberships_for,
    own_district_ids,
    own_section_ids,
    register_rule,
)
from madoguchi.scheduling.models import BookingStatus, Participant, ParticipantKind

if TYPE_CHECKING:
    from madoguchi.accounts.models import User
    from madoguchi.organisation.models import Booth
    from madoguchi.scheduling.models import Booking


HostRule = Callable[["User", "Booking"], bool]
_host_rules: list[HostRule] = []


def register_host_rule(rule: HostRule) -> HostRule:
    """Add who hosts the rooms of bookings without a section: ``rule(user, booking)`` is
    true for the staff the context that made the booking names (it answers False for
    bookings that are not its own). Registered from the owner's ``AppConfig.ready``."""
    if rule not in _host_rules:
        _host_rules.append(rule)
    return rule


def unregister_host_rule(rule: HostRule) -> None:
    if rule in _host_rules:
        _host_rules.remove(rule)


def is_host(user: User, booking: Booking) -> bool:
    if booking.section_id is not None:
        # The section's own staff and managers (never a centre's staff through its unit).
        return booking.section_id in own_section_ids(user)
    return has_role_for(user, Action.MEETING_HOST) and any(
        rule(user, booking) for rule in _host_rules)


def staff_participant(user: User, booking: Booking) -> Participant | None:
    if not memberships_for(user, Action.MEETING_JOIN):
        return None
    return booking.participants.filter(kind=ParticipantKind.STAFF, user=user).first()


def may_enter(user: User, booking: Booking) -> bool:
    """Whether ``user`` may enter the booking's room with their staff login."""
    if booking.status != BookingStatus.BOOKED:
        return False
    return is_host(user, booking) or staff_participant(user, booking) is not None


def enterable_booking_ids(user: User, bookings: Iterable[Booking]) -> set[int]:
    """The bookings among ``bookings`` whose room ``user`` may enter (``may_enter`` for a
    list, in one query at most)."""
    host_units = own_section_ids(user)
    booked = [b for b in bookings if b.status == BookingStatus.BOOKED]
    ids = {b.pk for b in booked if b.section_id is not None and b.section_id in host_units}
    rest = [b.pk for b in booked if b.pk not in ids]
    if rest and memberships_for(user, Action.MEETING_JOIN):
        ids |= set(Participant.objects.filter(booking_id__in=rest, kind=ParticipantKind.STAFF,
                                              user=user).values_list("booking_id", flat=True))
    return ids


def may_manage_kiosk(user: User, booth: Booth) -> bool:
    """Whether ``user`` may issue or revoke the kiosk key of ``booth``."""
    if not has_role_for(user, Action.KIOSK_MANAGE):
        return False
    if any(m.role == Role.WARD_ADMIN for m in memberships_for(user, Action.KIOSK_MANAGE)):
        return True
    return booth.centre.district_id in own_district_ids(user)


def register() -> None:
    """The record rules of the room and kiosk actions (called from ``apps.ready``)."""
    register_rule(Action.MEETING_HOST, is_host)
    register_rule(Action.MEETING_JOIN, may_enter)
    register_rule(Action.KIOSK_MANAGE, may_manage_kiosk)
