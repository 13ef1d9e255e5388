"""Who may share and receive files in a call: anyone admitted to it.

Staff enter with their login (hosts are always in the call; other staff once admitted);
residents and outside participants with the one-time link their browser is bound to, once
admitted. The files themselves go into the consultation record through
madoguchi/consultations/documents.py; participants with a link see only the files shared
in this call, never the rest of the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from madoguchi.accounts.policy import Action, can
from madoguchi.meetings import errors, services
from madoguchi.meetings.models import Attendance, AttendanceState

if TYPE_CHECKING:
    from madoguchi.accounts.models import User
    from madoguchi.meetings.models import Room, RoomAccess


@dataclass(frozen=True)
class Sharer:
    user: User | None  # a staff login
    link: RoomAccess | None  # or the one-time link of this browser
    admitted: bool  # in the call now
    attended: bool = False  # a link holder who was in the call, now over

    @property
    def receives(self) -> bool:
        """May see and download the files shared in the call: those in it, and the
        residents and guests who were in it, after it, for as long as their link lasts
        (staff find them in the consultation record)."""
        return self.admitted or self.attended

    @property
    def participant_kind(self) -> str:
        return self.link.participant.kind if self.link is not None else ""


def sharer_for(*, room: Room, user, devices: dict[str, str]) -> Sharer:
    """The person behind a request: its staff login if it may enter the room, else the
    link its session is bound to. Raises MeetingRefused (not a participant, link expired,
    revoked, call ended)."""
    in_call = Attendance.objects.filter(room=room, state=AttendanceState.ADMITTED)
    open_room = not services.call_over(room)
    if getattr(user, "is_authenticated", False) and can(user, Action.MEETING_JOIN, room.booking):
        admitted = open_room and (can(user, Action.MEETING_HOST, room.booking)
                                  or in_call.filter(user=user).exists())
        return Sharer(user=user, link=None, admitted=admitted)
    link = services.access_for_session(room=room, devices=devices, after_call=True)
    if open_room:
        admitted = in_call.filter(participant=link.participant, user__isnull=True).exists()
        return Sharer(user=None, link=link, admitted=admitted)
    attended = Attendance.objects.filter(room=room, participant=link.participant,
                                         user__isnull=True, admitted_at__isnull=False).exists()
    if not attended:
        raise errors.MeetingRefused("room_ended", errors.ROOM_ENDED, 410)
    return Sharer(user=None, link=link, admitted=False, attended=True)
