"""Writes of the notifications context: what to send about a booking, and when."""

from __future__ import annotations

import datetime as dt
import logging
from enum import StrEnum

from django.db import transaction
from django.utils import timezone

from madoguchi.notifications import tasks
from madoguchi.notifications.links import seal
from madoguchi.notifications.mail import Kind, recipient_for
from madoguchi.scheduling.models import Booking, Participant

logger = logging.getLogger("madoguchi.notifications")

REMINDER_BEFORE = dt.timedelta(days=1)


class Change(StrEnum):
    CREATED = "created"
    RESCHEDULED = "rescheduled"
    CANCELLED = "cancelled"


KIND_FOR_CHANGE = {
    Change.CREATED: Kind.INVITATION,
    Change.RESCHEDULED: Kind.CHANGE,
    Change.CANCELLED: Kind.CANCELLATION,
}


def booking_notice(*, booking_id: int, change: str) -> None:
    """Enqueue the e-mails about a booking that was just created, moved or cancelled.

    One task per participant with an e-mail address (staff: their account's address;
    residents: theirs, where known; guests: the one given), and for a booking that is on,
    a reminder task due one day before it starts. Called by scheduling after its
    transaction commits; sends nothing itself. A booking cancelled because it was moved
    gets no cancellation notice: the change notice of its successor covers it.
    """
    change = Change(change)
    booking = Booking.objects.filter(pk=booking_id).first()
    if booking is None:
        logger.warning("booking notice for missing booking %s", booking_id)
        return
    if change == Change.CANCELLED and tasks.is_superseded(booking):
        logger.info("cancellation of moved booking %s: covered by the change notice",
                    booking_id)
        return
    participants = (Participant.objects.select_related("user", "resident")
                    .filter(booking_id=booking_id).order_by("pk"))
    kind = KIND_FOR_CHANGE[change]
    with transaction.atomic():
        queued = 0
        for participant in participants:
            if recipient_for(participant) is None:
                continue
            tasks.deliver_booking_mail.enqueue(booking_id=booking_id,
                                               participant_id=participant.pk,
                                               kind=str(kind))
            queued += 1
        if change != Change.CANCELLED and booking.status == tasks.BOOKED:
            reminder_at = booking.start - REMINDER_BEFORE
            if reminder_at > timezone.now():
                tasks.send_booking_reminder.using(run_after=reminder_at).enqueue(
                    booking_id=booking_id, start=booking.start.isoformat())
    logger.info("booking %s %s: %s mails queued", booking_id, change, queued)


# ── one-time links to a video consultation ─────────────────────────────────────────────

def room_link_notice(*, access_id: int, url: str) -> None:
    """Mail the one-time link ``url`` (of meetings.RoomAccess ``access_id``) to its
    participant once the caller's transaction commits. The link travels to the worker
    sealed (notifications.links), never in clear."""
    sealed = seal(url)
    transaction.on_commit(
        lambda: tasks.deliver_room_link.enqueue(access_id=access_id, sealed=sealed))
    logger.info("room link %s: mail queued on commit", access_id)
