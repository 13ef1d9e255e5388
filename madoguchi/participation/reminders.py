"""The reminder before each session (issue 15 item 2, ADR 0060): a daily job mails every
confirmed registrant of a session held within ``PARTICIPATION_REMIND_DAYS`` days, once per
registration and session, with the .ics, the check-in pass and a new cancel link. Neither
waitlisted, applied nor cancelled registrations are reminded.

Once: the registration's ``reminded_number`` (the last session reminded) is moved on by a
conditional UPDATE in the same transaction that queues the mail, so a second run, or two at
once, queues nothing more; the delivery itself is sent once by the notifier (ADR 0025).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from madoguchi.notifications.ical import TOKYO
from madoguchi.participation import messages, online
from madoguchi.participation.models import Occurrence, Registration, RegStatus, Status


def remind_due(*, now: dt.datetime | None = None, days: int | None = None,
               link_base: str | None = None) -> int:
    """Queue the reminders of the sessions held from ``now`` to the end of the day
    ``days`` days ahead (0: none), to registrants confirmed who registered before today
    (a registration of today has just had its confirmation). The count queued."""
    now = now or timezone.now()
    days = settings.PARTICIPATION_REMIND_DAYS if days is None else days
    link_base = link_base or settings.PARTICIPATION_CANCEL_BASE
    if days <= 0:
        return 0
    today_start = dt.datetime.combine(timezone.localdate(now), dt.time(), TOKYO)
    until = _window_end(now, days)
    sessions = (Occurrence.objects.filter(state=Occurrence.State.HELD,
                                          event__status=Status.PUBLISHED,
                                          start__gt=now, start__lt=until)
                .order_by("start", "pk").values_list("pk", "event_id", "number"))
    count = 0
    for occurrence_id, event_id, number in list(sessions):
        with transaction.atomic():
            due = (Registration.objects.filter(
                event_id=event_id, status=RegStatus.CONFIRMED, erased_at__isnull=True,
                reminded_number__lt=number, created_at__lt=today_start)
                .exclude(email="").order_by("position").values_list("pk", flat=True))
            for registration_id in list(due):
                # Claimed by a conditional write: a run at the same time claims it or not.
                if Registration.objects.filter(pk=registration_id,
                                               reminded_number__lt=number).update(
                        reminded_number=number):
                    messages.reminder(registration_id=registration_id,
                                      occurrence_id=occurrence_id, link_base=link_base,
                                      room_url=_room_link(registration_id, occurrence_id))
                    count += 1
    return count


def _window_end(now: dt.datetime, days: int) -> dt.datetime:
    """The end of the reminders' window: the midnight after the day ``days`` days ahead."""
    return dt.datetime.combine(timezone.localdate(now) + dt.timedelta(days=days + 1),
                               dt.time(), TOKYO)


def confirmation_link(registration: Registration) -> str:
    """The video-room link a confirmation (registration, move up) carries: the next
    session's when no reminder will carry it (the session is within the reminders' window,
    or reminders are off); "" otherwise (the reminder before each session brings a new
    link, ADR 0064)."""
    event = registration.event
    if not (event.video_room and registration.online):
        return ""
    now = timezone.now()
    occurrence = (event.occurrences.filter(state=Occurrence.State.HELD, end__gt=now)
                  .order_by("start").first())
    if occurrence is None:
        return ""
    days = settings.PARTICIPATION_REMIND_DAYS
    if days > 0 and occurrence.start >= _window_end(now, days):
        return ""
    return online.issue_link(registration, occurrence)


def _room_link(registration_id: int, occurrence_id: int) -> str:
    """The session's new one-time video-room link for an online registrant (ADR 0064)."""
    registration = Registration.objects.select_related("event").get(pk=registration_id)
    if not (registration.event.video_room and registration.online):
        return ""
    return online.issue_link(registration, Occurrence.objects.get(pk=occurrence_id))
