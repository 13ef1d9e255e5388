"""The e-mail that carries a participant's one-time link to a video consultation (ADR 0030).

The link is a credential: the room keeps only its hash, and no log line, task argument or
task result may hold it in clear. The request that issues it gives it to ``notify`` as a
secret (sealed for the queue); the worker opens it only to compose the message, after
checking that the link was not revoked and has not expired since. Japanese, or English for
a participant whose language is English.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from django.utils import timezone

from madoguchi.core.dates import wareki
from madoguchi.meetings.models import RoomAccess
from madoguchi.notifications.ical import TOKYO
from madoguchi.notifications.notify import About, Letter, Skip, notify, register
from madoguchi.scheduling.messages import (
    contact_line,
    contact_phone,
    invitee,
    section_label,
    when,
    when_en,
)

logger = logging.getLogger("madoguchi.meetings")

ROOM_LINK = "room_link"


def _room_link_letters(about: About, secret: str | None) -> Iterator[Letter]:
    link = (RoomAccess.objects
            .select_related("room__booking__section", "room__booking__centre__district__region",
                            "participant__user", "participant__resident")
            .filter(pk=int(about["access"])).first())
    if link is None:
        raise Skip("gone")
    if not link.is_usable():
        raise Skip("revoked or expired")
    found = invitee(link.participant)
    if found is None:
        raise Skip("no address")
    booking = link.room.booking
    start = timezone.localtime(booking.start, TOKYO)
    expires = timezone.localtime(link.expires_at, TOKYO)
    yield Letter(recipient=found.recipient, context={
        "url": secret, "section_label": section_label(booking.section),
        "subject_when": f"{wareki(start, weekday=True)} {start:%H:%M}",
        "subject_day_en": f"{start:%-d %b %Y}",
        "when": when(booking.start, booking.end), "when_en": when_en(booking.start, booking.end),
        "expires": f"{wareki(expires, weekday=True)} {expires:%H:%M}",
        "expires_en": f"{expires:%H:%M} on {expires:%a %-d %b %Y} (Japan time)",
        "contact": contact_line(booking), "contact_phone": contact_phone(booking)[1],
    })


def register_kinds() -> None:
    """MeetingsConfig.ready."""
    register(ROOM_LINK, _room_link_letters)


def room_link_notice(*, access_id: int, url: str) -> None:
    """Mail the one-time link ``url`` (of RoomAccess ``access_id``) to its participant once
    the caller's transaction commits."""
    notify(ROOM_LINK, about={"access": access_id}, secret=url)
    logger.info("room link %s: mail queued on commit", access_id)
