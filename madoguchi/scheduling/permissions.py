"""Record-level booking rules on top of the policy's role × action table.

Who may book: district-centre staff at their centre; staff of the booked section; partner
staff (あんしんすこやかセンター, 社会福祉協議会, specialist agencies: stage 2 meetings are
often theirs to arrange) only within their own district — at their district's centre, for
their own unit, or (a remote meeting without a centre) one they take part in themselves.
Who may see, cancel or move a booking: centre and section staff as for booking, its
creator, and partner staff only for bookings they take part in, that their unit made or
that book their unit — never a booking elsewhere in the ward just for being a partner.

``register`` (from ``apps.ready``) hands these to the policy as the record rules of the
booking actions: callers ask ``policy.can(user, Action.BOOKING_*, booking)``, and for a
booking not made yet ``can(user, Action.BOOKING_CREATE, BookingPlace(...))``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from madoguchi.accounts.models import Membership, Role
from madoguchi.accounts.policy import (
    SECTION_ROLES,
    Action,
    has_role_for,
    holds,
    memberships,
    register_rule,
)

if TYPE_CHECKING:
    from madoguchi.accounts.models import User
    from madoguchi.organisation.models import DistrictCentre, Section
    from madoguchi.scheduling.models import Booking


def _staff_books_for(user: User, section: Section, centre: DistrictCentre | None) -> bool:
    """Centre staff at their centre, section staff for their section."""
    for membership in memberships(user):
        unit = membership.unit
        if unit is None:
            continue
        at_centre = centre is not None and unit.district_id == centre.district_id
        if holds(membership, Role.DISTRICT_STAFF) and at_centre:
            return True
        if membership.role in SECTION_ROLES and unit.pk == section.pk:
            return True
    return False


def _partner_units(user: User) -> list:
    return [m.unit for m in memberships(user)
            if m.role == Role.PARTNER_STAFF and m.unit is not None]


def _partner_books_for(user: User, section: Section, centre: DistrictCentre | None, *,
                       takes_part: bool) -> bool:
    for unit in _partner_units(user):
        if centre is not None:
            if unit.district_id is not None and unit.district_id == centre.district_id:
                return True
        elif unit.pk == section.pk or takes_part:
            return True
    return False


def _made_by_partner_unit(user: User, booking: Booking) -> bool:
    units = [unit.pk for unit in _partner_units(user)]
    if not units:
        return False
    if booking.section_id in units:
        return True
    return (Membership.objects.current().filter(user_id=booking.created_by_id, unit_id__in=units)
            .exists())


def _takes_part(user: User, booking: Booking) -> bool:
    return booking.participants.filter(user=user).exists()


def may_book(user: User, *, section: Section, centre: DistrictCentre | None,
             takes_part: bool = False) -> bool:
    """``takes_part``: the booker is one of the booking's staff participants."""
    if not has_role_for(user, Action.BOOKING_CREATE):
        return False
    return (_staff_books_for(user, section, centre)
            or _partner_books_for(user, section, centre, takes_part=takes_part))


@dataclass(frozen=True)
class BookingPlace:
    """What ``Action.BOOKING_CREATE`` is asked about: a booking not made yet, for
    ``section`` at ``centre`` (None: remote, no centre); ``takes_part``: the booker is one
    of its staff participants."""
    section: Section
    centre: DistrictCentre | None
    takes_part: bool = False


def may_book_place(user: User, place: BookingPlace) -> bool:
    return may_book(user, section=place.section, centre=place.centre,
                    takes_part=place.takes_part)


def _acts_on(user: User, booking: Booking) -> bool:
    return (booking.created_by_id == user.pk
            or _staff_books_for(user, booking.section, booking.centre)
            or _made_by_partner_unit(user, booking)
            or (bool(_partner_units(user)) and _takes_part(user, booking)))


def may_view(user: User, booking: Booking) -> bool:
    if not has_role_for(user, Action.BOOKING_VIEW):
        return False
    return _acts_on(user, booking) or _takes_part(user, booking)


def may_cancel(user: User, booking: Booking) -> bool:
    if not has_role_for(user, Action.BOOKING_CANCEL):
        return False
    return _acts_on(user, booking)


def register() -> None:
    """The record rules of the booking actions (called from ``apps.ready``)."""
    register_rule(Action.BOOKING_CREATE, may_book_place)
    register_rule(Action.BOOKING_VIEW, may_view)
    register_rule(Action.BOOKING_CANCEL, may_cancel)
