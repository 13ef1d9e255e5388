"""The confirmation a resident gets for a consultation they booked themself (ADR 0049):
made, moved or cancelled, with the .ics of scheduling's booking letters (the same event
UID, so a calendar updates one event) and, while the booking stands, the one-time link to
the video call (booked from home) and the link to move or cancel it. The links are
credentials: they travel to the worker sealed (``notify``'s secret), never stored in
clear. Written to the address the resident gave on the booking form."""

from __future__ import annotations

import json
from collections.abc import Iterator

from madoguchi.notifications.notify import About, Letter, Recipient, Skip, notify, register
from madoguchi.scheduling import messages as booking_letters
from madoguchi.scheduling.models import ParticipantKind
from madoguchi.selfbook.models import SelfBooking

CONFIRMATION = "selfbook_confirmation"
KINDS = {"created": booking_letters.Kind.INVITATION,
         "rescheduled": booking_letters.Kind.CHANGE,
         "cancelled": booking_letters.Kind.CANCELLATION}


def _letters(about: About, secret: str | None) -> Iterator[Letter]:
    row = (SelfBooking.objects
           .select_related("consultation__booking__section",
                           "consultation__booking__centre__district__region",
                           "consultation__booking__booth",
                           "consultation__booking__rescheduled_from")
           .filter(pk=int(about["row"])).first())
    if row is None or row.consultation.booking is None:
        raise Skip("gone")
    booking = row.consultation.booking
    change = str(about["change"])
    if change != "cancelled" and booking_letters.is_superseded(booking):
        raise Skip("moved again since")
    invitee = booking_letters.Invitee(
        participant_id=0, kind=ParticipantKind.RESIDENT, remote=booking.booth_id is None,
        recipient=Recipient(address=row.email, language=str(about.get("lang") or "ja")))
    letter = booking_letters.letter(booking=booking, invitee=invitee, kind=KINDS[change],
                                    part=f"{row.pk}-{booking.pk}-{change}")
    links = json.loads(secret) if secret else {}
    letter.context |= {"change": change, "room_url": links.get("room", ""),
                       "manage_url": links.get("manage", ""),
                       "topic": row.consultation.get_category_display()}
    yield letter


def register_kinds() -> None:
    """SelfbookConfig.ready."""
    register(CONFIRMATION, _letters)


def confirmation_notice(*, row_id: int, change: str, secret: str | None,
                        lang: str = "ja") -> None:
    """Mail the confirmation of ``change`` once the caller's transaction commits."""
    notify(CONFIRMATION, about={"row": row_id, "change": change, "lang": lang}, secret=secret)
