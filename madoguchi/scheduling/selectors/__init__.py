"""Reads of the scheduling context, one module per feature (ADR 0034), re-exported here:
``slots`` (slot search, one start checked), ``bookings`` (one booking a user may see; an
owning app's busy times), ``boards`` (the centre's day, a section's week, one's agenda)."""

from madoguchi.scheduling.selectors.boards import (
    AGENDA_LIMIT,
    Agenda,
    BookingRow,
    BoothDay,
    CalendarDay,
    DayBoard,
    Person,
    RoomEntry,
    agenda,
    board_centre,
    calendar_section,
    calendar_sections,
    day_board,
    local_day_bounds,
    own_centres,
    room_entry_register,
    section_week,
    week_start,
)
from madoguchi.scheduling.selectors.bookings import (
    RECORD,
    booking_for,
    booking_shown,
    participants_of,
    resource_busy,
)
from madoguchi.scheduling.selectors.slots import (
    HORIZON_DAYS,
    Slot,
    SlotSpec,
    StartCheck,
    calendars_for,
    check_start,
    find_slots,
    search,
    slot_spec,
    unique_users,
)

__all__ = [
    "AGENDA_LIMIT", "HORIZON_DAYS", "RECORD", "Agenda", "BookingRow", "BoothDay",
    "CalendarDay", "DayBoard", "Person", "RoomEntry", "Slot", "SlotSpec", "StartCheck",
    "agenda", "board_centre", "booking_for", "booking_shown", "calendar_section",
    "calendar_sections", "calendars_for",
    "check_start", "day_board", "find_slots", "local_day_bounds", "own_centres",
    "participants_of", "resource_busy", "room_entry_register", "search", "section_week",
    "slot_spec", "unique_users", "week_start",
]
