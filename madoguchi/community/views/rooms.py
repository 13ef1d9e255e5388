"""The staff's room desk: book a room for a group or a resident, and record the days a
room cannot be used (学校行事, 点検)."""

from __future__ import annotations

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from madoguchi.accounts.access import policy_required
from madoguchi.accounts.policy import Action
from madoguchi.community import fees, services
from madoguchi.community.errors import CommunityError
from madoguchi.community.forms import ClosureForm, RoomBookForm
from madoguchi.community.views._common import staff_rooms


@never_cache
@require_http_methods(["GET", "POST"])
@policy_required(Action.COMMUNITY_ROOM_BOOK)
def room_desk(request):
    """Staff book a room for a group or a resident, and record exceptions (学校行事)."""
    rooms_qs = staff_rooms(request)
    form = RoomBookForm(request.POST or None, rooms=rooms_qs)
    closure_form = ClosureForm(rooms=rooms_qs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booked = services.room_book(room=data["room"], day=data["date"],
                                        daypart=data["daypart"], by=request.user,
                                        purpose=data["purpose"], attendees=data["attendees"],
                                        group=data["group"], commercial=data["commercial"])
        except (CommunityError, PermissionDenied) as error:
            form.add_error(None, getattr(error, "message", None) or str(error))
        else:
            flash.success(request, _("%(booking)sを予約しました（使用料: %(fee)s）。")
                          % {"booking": booked, "fee": fees.of_booking(booked).text()})
            return redirect("community:room_desk")
    return render(request, "community/room_desk.html", {
        "form": form, "closure_form": closure_form, "rooms": rooms_qs.select_related(
            "district")})


@require_POST
@policy_required(Action.COMMUNITY_ROOM_EDIT)
def closure_add(request):
    rooms_qs = staff_rooms(request)
    closure_form = ClosureForm(request.POST, rooms=rooms_qs)
    if closure_form.is_valid():
        data = closure_form.cleaned_data
        try:
            services.closure_add(room=data["room"], day=data["date"], reason=data["reason"],
                                 by=request.user)
        except (CommunityError, PermissionDenied) as error:
            closure_form.add_error(None, getattr(error, "message", None) or str(error))
        else:
            flash.success(request, _("利用できない日を登録しました。"))
            return redirect("community:room_desk")
    return render(request, "community/room_desk.html", {
        "form": RoomBookForm(rooms=rooms_qs), "closure_form": closure_form,
        "rooms": rooms_qs.select_related("district")})
