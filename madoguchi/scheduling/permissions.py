"""Record-level booking rules on top of the policy's role × action table.

Who may book: district-centre staff of the centre, partner staff (あんしんすこやかセンター,
社会福祉協議会, specialist agencies: stage 2 meetings are often theirs to arrange), and
staff of the booked section. Who may see a booking: the same, plus its creator
and its staff participants. Who may cancel or move it: those who may book it, and its
creator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from madoguchi.accounts.models import Role
from madoguchi.accounts.policy import Action, has_role_for, memberships

if TYPE_CHECKING:
    from madoguchi.accounts.models import User
    from madoguchi.organisation.models import DistrictCentre, Section
    from madoguchi.scheduling.models import Booking

SECTION_ROLES = {Role.SECTION_STAFF, Role.SECTION_MANAGER}


def _books_for(user: User, section: Section, centre: DistrictCentre | None) -> bool:
    for membership in memberships(user):
        unit = membership.unit
        if unit is None:
            continue
        at_centre = centre is not None and unit.district_id == centre.district_id
        if membership.role == Role.DISTRICT_STAFF and at_centre:
            return True
        if membership.role == Role.PARTNER_STAFF:
            return True
        if membership.role in SECTION_ROLES and unit.pk == section.pk:
            return True
    return False


def may_book(user: User, *, section: Section, centre: DistrictCentre | None) -> bool:
    return has_role_for(user, Action.BOOKING_CREATE) and _books_for(user, section, centre)


def may_view(user: User, booking: Booking) -> bool:
    if not has_role_for(user, Action.BOOKING_VIEW):
        return False
    if booking.created_by_id == user.pk or _books_for(user, booking.section, booking.centre):
        return True
    return booking.participants.filter(user=user).exists()


def may_cancel(user: User, booking: Booking) -> bool:
    if not has_role_for(user, Action.BOOKING_CANCEL):
        return False
    return booking.created_by_id == user.pk or _books_for(user, booking.section, booking.centre)
