"""Staff pages of a room's use: the usage report (occupancy by month and daypart, as a
table and as CSV) and the page where a cancellation or a no-show of a booking is recorded
with its reason (kept in the booking's append-only history, shown in the report).

The staff of the room's approving unit, of its district's centre and ward administrators
(``community.room_book``); a room or booking outside their rules is 404.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action, can
from madoguchi.community import selectors, services
from madoguchi.community.errors import CommunityError
from madoguchi.community.forms import BookingRecordForm
from madoguchi.community.models import BookingEventKind, Daypart, Room, RoomBooking
from madoguchi.community.views._common import posted_record, staff_rooms

PAST_DAYS, AHEAD_DAYS, LIST_MAX = 62, 92, 300


def _room(request, room_id: int) -> Room:
    room = get_object_or_404(Room.objects.select_related("district", "approving_unit"),
                             pk=room_id)
    if not can(request.user, Action.COMMUNITY_ROOM_BOOK, room):
        raise Http404
    return room


def _year(request) -> int:
    raw = request.GET.get("year", "").strip()
    today = timezone.localdate()
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= today.year + 2 else today.year


@never_cache
@require_GET
@policy_required(Action.COMMUNITY_ROOM_BOOK)
def room_usage(request, room_id: int):
    room = _room(request, room_id)
    year = _year(request)
    return render(request, "community/room_usage.html", {
        "room": room, "year": year, "usage": selectors.usage_report(room=room, year=year),
        "dayparts": [part.label for part in Daypart],
        "years": range(timezone.localdate().year + 1, timezone.localdate().year - 4, -1)})


@require_GET
@policy_required(Action.COMMUNITY_ROOM_BOOK)
def room_usage_csv(request, room_id: int):
    room = _room(request, room_id)
    year = _year(request)
    response = HttpResponse(selectors.usage_csv(selectors.usage_report(room=room, year=year)),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="room-{room.pk}-usage-{year}.csv"'
    return response


def _bookings(rooms) -> list[RoomBooking]:
    today = timezone.localdate()
    return list(RoomBooking.objects.filter(
        room__in=rooms, cancelled_at__isnull=True,
        date__range=(today - dt.timedelta(days=PAST_DAYS),
                     today + dt.timedelta(days=AHEAD_DAYS))).select_related(
            "room", "group").order_by("date", "room", "daypart")[:LIST_MAX])


@never_cache
@require_http_methods(["GET", "POST"])
@policy_required(Action.COMMUNITY_ROOM_BOOK)
def booking_records(request):
    """Held bookings of the staff's rooms (two months back, three ahead): record a
    cancellation or a no-show with its reason. A refusal comes back on the page."""
    rooms = staff_rooms(request)
    form = BookingRecordForm(request.POST or None)
    failed: RoomBooking | None = None
    if request.method == "POST":
        booking = posted_record(request, RoomBooking.objects.select_related("room").filter(
            room__in=rooms), "booking")
        if form.is_valid():
            kind = form.cleaned_data["kind"]
            try:
                services.room_cancel(room_booking=booking, by=request.user,
                                     reason=form.cleaned_data["reason"],
                                     no_show=kind == BookingEventKind.NO_SHOW)
            except (CommunityError, PermissionDenied) as error:
                form.add_error(None, getattr(error, "message", None) or str(error))
            else:
                flash.success(request, _("%(booking)s: %(kind)sを記録しました。") % {
                    "booking": booking, "kind": BookingEventKind(kind).label})
                return redirect("community:booking_records")
        failed = booking
    return render(request, "community/booking_records.html", {
        "bookings": _bookings(rooms), "form": form, "failed": failed,
        "today": timezone.localdate(), "kinds": BookingEventKind.choices},
        status=422 if failed is not None else 200)
