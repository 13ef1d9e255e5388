"""Background tasks that send the booking e-mails (Django Tasks API, database backend).

They run in the worker, never in the request. Each loads the booking afresh, so a notice
describes the booking as it is stored; the reminder checks, when it runs, that the booking
is still on and still at the time it was scheduled for. Logs name ids only, never a person
or an address.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib

from django.core.mail import get_connection
from django_tasks import task

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


def _booking(booking_id: int) -> Booking | None:
    return (Booking.objects
            .select_related("section", "centre__district", "booth", "rescheduled_from")
            .filter(pk=booking_id).first())


def is_superseded(booking: Booking) -> bool:
    """Whether the booking was moved: another booking was made in its place."""
    return Booking.objects.filter(rescheduled_from_id=booking.pk).exists()


@task()
def deliver_booking_mail(*, booking_id: int, participant_id: int, kind: str) -> str:
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
    _send(message.send, f"{kind} for booking {booking_id} to participant {participant_id}")
    logger.info("booking mail sent: %s for booking %s to participant %s",
                kind, booking_id, participant_id)
    return "sent"


@task()
def send_booking_reminder(*, booking_id: int, start: str) -> str:
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
    messages = [compose(booking=booking, recipient=recipient, kind=Kind.REMINDER)
                for recipient in map(recipient_for, participants) if recipient is not None]
    if messages:
        def send() -> None:
            with get_connection() as connection:
                connection.send_messages(messages)

        _send(send, f"reminder for booking {booking_id}")
    logger.info("reminder sent for booking %s to %s participants", booking_id, len(messages))
    return f"sent {len(messages)}"


@task()
def deliver_room_link(*, access_id: int, sealed: str) -> str:
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
    _send(message.send, f"room link {access_id}")
    logger.info("room link %s mailed to its participant", access_id)
    return "sent"
