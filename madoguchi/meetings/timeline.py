"""What happens in a room, published as events of the room's booking (ADR 0031).

Meetings owns its ten event kinds and declares them in the event registry
(madoguchi/core/events.py); each join, admit, refuse, remove, leave and end (a resident's
consent on the booth's tablet, and a recording's start, stop and deletion) is published as
a ``BookingEvent`` in the caller's transaction. Whoever keeps a record on the booking
subscribes (the consultation's timeline: madoguchi/consultations/timeline.py); meetings
does not know who. The event names the staff member who acted, or no one when a resident or
an outside participant acted through a one-time link; and the kind of the participant
concerned (never a name: timeline entries carry no personal data).

The codes are stored as they are by subscribers: never change one (ADR 0031).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from madoguchi.core import events
from madoguchi.core.events import BookingEvent
from madoguchi.scheduling.models import ParticipantKind

if TYPE_CHECKING:
    from madoguchi.accounts.models import User
    from madoguchi.meetings.models import Attendance, Room

OWNER = "meetings"


def _declare(code: str, label) -> str:
    return events.declare(owner=OWNER, code=code, label=label, payload=BookingEvent)


JOIN = _declare("meeting_join", _("ビデオ通話に参加"))
ADMIT = _declare("meeting_admit", _("入室を許可"))
REFUSE = _declare("meeting_refuse", _("入室を断った"))
REMOVE = _declare("meeting_remove", _("退出させた"))
LEAVE = _declare("meeting_leave", _("退出"))
END = _declare("meeting_end", _("通話を終了"))
CONSENT = _declare("meeting_consent", _("ブース端末でビデオ通話に同意"))  # on the booth's tablet
RECORD_START = _declare("meeting_rec_on", _("録画を開始"))
RECORD_STOP = _declare("meeting_rec_off", _("録画を停止"))
RECORD_DELETE = _declare("meeting_rec_del", _("録画を削除"))


def _publish(room: Room, *, kind: str, by: User | None, participant_kind: str | None) -> None:
    events.publish(BookingEvent(kind=kind, booking_id=room.booking_id, actor=by,
                                participant_kind=participant_kind or ""))


def record(room: Room, *, kind: str, by: User | None, attendance: Attendance | None = None
           ) -> None:
    """Publish ``kind`` for the room's booking.

    ``by`` is the staff login that acted (None for a participant with a one-time link);
    ``attendance`` is the connection concerned.
    """
    participant_kind = None
    # The kind of participant concerned, unless it is the acting staff member themself.
    if attendance is not None and attendance.participant_id is not None and (
            by is None or attendance.user_id != by.pk):
        participant_kind = attendance.participant.kind
    _publish(room, kind=kind, by=by, participant_kind=participant_kind)


def record_kiosk_consent(room: Room) -> None:
    """The resident consented to the call on the booth's tablet (no staff actor)."""
    _publish(room, kind=CONSENT, by=None, participant_kind=ParticipantKind.RESIDENT)


def record_recording(room: Room, *, kind: str, by: User | None,
                     participant_kind: str | None = None) -> None:
    """A recording started, stopped or was deleted: ``by`` the staff member who acted, or
    (a stop without one) the kind of the resident or guest whose entry or answer stopped
    it."""
    _publish(room, kind=kind, by=by, participant_kind=None if by else participant_kind)
