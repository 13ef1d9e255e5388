"""Events as things a consultation or a trouble record may point to (core.references,
ADR 0061): a resident referred to a smartphone class (issue 15 item 6). Consultations and
collaboration store the kind and the event's public id; the event's page shows how many
point to it (counts, no personal data)."""

from __future__ import annotations

import uuid

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from madoguchi.core import references
from madoguchi.core.dates import day_text
from madoguchi.participation.models import Event, Status

KIND = "participation.event"
CHOICES_MAX = 300


def _label(event: Event) -> str:
    return f"{event.title}（{day_text(event.first_date)}〜）"


def resolve(key: str) -> references.Target | None:
    try:
        public_id = uuid.UUID(key)
    except ValueError:
        return None
    event = Event.objects.filter(public_id=public_id).first()
    if event is None:
        return None
    return references.Target(kind=KIND, key=str(event.public_id), label=_label(event),
                             url=reverse("participation:event",
                                         kwargs={"event": event.public_id}))


def choices() -> list[tuple[str, str]]:
    """The published events with a session from today on."""
    found = (Event.objects.filter(status=Status.PUBLISHED,
                                  occurrences__start__gte=timezone.now())
             .distinct().order_by("first_date", "pk")[:CHOICES_MAX])
    return [(str(event.public_id), _label(event)) for event in found]


def counts(event: Event) -> list[tuple[str, int]]:
    return references.counts(KIND, str(event.public_id))


def register() -> None:
    references.register_kind(references.Kind(code=KIND, label=_("イベント・講座"),
                                              resolve=resolve, choices=choices))
