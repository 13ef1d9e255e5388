"""The registration mails (ADR 0030): confirmation (or waitlist / lottery application)
with the personal cancel link and an .ics of the sessions; the move up from the waitlist;
the lottery's result. The cancel link is a credential: it goes to ``notify`` as a secret,
never into the task's arguments in clear. A change of time or place is a notice, not a
confirmation: it goes into the registrant's daily digest (ADR 0054). Every mail carries
the link that stops the digest."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.core.dates import day_text
from madoguchi.core.tokens import digest
from madoguchi.notifications import digest as mail_digest
from madoguchi.notifications.ical import TOKYO
from madoguchi.notifications.notify import (
    DIGEST,
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

    registration = (Registration.objects
                    .select_related("event__centre", "event__kind", "event__room")
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


def _drawn_letters(about: About, secret: str | None) -> Iterator[Letter]:
    """The lottery's result to every applicant of one draw, each with a new personal cancel
    link: made here, its digest stored by the letter's claim just before the send."""
    from madoguchi.participation.ical import event_calendar, location
    from madoguchi.participation.models import Event, Registration, RegStatus

    event = Event.objects.select_related("centre", "room").filter(pk=int(about["event"])).first()
    if event is None or event.drawn_at is None:
        raise Skip("gone")
    calendar = (Attachment(filename="event.ics", subtype="calendar",
                           content=event_calendar(event).decode(),
                           params=(("method", "PUBLISH"),)),)
    common = {"event": event, "sessions": sessions(event), "where": location(event)}
    rows = (Registration.objects.filter(event=event, draw_rank__isnull=False,
                                        erased_at__isnull=True,
                                        status__in=(RegStatus.CONFIRMED, RegStatus.WAITLISTED))
            .exclude(email="").order_by("draw_rank"))
    for row in rows.iterator(chunk_size=500):
        new_secret = secrets.token_urlsafe(24)
        stored = digest(new_secret)

        def claim(pk=row.pk, status=row.status, value=stored) -> int:
            return Registration.objects.filter(pk=pk, status=status).update(cancel_digest=value)

        yield Letter(recipient=Recipient(address=row.email, name=row.name),
                     context={**common, "registration": row, "status": row.status,
                              "cancel_url": f"{about['base']}{new_secret}/"},
                     part=f"{row.pk}-{row.status}", claim=claim,
                     attachments=calendar if row.status == RegStatus.CONFIRMED else ())


def _changed_line(about: About) -> str:
    """The change of time or place in the registrant's digest, as it stands now."""
    from madoguchi.participation.ical import location
    from madoguchi.participation.models import Registration, RegStatus

    registration = (Registration.objects.select_related("event__centre", "event__room")
                    .filter(pk=int(about["registration"])).first())
    if (registration is None or registration.erased_at is not None
            or registration.status == RegStatus.CANCELLED):
        raise Skip("gone")
    event = registration.event
    return mail_digest.line("notifications/participation_changed/digest.txt",
                       {"event": event, "sessions": sessions(event), "where": location(event)})


def register_kinds() -> None:
    for kind in (REGISTERED, PROMOTED, CHANGED):
        register(kind, _letters, unsubscribe=DIGEST)
    register(DRAWN, _drawn_letters, unsubscribe=DIGEST)
    mail_digest.register_item(CHANGED, _changed_line)


def registered(*, registration_id: int, cancel_url: str) -> None:
    notify(REGISTERED, about={"registration": registration_id}, secret=cancel_url)


def promoted(*, registration_id: int, cancel_url: str) -> None:
    notify(PROMOTED, about={"registration": registration_id, "needs_live": 1}, secret=cancel_url)


def drawn(*, event_id: int, link_base: str) -> None:
    """One notification for the whole draw: the worker writes to each applicant."""
    notify(DRAWN, about={"event": event_id, "base": link_base})


def changed(*, registration_id: int, address: str) -> None:
    """Into the registrant's next digest (ADR 0054), not a mail of its own."""
    mail_digest.collect(CHANGED, address=address, about={"registration": registration_id})
