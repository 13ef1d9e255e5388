"""The registration mails (ADR 0030): confirmation (or waitlist / lottery application)
with the personal cancel link and an .ics of the sessions; the move up from the waitlist;
the lottery's result. The cancel link is a credential: it goes to ``notify`` as a secret,
never into the task's arguments in clear. A change of time or place is a notice, not a
confirmation: it goes into the registrant's daily digest (ADR 0054). Every mail carries
the link that stops the digest. A confirmed registrant's mail carries the check-in pass
(ADR 0060); the day before a session the registrant gets a reminder with the .ics and a
new cancel link, and the subscribers of a district's news get a newly published event of
their district in their digest (ADR 0060). A registrant who registered in English gets
these in English (the kinds' ``_en`` templates, dates and place in English)."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from madoguchi.core.dates import day_text
from madoguchi.core.language import in_english
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
REMINDER = "participation_reminder"
NEW_EVENT = "participation_new_event"


def session_text(occurrence) -> str:
    start = timezone.localtime(occurrence.start, TOKYO)
    end = timezone.localtime(occurrence.end, TOKYO)
    dash = "–" if in_english() else "〜"
    return f"{day_text(start, weekday=True)} {start:%H:%M}{dash}{end:%H:%M}"


def sessions(event) -> list[str]:
    from madoguchi.participation.models import Occurrence

    lines = []
    for occurrence in event.occurrences.all():
        text = session_text(occurrence)
        if occurrence.state != Occurrence.State.HELD:
            text += _("（%(reason)sのため休み）") % {"reason": _(occurrence.reason)}
        lines.append(text)
    return lines


def _recipient(registration) -> Recipient:
    """The registrant, in the language they registered in (``en``: the English templates)."""
    return Recipient(address=registration.email, name=registration.name,
                     language=registration.language)


def _when_where(event, language: str) -> dict[str, object]:
    """The sessions and the place in the registrant's language (the worker renders in
    Japanese otherwise)."""
    from madoguchi.participation.ical import location

    with translation.override(language):
        return {"sessions": sessions(event), "where": location(event)}


def _pass(registration) -> str:
    """The check-in pass's URL for a confirmed registration (ADR 0060), else ""."""
    from madoguchi.participation import checkin
    from madoguchi.participation.models import RegStatus

    if registration.status != RegStatus.CONFIRMED:
        return ""
    return checkin.pass_url(checkin.issue(registration))


def _calendar(event) -> tuple[Attachment, ...]:
    from madoguchi.participation.ical import event_calendar

    return (Attachment(filename="event.ics", subtype="calendar",
                       content=event_calendar(event).decode(),
                       params=(("method", "PUBLISH"),)),)


def _secrets(cancel_url: str, room_url: str) -> str:
    """One secret for the notifier: the cancel link, and the video-room link if any."""
    return json.dumps({"cancel": cancel_url, "room": room_url}) if room_url else cancel_url


def _opened(secret: str | None) -> tuple[str, str]:
    """(cancel link, room link) from a secret of ``_secrets`` (or a plain cancel link)."""
    if secret and secret.startswith("{"):
        found = json.loads(secret)
        return found.get("cancel", ""), found.get("room", "")
    return secret or "", ""


def _letters(about: About, secret: str | None) -> Iterator[Letter]:
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
    confirmed = registration.status == RegStatus.CONFIRMED
    cancel_url, room_url = _opened(secret)
    yield Letter(recipient=_recipient(registration),
                 context={"registration": registration, "event": event,
                          **_when_where(event, registration.language),
                          "cancel_url": cancel_url, "status": registration.status,
                          "pass_url": _pass(registration),
                          "room_url": room_url if confirmed else ""},
                 part=f"{registration.pk}-{registration.status}",
                 attachments=_calendar(event) if confirmed else ())


def _drawn_letters(about: About, secret: str | None) -> Iterator[Letter]:
    """The lottery's result to every applicant of one draw, each with a new personal cancel
    link: made here, its digest stored by the letter's claim just before the send."""
    from madoguchi.participation.models import Event, Registration, RegStatus

    event = Event.objects.select_related("centre", "room").filter(pk=int(about["event"])).first()
    if event is None or event.drawn_at is None:
        raise Skip("gone")
    calendar = _calendar(event)
    common = {lang: {"event": event, **_when_where(event, lang)} for lang in ("ja", "en")}
    rows = (Registration.objects.filter(event=event, draw_rank__isnull=False,
                                        erased_at__isnull=True,
                                        status__in=(RegStatus.CONFIRMED, RegStatus.WAITLISTED))
            .exclude(email="").order_by("draw_rank"))
    for row in rows.iterator(chunk_size=500):
        new_secret = secrets.token_urlsafe(24)
        stored = digest(new_secret)

        def claim(pk=row.pk, status=row.status, value=stored) -> int:
            return Registration.objects.filter(pk=pk, status=status).update(cancel_digest=value)

        yield Letter(recipient=_recipient(row),
                     context={**common[row.language], "registration": row, "status": row.status,
                              "cancel_url": f"{about['base']}{new_secret}/",
                              "pass_url": _pass(row)},
                     part=f"{row.pk}-{row.status}", claim=claim,
                     attachments=calendar if row.status == RegStatus.CONFIRMED else ())


def _changed_line(about: About) -> str:
    """The change of time or place in the registrant's digest, as it stands now."""
    from madoguchi.participation.models import Registration, RegStatus

    registration = (Registration.objects.select_related("event__centre", "event__room")
                    .filter(pk=int(about["registration"])).first())
    if (registration is None or registration.erased_at is not None
            or registration.status == RegStatus.CANCELLED):
        raise Skip("gone")
    event = registration.event
    return mail_digest.line("notifications/participation_changed/digest.txt",
                            {"event": event, "english": registration.language == "en",
                             **_when_where(event, registration.language)})


