"""Background tasks that send the booking e-mails (Django Tasks API, database backend).

They run in the worker, never in the request. Each loads the booking afresh, so a notice
describes the booking as it is stored; the reminder checks, when it runs, that the booking
is still on and still at the time it was scheduled for. Logs name ids only, never a person
or an address.

A task may run twice (its worker died mid-task and the lease expired): every message is
sent inside ``effects.once`` under a key made of the task's id (and the participant's), so
a second run sends nothing already sent (ADR 0025).
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib

from django.core.mail import EmailMessage
from django_tasks import task

from madoguchi.core import effects
from madoguchi.notifications.mail import Kind, compose, recipient_for
from madoguchi.scheduling.models import Booking, Participant

logger = logging.getLogger("madoguchi.notifications")

BOOKED = "booked"


class DeliveryFailed(Exception):
    """The mail server refused or could not be reached. The message names ids and the
    error's class only: the original error (which may quote an address) is not kept, as
    the task result and its traceback are stored in the database."""


def _send(send, what: str) -> None:
    try:
        send()
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("%s: delivery failed (%s)", what, type(error).__name__)
        raise DeliveryFailed(f"{what}: {type(error).__name__}") from None


def send_once(message: EmailMessage, key: str, what: str) -> bool:
    """Send ``message`` unless the effect ``key`` was already made; whether it was sent."""
    with effects.once(key) as effect:
        if effect is None:
            logger.info("%s: already sent by an earlier run", what)
            return False
        effect.make(lambda: _send(effects.stamp(message, key).send, what))
    return True


def _booking(booking_id: int) -> Booking | None:
    return (Booking.objects
            .select_related("section", "centre__district", "booth", "rescheduled_from")
            .filter(pk=booking_id).first())


def is_superseded(booking: Booking) -> bool:
    """Whether the booking was moved: another booking was made in its place."""
    return Booking.objects.filter(rescheduled_from_id=booking.pk).exists()


@task(takes_context=True)
def deliver_booking_mail(context, *, booking_id: int, participant_id: int, kind: str) -> str:
    """Send one invitation, change notice or cancellation notice to one participant."""
    booking = _booking(booking_id)
    participant = (Participant.objects.select_related("user", "resident")
                   .filter(pk=participant_id, booking_id=booking_id).first())
    if booking is None or participant is None:
        logger.info("booking mail skipped: booking %s participant %s gone",
                    booking_id, participant_id)
        return "skipped: gone"
    recipient = recipient_for(participant)
    if recipient is None:
        return "skipped: no address"
    message = compose(booking=booking, recipient=recipient, kind=Kind(kind))
    what = f"{kind} for booking {booking_id} to participant {participant_id}"
    if not send_once(message, effects.task_key(context), what):
        return "skipped: already sent"
    logger.info("booking mail sent: %s for booking %s to participant %s",
                kind, booking_id, participant_id)
    return "sent"


@task(takes_context=True)
def send_booking_reminder(context, *, booking_id: int, start: str) -> str:
    """The day-before reminder to every participant with an address, unless the booking
    was cancelled or moved after the reminder was scheduled."""
    booking = _booking(booking_id)
    if booking is None:
        return "skipped: gone"
    if booking.status != BOOKED:
        logger.info("reminder skipped: booking %s is %s", booking_id, booking.status)
        return "skipped: cancelled"
    if booking.start != dt.datetime.fromisoformat(start) or is_superseded(booking):
        logger.info("reminder skipped: booking %s was moved", booking_id)
        return "skipped: moved"
    participants = Participant.objects.select_related("user", "resident").filter(
        booking_id=booking_id).order_by("pk")
    sent = 0
    for participant in participants:
        recipient = recipient_for(participant)
        if recipient is None:
            continue
        message = compose(booking=booking, recipient=recipient, kind=Kind.REMINDER)
        sent += send_once(message, effects.task_key(context, participant.pk),
                          f"reminder for booking {booking_id} to participant {participant.pk}")
    logger.info("reminder sent for booking %s to %s participants", booking_id, sent)
    return f"sent {sent}"


@task(takes_context=True)
def deliver_room_link(context, *, access_id: int, sealed: str) -> str:
    """Send a participant their one-time link, unless it was revoked or expired since."""
    from madoguchi.meetings.models import RoomAccess  # the room's link, loaded afresh
    from madoguchi.notifications.links import compose_room_link, unseal

    link = (RoomAccess.objects
            .select_related("room__booking__section", "room__booking__centre",
                            "participant__user", "participant__resident")
            .filter(pk=access_id).first())
    if link is None:
        return "skipped: gone"
    if not link.is_usable():
        logger.info("room link %s mail skipped: revoked or expired", access_id)
        return "skipped: revoked or expired"
    recipient = recipient_for(link.participant)
    if recipient is None:
        return "skipped: no address"
    url = unseal(sealed)
    if url is None:
        logger.warning("room link %s mail skipped: the sealed link cannot be opened", access_id)
        return "skipped: unreadable"
    message = compose_room_link(link=link, recipient=recipient, url=url)
    if not send_once(message, effects.task_key(context), f"room link {access_id}"):
        return "skipped: already sent"
    logger.info("room link %s mailed to its participant", access_id)
    return "sent"
