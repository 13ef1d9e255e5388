"""A district's disaster page (public): its shelters and their status, and the coming
防災塾 that participation offers through core's activity providers (issue 19 item 6,
ADR 0061; disaster imports nothing of participation)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from madoguchi.core import activities
from madoguchi.disaster.models import Shelter
from madoguchi.organisation.models import District

UPCOMING = 5


@require_GET
def district(request, region: str, code: str):
    found = get_object_or_404(District.objects.select_related("region"),
                              region__code=region, code=code)
    return render(request, "disaster/district.html", {
        "district": found,
        "shelters": Shelter.objects.filter(district=found).order_by("kind", "name"),
        "activities": activities.upcoming(activities.DISASTER_PREPAREDNESS, found.pk,
                                          limit=UPCOMING),
    })
