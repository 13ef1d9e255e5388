"""Writes of the video rooms (ADR 0034: one module per feature): ``rooms`` (the lobby, the
call and its end), ``links`` (a booking's room and its one-time links, for staff, residents
and guests) and ``recording`` (consents, start, pieces, stop, deletion,
the retention sweep). The rooms' and links' names are re-exported here, so that
``from madoguchi.meetings import services`` reads as before."""

from madoguchi.meetings.services.links import (
    DEVICE_BYTES,
    SESSION_DEVICES,
    TOKEN_BYTES,
    access_for_session,
    access_issue,
    access_issue_for_guest,
    access_issue_for_resident,
    access_open,
    access_revoke,
    access_withdraw,
    call_over,
    room_for_booking,
)
from madoguchi.meetings.services.rooms import (
    ATTENDANCE_TTL,
    CLOSED_STATES,
    SEEN_EVERY,
    StaffEntry,
    attendance_admit,
    attendance_join,
    attendance_leave,
    attendance_refuse,
    attendance_remove,
    attendance_seen,
    call_and_lobby,
    expire_silent,
    label,
    peers_in_call,
    room_end,
    staff_entry,
    waiting,
)

__all__ = [
    "ATTENDANCE_TTL", "CLOSED_STATES", "DEVICE_BYTES", "SEEN_EVERY", "SESSION_DEVICES",
    "StaffEntry", "TOKEN_BYTES", "access_for_session", "access_issue",
    "access_issue_for_guest", "access_issue_for_resident", "access_open",
    "access_revoke", "access_withdraw", "attendance_admit", "attendance_join", "attendance_leave",
    "attendance_refuse", "attendance_remove", "attendance_seen", "call_and_lobby", "call_over",
    "expire_silent", "label", "peers_in_call", "room_end", "room_for_booking", "staff_entry",
    "waiting",
]
