"""The consultation's timeline in the event registry (madoguchi/core/events.py, ADR 0031).

The consultation declares its own kinds there (written by ``consultations.services`` and
``consultations.documents`` themselves), and subscribes to events other contexts publish
about a booking: each is appended to the timeline of the consultation whose current booking
it is (no status change, no statistics or audit entry), in the publisher's transaction.
Nothing here knows who published: a kind is valid when its owner declared it.
"""

from __future__ import annotations

from madoguchi.consultations.models import Consultation, ConsultationEvent
from madoguchi.core import events
from madoguchi.core.events import BookingEvent
from madoguchi.scheduling.models import ParticipantKind

OWNER = "consultations"


def register() -> None:
    """Called once from ``ConsultationsConfig.ready()``."""
    events.declare_choices(owner=OWNER, choices=ConsultationEvent.Kind.choices)
    events.subscribe(BookingEvent, record_booking_event)


def record_booking_event(event: BookingEvent) -> list[ConsultationEvent]:
    """Append ``event`` to the timeline of the consultations whose current booking is
    ``event.booking_id`` (none: nothing is written).

    ``event.actor`` is the staff member who acted, or None when a resident or an outside
    participant acted through a one-time link; ``event.participant_kind`` is then their
    kind (required), else the kind of the participant concerned, if any. Refuses (raises
    ValueError, and the publisher's transaction rolls back) a kind the consultation writes
    itself or a participant kind the record cannot hold.
    """
    kind = events.registry.kind(event.kind)
    if kind is None or kind.owner == OWNER:
        raise ValueError(f"not an event of a booking: {event.kind!r}")
    participant_kind = event.participant_kind or ""
    if participant_kind and participant_kind not in ParticipantKind.values:
        raise ValueError(f"unknown participant kind: {participant_kind!r}")
    if event.actor is None and participant_kind not in ConsultationEvent.LINK_PARTICIPANT_KINDS:
        raise ValueError("an event without a staff actor needs a resident or guest kind")
    consultation_list = list(Consultation.objects.filter(booking_id=event.booking_id)
                             .select_related("section"))
    return [ConsultationEvent.objects.create(
        consultation=consultation, at=event.at, actor=event.actor, kind=event.kind,
        participant_kind=participant_kind, from_status=consultation.status,
        to_status=consultation.status, section=consultation.section,
        booking_id=event.booking_id) for consultation in consultation_list]
