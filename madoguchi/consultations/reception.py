"""Booked consultations at the counter's reception (counter's appointment-source registry).

A consultation booked at a centre's booth (not one from home: no booth) is an appointment
of that centre's office: the resident checks in at the reception tablet or the clerk's page
and joins the counter's consultation queue at the booked time. The counter sees the
booking's public id, its start, the service code and a label of time and section: no
resident's name or worry.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.consultations.models import Consultation
from madoguchi.counter import appointments
from madoguchi.counter.catalogue import CONSULTATION
from madoguchi.scheduling.models import Booking, BookingStatus
from madoguchi.scheduling.selectors import local_day_bounds

if TYPE_CHECKING:
    from madoguchi.counter.models import Office

SOURCE = "consultation"


def _at_centre(office: Office) -> QuerySet[Booking]:
    if office.centre_id is None:  # a くみん窓口: consultations are booked at centres
        return Booking.objects.none()
    current = Consultation.objects.filter(booking=OuterRef("pk"))
    return (Booking.objects.select_related("section")
            .filter(centre_id=office.centre_id, booth__isnull=False,
                    status=BookingStatus.BOOKED)
            .filter(Exists(current)))


def _appointment(booking: Booking) -> appointments.Appointment:
    start = timezone.localtime(booking.start)
    section = booking.section.label if booking.section_id else ""
    label = (_("%(time)s 相談のご予約（%(section)s）") % {"time": f"{start:%H:%M}",
                                                        "section": section}
             if section else _("%(time)s 相談のご予約") % {"time": f"{start:%H:%M}"})
    return appointments.Appointment(reference=str(booking.public_id), at=booking.start,
                                    service=CONSULTATION, label=label)


def day(office: Office, on: dt.date) -> list[appointments.Appointment]:
    lo, hi = local_day_bounds(on)
    return [_appointment(b) for b in
            _at_centre(office).filter(start__gte=lo, start__lt=hi).order_by("start", "pk")]


def find(office: Office, reference: str) -> appointments.Appointment | None:
    try:
        public_id = uuid.UUID(reference)
    except ValueError:
        return None
    booking = _at_centre(office).filter(public_id=public_id).first()
    return _appointment(booking) if booking is not None else None


def register() -> None:
    appointments.register_source(SOURCE, day=day, find=find)
