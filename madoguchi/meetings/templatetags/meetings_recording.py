"""``{% recording_panel %}``: the recording part of a room page (staff) or the lobby page of
a one-time link, rendered by meetings/_recording.html (ADR 0012)."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.middleware.csrf import get_token
from django.urls import reverse

from madoguchi.meetings import errors
from madoguchi.meetings.selectors.recording import room_state
from madoguchi.meetings.views import recording as recording_views

register = template.Library()


@register.inclusion_tag("meetings/_recording_panel.html", takes_context=True)
def recording_panel(context) -> dict:
    request, room = context["request"], context["room"]
    try:
        user, link = recording_views.requester(request, room)
    except errors.MeetingRefused:
        return {"show": False}
    state = room_state(room, user=user, link=link)
    kwargs = {"public_id": room.public_id}
    config = {
        "state": reverse("meetings:recording_state", kwargs=kwargs),
        "consent": reverse("meetings:recording_consent", kwargs=kwargs),
        "verbal": reverse("meetings:recording_verbal", kwargs=kwargs),
        "start": reverse("meetings:recording_start", kwargs=kwargs),
        "stop": reverse("meetings:recording_stop", kwargs=kwargs),
        "csrf": get_token(request),
        "host": state["host"],
        "pollSeconds": 3,
        "text": recording_views.recorder_text(),
    }
    return {"show": state["allowed"] or state["host"], "state": state, "config": config,
            "room": room, "retention_days": settings.MEETINGS_RECORDING_RETENTION_DAYS}
