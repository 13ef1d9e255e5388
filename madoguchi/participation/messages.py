"""The registration mails (ADR 0030): confirmation (or waitlist / lottery application)
with the personal cancel link and an .ics of the sessions; the move up from the waitlist;
the lottery's result; a change of time or place. The cancel link is a credential: it goes
to ``notify`` as a secret, never into the task's arguments in clear."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.core.dates import day_text
from madoguchi.notifications.ical import TOKYO
from madoguchi.notifications.notify import (
    About,
    Attachment,
    Letter,
    Recipient,
    Skip,
    notify,
    register,
)

REGISTERED = "participation_registered"
PROMOTED = "participation_promoted"
DRAWN = "participation_drawn"
CHANGED = "participation_changed"


def sessions(event) -> list[str]:
    from madoguchi.participation.models import Occurrence

    lines = []
    for occurrence in event.occurrences.all():
        start = timezone.localtime(occurrence.start, TOKYO)
        end = timezone.localtime(occurrence.end, TOKYO)
        text = f"{day_text(start, weekday=True)} {start:%H:%M}〜{end:%H:%M}"
        if occurrence.state != Occurrence.State.HELD:
            text += _("（%(reason)sのため休み）") % {"reason": _(occurrence.reason)}
        lines.append(text)
    return lines


def _letters(about: About, secret: str | None) -> Iterator[Letter]:
    from madoguchi.participation.ical import event_calendar, location
    from madoguchi.participation.models import Registration, RegStatus

    registration = (Registration.objects.select_related("event__centre", "event__kind")
                    .filter(pk=int(about["registration"])).first())
    if registration is None or registration.erased_at is not None:
        raise Skip("gone")
    if not registration.email:
        raise Skip("no address")
    if about.get("needs_live") and registration.status == RegStatus.CANCELLED:
        raise Skip("cancelled")
    event = registration.event
    attachments: tuple[Attachment, ...] = ()
    if registration.status == RegStatus.CONFIRMED:
        attachments = (Attachment(filename="event.ics", subtype="calendar",
                                  content=event_calendar(event).decode(),
                                  params=(("method", "PUBLISH"),)),)
    yield Letter(recipient=Recipient(address=registration.email, name=registration.name),
                 context={"registration": registration, "event": event,
                          "sessions": sessions(event), "where": location(event),
                          "cancel_url": secret or "", "status": registration.status},
                 part=f"{registration.pk}-{registration.status}",
                 attachments=attachments)


def register_kinds() -> None:
    for kind in (REGISTERED, PROMOTED, DRAWN, CHANGED):
        register(kind, _letters)


def registered(*, registration_id: int, cancel_url: str) -> None:
    notify(REGISTERED, about={"registration": registration_id}, secret=cancel_url)


def promoted(*, registration_id: int, cancel_url: str) -> None:
    notify(PROMOTED, about={"registration": registration_id, "needs_live": 1}, secret=cancel_url)


def drawn(*, registration_id: int, cancel_url: str) -> None:
    notify(DRAWN, about={"registration": registration_id, "needs_live": 1}, secret=cancel_url)


def changed(*, registration_id: int) -> None:
    notify(CHANGED, about={"registration": registration_id, "needs_live": 1})
