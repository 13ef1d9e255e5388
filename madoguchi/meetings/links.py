"""The way into a booking's video call, offered on the consultation's record page through
``consultations.bookings.register_booking_link`` (ADR 0031): consultations does not import
meetings; meetings registers this provider in ``MeetingsConfig.ready()``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from madoguchi.consultations.bookings import BookingLink, register_booking_link
from madoguchi.meetings.access import may_enter

if TYPE_CHECKING:
    from madoguchi.accounts.models import User
    from madoguchi.scheduling.models import Booking


def call_link(user: User, booking: Booking) -> BookingLink | None:
    """「ビデオ通話に入る」 for those who may enter the booking's room with their login."""
    if not may_enter(user, booking):
        return None
    return BookingLink(label=_("ビデオ通話に入る"),
                       url=reverse("meetings:booking_room",
                                   kwargs={"public_id": booking.public_id}))


def register() -> None:
    register_booking_link(call_link)
