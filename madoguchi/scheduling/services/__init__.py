"""Writes of the scheduling context: resources and bookings (create, reschedule, cancel),
one module per feature (ADR 0034), re-exported here: ``bookings`` (a section's staff,
booths and people), ``resources`` (the resource of a registered kind; one resource held for
a given time), ``_write`` (the transaction), ``_checks`` (the request's faults and the
messages), ``_common`` (the shared pieces).

Each booking write validates first (read-only, Japanese messages) and finds the slot's
resources, then inserts the booking and its allocations in one transaction:

- On PostgreSQL optimistically: the exclusion constraint on allocations refuses an
  overlap, and a refused attempt looks again (another free booth or person of the pools,
  from what the winner committed) or reports the slot as taken. Writers of the same
  resources queue on advisory locks (the chosen resources only, ADR 0063) so that two
  of them never wait for each other in the exclusion check.
- On SQLite the IMMEDIATE write transaction serialises writers; the slot is checked again
  inside it before the insert.

Participants are told after commit, through the notifier (scheduling.messages).
"""

from madoguchi.scheduling.services._common import DEADLOCK_RETRIES, REASON_MAX, Guest, display
from madoguchi.scheduling.services.bookings import (
    booking_cancel,
    booking_cancel_for_resident,
    booking_create,
    booking_create_for_resident,
    booking_finish,
    booking_reschedule,
    booking_reschedule_for_resident,
)
from madoguchi.scheduling.services.resources import (
    guest_add,
    resource_book,
    resource_for,
    resource_for_booth,
    resource_for_user,
    resource_release,
)

__all__ = [
    "DEADLOCK_RETRIES", "REASON_MAX", "Guest", "booking_cancel", "booking_cancel_for_resident",
    "booking_create", "booking_create_for_resident", "booking_finish", "booking_reschedule",
    "booking_reschedule_for_resident", "display", "guest_add", "resource_book", "resource_for",
    "resource_for_booth", "resource_for_user", "resource_release",
]
