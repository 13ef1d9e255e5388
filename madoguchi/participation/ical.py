"""Calendar files of events (icalendar): one VEVENT per session held, for the
confirmation mail and for the public ICS feeds per district and per kind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as VEvent

from madoguchi.notifications.ical import PRODID, TOKYO
from madoguchi.participation.models import Event, Occurrence


def location(event: Event) -> str:
    parts = [event.place_name
             or (event.centre.name if event.centre_id and event.centre else "")]
    if event.online_url:
        parts.append(_("オンライン %(url)s") % {"url": event.online_url})
    if event.video_room:
        parts.append(_("オンライン（区のビデオ会議室。参加用のリンクはメールでお送りします）"))
    return " / ".join(part for part in parts if part)


def calendar(items: Iterable[tuple[Event, Occurrence]], *, name: str = "") -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if name:
        cal.add("x-wr-calname", name)
    stamp = dt.datetime.now(dt.UTC)
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "madoguchi"
    for event, occurrence in items:
        vevent = VEvent()
        vevent.add("uid", f"{event.public_id}-{occurrence.number}@{domain}")
        vevent.add("dtstamp", stamp)
        vevent.add("dtstart", occurrence.start.astimezone(TOKYO))
        vevent.add("dtend", occurrence.end.astimezone(TOKYO))
        vevent.add("summary", event.title)
        where = location(event)
        if where:
            vevent.add("location", where)
        vevent.add("description", event.description_easy or event.description)
        vevent.add("status", "CANCELLED" if event.status == "cancelled" else "CONFIRMED")
        cal.add_component(vevent)
    cal.add_missing_timezones()
    return cal.to_ical()


def event_calendar(event: Event) -> bytes:
    held = event.occurrences.filter(state=Occurrence.State.HELD)
    return calendar(((event, occurrence) for occurrence in held), name=event.title)