def _reminder_letters(about: About, secret: str | None) -> Iterator[Letter]:
    """The reminder before one session (ADR 0060), to a registrant still confirmed then,
    with the .ics, the check-in pass and a new cancel link (its digest stored by the
    letter's claim: a registration cancelled meanwhile is not written to)."""
    from madoguchi.participation.models import Occurrence, Registration, RegStatus, Status

    registration = (Registration.objects.select_related("event__centre")
                    .filter(pk=int(about["registration"]), erased_at__isnull=True).first())
    if registration is None or not registration.email:
        raise Skip("gone")
    if registration.status != RegStatus.CONFIRMED:
        raise Skip("not confirmed")
    event = registration.event
    occurrence = event.occurrences.filter(pk=int(about["occurrence"])).first()
    if (event.status != Status.PUBLISHED or occurrence is None
            or occurrence.state != Occurrence.State.HELD or occurrence.start <= timezone.now()):
        raise Skip("not held")
    new_secret = secrets.token_urlsafe(24)
    stored = digest(new_secret)

    def claim(pk=registration.pk, value=stored) -> int:
        return Registration.objects.filter(pk=pk, status=RegStatus.CONFIRMED).update(
            cancel_digest=value)

    with translation.override(registration.language):
        session = session_text(occurrence)
    yield Letter(recipient=_recipient(registration),
                 context={"registration": registration, "event": event, "session": session,
                          **_when_where(event, registration.language),
                          "cancel_url": f"{about['base']}{new_secret}/",
                          "pass_url": _pass(registration), "status": registration.status,
                          "room_url": secret or ""},
                 part=f"{registration.pk}-{occurrence.number}", claim=claim,
                 attachments=_calendar(event))


def _new_event_line(about: About) -> str:
    """A newly published event in the digest of its district's news subscribers, as it
    stands now (left out once cancelled, or when the subscription ended)."""
    from django.conf import settings
    from django.urls import reverse

    from madoguchi.news import messages as news_messages
    from madoguchi.news import selectors as news
    from madoguchi.participation.ical import location
    from madoguchi.participation.models import Event, Status

    event = (Event.objects.select_related("district", "centre")
             .filter(pk=int(about["event"]), status=Status.PUBLISHED).first())
    subscriber = (news.active_subscribers(event.district_id if event else None)
                  .filter(pk=int(about["subscriber"])).first())
    if event is None or subscriber is None:
        raise Skip("not published or not subscribed")
    origin = settings.NOTIFICATIONS_PUBLIC_ORIGIN.rstrip("/")
    held = [line for line, occurrence in zip(sessions(event), event.occurrences.all(),
                                             strict=True)
            if occurrence.state == occurrence.State.HELD]
    return mail_digest.line("notifications/participation_new_event/digest.txt", {
        "event": event, "district": event.district, "where": location(event),
        "first": held[0] if held else "", "count": len(held),
        "link": origin + reverse("events:event", kwargs={"event": event.public_id}),
        "english": subscriber.language == "en",
        "unsubscribe_url": news_messages.unsubscribe_url(origin, subscriber)})


def register_kinds() -> None:
    for kind in (REGISTERED, PROMOTED, CHANGED):
        register(kind, _letters, unsubscribe=DIGEST)
    register(DRAWN, _drawn_letters, unsubscribe=DIGEST)
    register(REMINDER, _reminder_letters, unsubscribe=DIGEST)
    mail_digest.register_item(CHANGED, _changed_line)
    mail_digest.register_item(NEW_EVENT, _new_event_line)


def registered(*, registration_id: int, cancel_url: str, room_url: str = "") -> None:
    """``room_url``: the registrant's one-time link to the video room (ADR 0064)."""
    notify(REGISTERED, about={"registration": registration_id},
           secret=_secrets(cancel_url, room_url))


def promoted(*, registration_id: int, cancel_url: str, room_url: str = "") -> None:
    notify(PROMOTED, about={"registration": registration_id, "needs_live": 1},
           secret=_secrets(cancel_url, room_url))


def drawn(*, event_id: int, link_base: str) -> None:
    """One notification for the whole draw: the worker writes to each applicant."""
    notify(DRAWN, about={"event": event_id, "base": link_base})


def changed(*, registration_id: int, address: str, language: str = "ja") -> None:
    """Into the registrant's next digest (ADR 0054), not a mail of its own."""
    mail_digest.collect(CHANGED, address=address, about={"registration": registration_id},
                        language=language)


def reminder(*, registration_id: int, occurrence_id: int, link_base: str,
             room_url: str = "") -> None:
    """The reminder before one session, sent by the worker after the caller's commit;
    ``room_url``: the session's one-time video-room link (ADR 0064), as the secret."""
    notify(REMINDER, about={"registration": registration_id, "occurrence": occurrence_id,
                            "base": link_base}, secret=room_url or None)


def new_event(event) -> int:
    """A newly published event into the next digest of its district's news subscribers
    (the ward-wide news's for a ward-wide event), in the publishing transaction; once, as
    an event is published once. The count collected."""
    from madoguchi.news import selectors as news

    return mail_digest.collect_many(NEW_EVENT, (
        (subscriber.email, {"event": event.pk, "subscriber": subscriber.pk},
         subscriber.language)
        for subscriber in news.active_subscribers(event.district_id).iterator(chunk_size=500)))
