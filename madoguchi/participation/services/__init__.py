"""Writes of the participation context (issue 15 items 1 and 2), one module per feature
(ADR 0034), re-exported here: ``events`` (events, their sessions and room, the workflow),
``registrations`` (capacity, waitlist, the cancel link, attendance), ``lottery``,
``retention`` (erasure); ``_common`` holds the shared pieces.

Capacity is kept on the event row (``confirmed_people``, ``next_position``), changed only
while that row is locked (``SELECT … FOR UPDATE``): concurrent registrations for the last
places queue on the lock and each sees the count the one before it left, so no more people
are confirmed than the capacity and the waitlist keeps the order of arrival.
"""

from madoguchi.participation.services._common import ParticipationError
from madoguchi.participation.services.events import (
    PLACE_FIELDS,
    TOLD_OF,
    event_create,
    event_move,
    event_update,
)
from madoguchi.participation.services.lottery import (
    DrawResult,
    draw,
    draw_due,
    draw_order,
    redraw_check,
)
from madoguchi.participation.services.registrations import (
    MAX_PEOPLE,
    Registered,
    cancel,
    contact_key,
    mark_attended,
    register,
    registration_by_secret,
)
from madoguchi.participation.services.retention import erase_expired

__all__ = [
    "MAX_PEOPLE", "PLACE_FIELDS", "TOLD_OF", "DrawResult", "ParticipationError", "Registered",
    "cancel", "contact_key", "draw", "draw_due", "draw_order", "erase_expired", "event_create",
    "event_move", "event_update", "mark_attended", "redraw_check", "register",
    "registration_by_secret",
]
