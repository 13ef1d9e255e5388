"""Online participation in the ward's own video room (issue 15 item 2, ADR 0064).

An event marked ``video_room`` holds each session held in a room of the meetings context:
a scheduling booking without a section (the bookable kind ``event_session``: the session
itself, so that it is held once), made when the first link is issued for it and made again
when the session's time has changed. Each registrant who chose online participation and is
confirmed gets a guest participant of the session's booking (named by their number, never
their name: the others in the call see it) and a personal one-time link (meetings keeps
only the token's digest); the URL goes to the notifier as the mail's secret, after commit.
The event's staff (those who manage it) host the room, by the host rule registered with
meetings. Cancelling the registration revokes its links; cancelling the event releases the
sessions' bookings (their links stop working with them).

Only public seams are used: ``scheduling.services`` (``resource_book``,
``resource_release``, ``guest_add``) and ``meetings.services`` (``room_for_booking``,
``access_issue_for_guest``, ``access_withdraw``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from madoguchi.accounts.policy import Action, can
from madoguchi.meetings import services as meetings
from madoguchi.meetings.access import register_host_rule
from madoguchi.participation.models import (
    Event,
    Occurrence,
    OnlineSeat,
    Registration,
    RegStatus,
    SessionRoom,
    Status,
)
from madoguchi.scheduling import kinds
from madoguchi.scheduling import services as scheduling
from madoguchi.scheduling.models import BookingStatus

KIND = "event_session"


def _bookable(user, occurrence: Occurrence) -> bool:
    return (occurrence.state == Occurrence.State.HELD
            and occurrence.event.status == Status.PUBLISHED and occurrence.event.video_room)


SESSION = kinds.BookableKind(
    code=KIND, label=gettext_lazy("イベントのオンライン会場"), owner="participation.Occurrence",
    hours=kinds.WHOLE_DAY, describe=lambda o: f"{o.event.title} #{o.number}",
    may_book=_bookable)


def hosts(user, booking) -> bool:
    """Meetings' host rule: the staff who manage the event host its sessions' rooms."""
    found = (SessionRoom.objects.select_related("occurrence__event")
             .filter(booking_id=booking.pk).first())
    return found is not None and can(user, Action.EVENT_MANAGE, found.occurrence.event)


def register() -> None:
    """ParticipationConfig.ready."""
    kinds.register(SESSION)
    register_host_rule(hosts)


def takes_part_online(event: Event, choice: bool) -> bool:
    """Whether a registration is for online participation: the registrant's choice for a
    hybrid event; always for an online-only event, never for one held only in person."""
    return bool(choice) if event.is_hybrid else event.is_online


def _session(occurrence: Occurrence) -> SessionRoom:
    """The session's room, booked now if it has none or its time has changed (the
    occurrence's row is locked: one booking per session, whoever asks first)."""
    occurrence = (Occurrence.objects.select_for_update().select_related("event")
                  .get(pk=occurrence.pk))
    event = occurrence.event
    found = SessionRoom.objects.select_related("booking").filter(occurrence=occurrence).first()
    if found is not None:
        booking = found.booking
        if (booking.status == BookingStatus.BOOKED and booking.start == occurrence.start
                and booking.end == occurrence.end):
            return found
        scheduling.resource_release(booking=booking, by=event.created_by,
                                    reason=_("イベントの日時の変更"))
        found.seats.all().delete()
    booking = scheduling.resource_book(
        kind=KIND, owner=occurrence, start=occurrence.start, end=occurrence.end,
        title=(_("イベント：%(title)s") % {"title": event.title})[:120], by=event.created_by)
    meetings.room_for_booking(booking=booking)
    if found is None:
        return SessionRoom.objects.create(occurrence=occurrence, booking=booking)
    found.booking = booking
    found.save(update_fields=["booking"])
    return found


def issue_link(registration: Registration, occurrence: Occurrence) -> str:
    """A new personal link to ``occurrence``'s room for an online, confirmed registration
    of an event in the video room (its earlier link to that session stops working); ""
    when none is due. In the caller's transaction; the URL is for the mail's secret only."""
    event = registration.event
    if not (event.video_room and registration.online
            and registration.status == RegStatus.CONFIRMED and event.status == Status.PUBLISHED
            and occurrence.state == Occurrence.State.HELD and occurrence.end > timezone.now()):
        return ""
    with transaction.atomic():
        session = _session(occurrence)
        seat = session.seats.select_related("participant").filter(
            registration=registration).first()
        if seat is None:
            participant = scheduling.guest_add(booking=session.booking, guest=scheduling.Guest(
                name=_("申込番号 %(n)d") % {"n": registration.position}))
            seat = OnlineSeat.objects.create(registration=registration, session=session,
                                             participant=participant)
        _access, token = meetings.access_issue_for_guest(participant=seat.participant,
                                                         by=event.created_by)
    origin = settings.NOTIFICATIONS_PUBLIC_ORIGIN.rstrip("/")
    return origin + reverse("meetings:join", kwargs={"token": token})


def video_sessions(event: Event) -> list[tuple[Occurrence, str]]:
    """The coming sessions of an event in the video room, each with the path into its room
    for the event's staff ("" while no online registrant has a link yet)."""
    if not event.video_room:
        return []
    found = []
    for occurrence in (event.occurrences.filter(state=Occurrence.State.HELD,
                                                end__gt=timezone.now())
                       .select_related("session_room__booking").order_by("start")):
        session = getattr(occurrence, "session_room", None)
        booked = session is not None and session.booking.status == BookingStatus.BOOKED
        found.append((occurrence, reverse("meetings:booking_room", kwargs={
            "public_id": session.booking.public_id}) if booked else ""))
    return found


def withdraw(registration: Registration, *, by=None) -> int:
    """Revoke the registration's links to every session (it was cancelled)."""
    return sum(meetings.access_withdraw(participant=seat.participant, by=by)
               for seat in registration.online_seats.select_related("participant"))


def release(event: Event, *, by) -> None:
    """Free the sessions' bookings of a cancelled event (their links stop working)."""
    for session in SessionRoom.objects.select_related("booking").filter(
            occurrence__event=event, booking__status=BookingStatus.BOOKED):
        scheduling.resource_release(booking=session.booking, by=by,
                                    reason=_("イベントの中止"))
