"""What happens in a room, written to the consultation's timeline.

The one place meetings reaches into consultations' timeline: each join, admit, refuse,
remove, leave and end (and a recording's start, stop and deletion) is appended through
consultations' public service
``consultation_meeting_event`` (a no-op when the booking belongs to no consultation), in the
caller's transaction. The event names the staff member who acted, or no one when a resident
or an outside participant acted through a one-time link; and the kind of the participant
concerned (never a name: timeline entries carry no personal data).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from madoguchi.consultations.models import ConsultationEvent
from madoguchi.consultations.services import consultation_meeting_event

if TYPE_CHECKING:
    from madoguchi.accounts.models import User
    from madoguchi.meetings.models import Attendance, Room

Kind = ConsultationEvent.Kind
JOIN = Kind.MEETING_JOIN
ADMIT = Kind.MEETING_ADMIT
REFUSE = Kind.MEETING_REFUSE
REMOVE = Kind.MEETING_REMOVE
LEAVE = Kind.MEETING_LEAVE
END = Kind.MEETING_END
CONSENT = Kind.MEETING_CONSENT  # the resident consented on the booth's tablet
RECORD_START = Kind.MEETING_RECORD_START
RECORD_STOP = Kind.MEETING_RECORD_STOP
RECORD_DELETE = Kind.MEETING_RECORD_DELETE


def record(room: Room, *, kind: str, by: User | None, attendance: Attendance | None = None
           ) -> int:
    """Append ``kind`` to the timeline of the consultation on the room's booking.

    ``by`` is the staff login that acted (None for a participant with a one-time link);
    ``attendance`` is the connection concerned. Returns the number of events appended.
    """
    participant_kind = None
    # The kind of participant concerned, unless it is the acting staff member themself.
    if attendance is not None and attendance.participant_id is not None and (
            by is None or attendance.user_id != by.pk):
        participant_kind = attendance.participant.kind
    return len(consultation_meeting_event(booking_id=room.booking_id, kind=kind, actor=by,
                                          participant_kind=participant_kind))


def record_kiosk_consent(room: Room) -> int:
    """The resident consented to the call on the booth's tablet (no staff actor)."""
    from madoguchi.scheduling.models import ParticipantKind

    return len(consultation_meeting_event(booking_id=room.booking_id, kind=CONSENT, actor=None,
                                          participant_kind=ParticipantKind.RESIDENT))


def record_recording(room: Room, *, kind: str, by: User | None,
                     participant_kind: str | None = None) -> int:
    """A recording started, stopped or was deleted: ``by`` the staff member who acted, or
    (a stop without one) the kind of the resident or guest whose entry or answer stopped
    it."""
    return len(consultation_meeting_event(booking_id=room.booking_id, kind=kind, actor=by,
                                          participant_kind=None if by else participant_kind))
