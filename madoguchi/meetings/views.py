"""Pages of the video rooms: the staff call page (with the lobby and the one-time links),
and the guest page a one-time link opens. The call itself runs in meeting.js."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from madoguchi.meetings import access as rules
from madoguchi.meetings import errors, services
from madoguchi.meetings.models import Room, RoomAccess
from madoguchi.scheduling.models import Booking, ParticipantKind

MAX_PEERS = 6


def _config(room: Room, role: str) -> dict:
    return {
        "ws": f"/ws/meet/{room.public_id}/",
        "iceServers": list(getattr(settings, "MEETINGS_ICE_SERVERS", []) or []),
        "role": role,
        "maxPeers": MAX_PEERS,
    }


def _room_or_403(request, public_id) -> Room:
    room = get_object_or_404(Room.objects.select_related("booking__section"),
                             public_id=public_id)
    if not rules.may_enter(request.user, room.booking):
        raise PermissionDenied(errors.NOT_PARTICIPANT)
    return room


def _room_page(request, room: Room, *, status: int = 200, issued=None, error: str = ""):
    host = rules.is_host(request.user, room.booking)
    participants = []
    if host:
        links = {link.participant_id: link for link in
                 RoomAccess.objects.filter(room=room, revoked_at__isnull=True)}
        for participant in (room.booking.participants.exclude(kind=ParticipantKind.STAFF)
                            .select_related("resident")):
            participants.append({"participant": participant,
                                 "label": (participant.resident.full_name
                                           if participant.resident_id else str(participant)),
                                 "link": links.get(participant.pk)})
    return render(request, "meetings/room.html", {
        "room": room, "booking": room.booking, "host": host, "participants": participants,
        "issued": issued, "error": error,
        "config": _config(room, "host" if host else "staff"),
    }, status=status)


@require_GET
@login_required
def booking_room(request, public_id):
    """The booking's room (made on first use)."""
    booking = get_object_or_404(Booking, public_id=public_id)
    if not rules.may_enter(request.user, booking):
        raise PermissionDenied(errors.NOT_PARTICIPANT)
    room = services.room_for_booking(booking=booking)
    return redirect("meetings:room", public_id=room.public_id)


@require_GET
@never_cache
@login_required
def room(request, public_id):
    return _room_page(request, _room_or_403(request, public_id))


@require_POST
@never_cache
@login_required
def link_create(request, public_id):
    room = _room_or_403(request, public_id)
    if not rules.is_host(request.user, room.booking):
        raise PermissionDenied
    participant = room.booking.participants.filter(
        pk=request.POST.get("participant") if str(request.POST.get("participant", "")).isdigit()
        else None).first()
    if participant is None:
        return _room_page(request, room, status=400, error=_("参加者を選んでください。"))
    try:
        link, token = services.access_issue(room=room, participant=participant, by=request.user)
    except ValidationError as problem:
        return _room_page(request, room, status=400, error=" ".join(problem.messages))
    url = request.build_absolute_uri(reverse("meetings:join", kwargs={"token": token}))
    return _room_page(request, room, issued={"participant": participant, "url": url})


@require_POST
@login_required
def link_revoke(request, public_id, pk):
    room = _room_or_403(request, public_id)
    if not rules.is_host(request.user, room.booking):
        raise PermissionDenied
    link = get_object_or_404(RoomAccess, room=room, pk=pk)
    services.access_revoke(link=link, by=request.user)
    return redirect("meetings:room", public_id=room.public_id)


@require_GET
@never_cache
def join(request, token):
    """The page a one-time link opens (no login): binds the link to this browser."""
    devices = dict(request.session.get(services.SESSION_DEVICES, {}))
    try:
        link, key = services.access_open(token=token, devices=devices)
    except errors.MeetingRefused as refused:
        return render(request, "meetings/refused.html", {"message": refused.message},
                      status=refused.status)
    devices[str(link.pk)] = key
    request.session[services.SESSION_DEVICES] = devices
    return render(request, "meetings/join.html", {
        "room": link.room, "booking": link.room.booking,
        "config": _config(link.room, "guest"),
    })
