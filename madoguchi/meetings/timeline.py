"""What happens in a room, written to the consultation's timeline.

The one place meetings reaches into consultations' timeline: when the booking belongs to a
consultation, each join, admit, refuse, remove, leave and end is appended through
consultations' event service, in the caller's transaction. Notes name the participant's
kind and number only (no names: timeline notes carry no personal data).

The timeline's ``actor`` is a staff user: for what a resident or an outside participant does
(joining the lobby, leaving), it is the room's host staff member (the organiser), and the
note says who acted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from madoguchi.consultations import services as consultations
from madoguchi.consultations.models import Consultation
from madoguchi.scheduling.models import ParticipantKind

if TYPE_CHECKING:
    from madoguchi.accounts.models import User
    from madoguchi.meetings.models import Attendance, Room

JOIN = "meeting_join"
ADMIT = "meeting_admit"
REFUSE = "meeting_refuse"
REMOVE = "meeting_remove"
LEAVE = "meeting_leave"
END = "meeting_end"

NOTES = {
    JOIN: "ビデオ相談: {who}が入室を求めました",
    ADMIT: "ビデオ相談: {who}の入室を認めました",
    REFUSE: "ビデオ相談: {who}の入室を断りました",
    REMOVE: "ビデオ相談: {who}を退室させました",
    LEAVE: "ビデオ相談: {who}が退室しました",
    END: "ビデオ相談を終了しました",
}


def who(attendance: Attendance) -> str:
    participant = attendance.participant
    if attendance.is_host:
        return "担当課の職員"
    if participant is None:
        return "職員"
    label = {ParticipantKind.RESIDENT: "区民", ParticipantKind.STAFF: "職員",
             ParticipantKind.GUEST: "外部の参加者"}.get(participant.kind, "参加者")
    return f"{label}（参加者番号 {participant.pk}）"


def _host_actor(room: Room) -> User:
    booking = room.booking
    organiser = (booking.participants.filter(kind=ParticipantKind.STAFF, is_organiser=True)
                 .select_related("user").first()
                 or booking.participants.filter(kind=ParticipantKind.STAFF)
                 .select_related("user").first())
    return organiser.user if organiser else booking.created_by


def record(room: Room, *, kind: str, by: User | None, attendance: Attendance | None = None
           ) -> int:
    """Append ``kind`` to the timeline of every consultation on the room's booking."""
    consultation_list = list(Consultation.objects.filter(booking_id=room.booking_id))
    if not consultation_list:
        return 0
    actor = by if by is not None else _host_actor(room)
    note = NOTES[kind].format(who=who(attendance) if attendance is not None else "")
    for consultation in consultation_list:
        consultations._event(consultation, by=actor, kind=kind,  # noqa: SLF001
                             from_status=consultation.status, note=note,
                             booking=room.booking)
    return len(consultation_list)
