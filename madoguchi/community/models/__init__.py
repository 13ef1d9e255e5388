"""Community activity support (issue 16): groups, rooms of centres, schools and 児童館,
their bookings, and equipment lent over the counter.

Rooms and equipment items are bookable kinds registered with scheduling (ADR 0029,
``community/resources.py``); a room booking holds a ``scheduling.Booking`` made through
``scheduling.services.resource_book``, so the exclusion constraint on allocations is what
keeps a room from being given twice (ADR 0040).

One module per feature (ADR 0034), every model re-exported here (the app label, the
migrations and ``from madoguchi.community.models import X`` do not change): ``groups``
(groups, contacts, login links), ``rooms`` (rooms, fees, openings, closures, bookings and
their history), ``lending`` (equipment, loans, reservations), ``requests`` (requests and
the monthly lottery), ``circulars`` (回覧板: households, circulars, receipts). Imported in
that order, the order the models were registered in as one module.
"""

# The modules' order is the order the models are registered in.
# isort: off
from madoguchi.community.models.groups import (
    Group,
    GroupContact,
    GroupKind,
    GroupLogin,
    GroupStatus,
)
from madoguchi.community.models.rooms import (
    DAYPART_TIMES,
    BookingEventKind,
    Daypart,
    DayType,
    FeeReduction,
    OpeningSlot,
    Room,
    RoomBooking,
    RoomBookingEvent,
    RoomClosure,
    VenueKind,
)
from madoguchi.community.models.lending import Condition, Item, ItemKind, Loan, Reservation
from madoguchi.community.models.requests import (
    BookingCycle,
    BookingRequest,
    LotteryRun,
    RequestStatus,
)
from madoguchi.community.models.circulars import (
    Circular,
    CircularAttachment,
    CircularAudience,
    CircularReceipt,
    Household,
)
# isort: on

__all__ = [
    "DAYPART_TIMES", "BookingCycle", "BookingEventKind", "BookingRequest", "Circular",
    "CircularAttachment", "CircularAudience", "CircularReceipt", "Condition", "DayType",
    "Daypart", "FeeReduction", "Group", "GroupContact", "GroupKind", "GroupLogin",
    "GroupStatus", "Household", "Item", "ItemKind", "Loan", "LotteryRun", "OpeningSlot",
    "RequestStatus", "Reservation", "Room", "RoomBooking", "RoomBookingEvent", "RoomClosure",
    "VenueKind",
]
