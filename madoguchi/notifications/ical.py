"""Calendar attachments (RFC 5545 / iTIP RFC 5546) built with ``icalendar``.

One event per booking *chain*: a rescheduled booking keeps the UID of the booking it
replaced and raises SEQUENCE, so that calendar programs move the event instead of adding
a second one; a cancellation is METHOD:CANCEL with the same UID and a higher SEQUENCE.
Times are written with TZID=Asia/Tokyo and a VTIMEZONE. The event carries no personal data
of other participants: the only ATTENDEE is the recipient.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText

TOKYO = ZoneInfo("Asia/Tokyo")
PRODID = "-//Setagaya City//madoguchi//JA"


class Method(StrEnum):
    REQUEST = "REQUEST"
    CANCEL = "CANCEL"


@dataclass(frozen=True)
class EventData:
    uid: str
    sequence: int
    start: dt.datetime
    end: dt.datetime
    summary: str
    location: str
    description: str
    organizer_email: str
    organizer_name: str
    attendee_email: str
    cancelled: bool = False


def build_ics(event: EventData, *, method: Method) -> bytes:
    """The .ics file for one recipient."""
    if event.start.tzinfo is None or event.end.tzinfo is None:
        raise ValueError("event times must be aware datetimes")
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", str(method))

    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", dt.datetime.now(dt.UTC))
    vevent.add("dtstart", event.start.astimezone(TOKYO))
    vevent.add("dtend", event.end.astimezone(TOKYO))
    vevent.add("summary", event.summary)
    if event.location:
        vevent.add("location", event.location)
    if event.description:
        vevent.add("description", event.description)
    vevent.add("status", "CANCELLED" if event.cancelled or method == Method.CANCEL
               else "CONFIRMED")
    vevent.add("transp", "OPAQUE")

    organizer = vCalAddress(f"mailto:{event.organizer_email}")
    organizer.params["cn"] = vText(event.organizer_name)
    vevent["organizer"] = organizer
    attendee = vCalAddress(f"mailto:{event.attendee_email}")
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("NEEDS-ACTION")
    attendee.params["rsvp"] = vText("FALSE")
    vevent.add("attendee", attendee, encode=0)

    cal.add_component(vevent)
    cal.add_missing_timezones()
    return cal.to_ical()
