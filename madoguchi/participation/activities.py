"""The coming sessions of 防災塾 in a district, offered to the district's disaster page
through core's activity providers (issue 19 item 6, ADR 0061): disaster is beside
participation in the layers and imports nothing of it."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.core import activities
from madoguchi.participation.models import Occurrence, Status

BOSAI_JUKU = "bosai-juku"  # the kind's code (the migration's list)


def bosai_juku(district_id: int, limit: int) -> list[activities.Activity]:
    """The next published sessions held of 防災塾 of the district, or ward-wide ones."""
    found = (Occurrence.objects
             .filter(event__status=Status.PUBLISHED, event__kind__code=BOSAI_JUKU,
                     state=Occurrence.State.HELD, start__gte=timezone.now())
             .filter(Q(event__district_id=district_id) | Q(event__district__isnull=True))
             .select_related("event__room", "event__centre").order_by("start", "pk")[:limit])
    return [activities.Activity(
        title=o.event.title, start=o.start, end=o.end,
        place=o.event.place_name or (o.event.centre.name if o.event.centre else "")
        or (_("オンライン") if o.event.is_online else ""),
        url=reverse("events:event", kwargs={"event": o.event.public_id}))
        for o in found]


def register() -> None:
    activities.register_provider(activities.DISASTER_PREPAREDNESS, "participation",
                                 bosai_juku)
