"""One booking a user may see (audited when shown), and the busy times of an owning app's
resources."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from django.http import Http404

from madoguchi.accounts.models import User
from madoguchi.accounts.policy import (
    Action,
    can,
)
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.scheduling.models import (
    Allocation,
    Booking,
    ParticipantKind,
)

RECORD = "booking"  # the audit trail's record type


def booking_for(*, user: User, public_id: uuid.UUID) -> Booking:
    """The booking, if ``user`` may see it; Http404 otherwise (no hint that it exists).
    Not audited: a caller that shows it calls ``booking_shown``."""
    booking = (Booking.objects.select_related("section", "centre__district__region", "booth",
                                              "created_by", "cancelled_by")
               .filter(public_id=public_id).first())
    if booking is None or not can(user, Action.BOOKING_VIEW, booking):
        raise Http404
    return booking


def booking_shown(*, user: User, booking: Booking, source: str,
                  changed: Sequence[str] = ()) -> Booking:
    """Audit an answer that shows ``booking`` (title, guests' names) as a view — or, with
    ``changed`` field names, as the change it answers — naming the resident taking part."""
    resident = (booking.participants.filter(kind=ParticipantKind.RESIDENT)
                .values_list("resident__public_id", flat=True).first())
    audit.record(actor=user, action=AuditAction.UPDATE if changed else AuditAction.VIEW,
                 record_type=RECORD, record_id=booking.pk, resident_ref=str(resident or ""),
                 source=source, fields=changed)
    return booking


def participants_of(booking: Booking):
    return booking.participants.select_related("user").order_by("pk")


def resource_busy(*, kind: str, owner_ids, lo: dt.datetime, hi: dt.datetime
                  ) -> dict[int, list[tuple[dt.datetime, dt.datetime]]]:
    """The active allocations of the ``kind``'s resources owned by ``owner_ids`` that
    overlap ``[lo, hi)``, by owner id (one query): what an owning app's availability page
    shows (community rooms, equipment; ADR 0040)."""
    busy: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
    rows = Allocation.objects.filter(
        resource__kind=kind, resource__owner_id__in=list(owner_ids), active=True,
        start__lt=hi, end__gt=lo).values_list("resource__owner_id", "start", "end")
    for owner_id, start, end in rows:
        busy.setdefault(owner_id, []).append((start, end))
    return busy
