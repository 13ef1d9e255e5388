"""Record-level rules of the video rooms (ADR 0032, 0034): ``rooms`` (who hosts, enters,
manages a kiosk) and ``recording`` (who sets up, views, deletes call recordings).
``register`` registers both with the policy."""

from madoguchi.meetings.access import recording, rooms
from madoguchi.meetings.access.rooms import (
    enterable_booking_ids,
    is_host,
    may_enter,
    may_manage_kiosk,
    register_host_rule,
    staff_participant,
    unregister_host_rule,
)

__all__ = ["enterable_booking_ids", "is_host", "may_enter", "may_manage_kiosk", "register",
           "register_host_rule", "staff_participant", "unregister_host_rule"]


def register() -> None:
    rooms.register()  # the record rules of rooms and kiosks
    recording.register()  # and of call recordings
