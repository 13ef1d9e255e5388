"""Rooms, equipment and room requests of community in the JSON API (issue 16 item 6),
with the permissions of its pages:

- public (no login): rooms with each daypart's state over a month, equipment a centre
  can lend today (counts only);
- a group's representative (the session of the e-mail link login, CSRF on POST): the
  group's requests and bookings, and a request for a room in the application window;
- staff (``StaffSession``): the approval queue of won requests for the rooms the user may
  approve (the owning unit, the district's centre, ward administrators), and approval.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from ninja.security import APIKeyCookie

from madoguchi.accounts.policy import Action
from madoguchi.api.auth import CsrfRefusedInJapanese, StaffSession
from madoguchi.api.errors import FORBIDDEN, NOT_LOGGED_IN
from madoguchi.community import fees, selectors
from madoguchi.community.api._router import router
from madoguchi.community.errors import CommunityError
from madoguchi.community.group_session import current_contact
from madoguchi.community.models import (
    BookingRequest,
    Daypart,
    Group,
    Room,
    RoomBooking,
)
from madoguchi.community.services import requests as requests_svc
from madoguchi.core.problem import Problem
from madoguchi.organisation.models import District

MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
NOT_FOUND = "見つかりません。"


class GroupSession(CsrfRefusedInJapanese, APIKeyCookie):
    """A group's representative logged in by the e-mail link (the page's session cookie):
    401 without one, 403 when the CSRF token of a POST is wrong. The login is decided
    from the cookie before the body is read."""

    param_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request):
        if current_contact(request) is None:
            raise HttpError(401, NOT_LOGGED_IN)
        return super().__call__(request)

    def authenticate(self, request, key):
        contact = current_contact(request)
        if contact is None:
            raise HttpError(401, NOT_LOGGED_IN)
        request.group_contact = contact
        return contact


# --- public ------------------------------------------------------------------------------


class RoomsQuery(Schema):
    district: int = Field(description="地区の ID（/districts の id）")
    month: str | None = Field(None, pattern=MONTH_PATTERN,
                              description="対象月 YYYY-MM（省略時は今月）")


class RoomDayOut(Schema):
    date: dt.date
    morning: str = Field(description="free / booked / closed / not_open")
    afternoon: str
    evening: str
    closed_reason: str | None


class CommunityRoomOut(Schema):
    id: int
    venue_kind: str
    venue_name: str
    name: str
    capacity: int
    equipment: str
    groups_may_book: bool
    residents_may_book: bool
    fee_yen: int
    hourly_fee_yen: int


class RoomMonthOut(Schema):
    room: CommunityRoomOut
    days: list[RoomDayOut]


class RoomsOut(Schema):
    district: int
    month: str
    rooms: list[RoomMonthOut]


def _district(pk: int) -> District:
    found = District.objects.filter(pk=pk).select_related("centre").first()
    if found is None:
        raise HttpError(404, _("その地区はありません。"))
    return found


def _room(room: Room) -> dict:
    return {"id": room.pk, "venue_kind": room.venue_kind, "venue_name": room.venue_name,
            "name": room.name, "capacity": room.capacity, "equipment": room.equipment,
            "groups_may_book": room.groups_may_book,
            "residents_may_book": room.residents_may_book, "fee_yen": room.fee_yen,
            "hourly_fee_yen": room.hourly_fee_yen}


@router.get("/community/rooms", response={200: RoomsOut, 404: Problem, 422: Problem},
            url_name="community_rooms", summary="地区の部屋の空き状況（月ごと・公開）")
def rooms(request, query: Query[RoomsQuery]):
    """Each room of the district with each daypart's state on every day of the month, as
    on the public page (no names)."""
    district = _district(query.district)
    today = timezone.localdate()
    year, month = (int(p) for p in query.month.split("-")) if query.month else \
        (today.year, today.month)
    parts = [part.value for part in Daypart]
    out = []
    for entry in selectors.availability(rooms=selectors.district_rooms(district),
                                        year=year, month=month):
        days = []
        for day, _label, cells in entry.rows:
            states = dict(zip(parts, (cell.state for cell in cells), strict=True))
            closed = cells[0].label if cells[0].state == "closed" else None
            days.append({"date": day, **states, "closed_reason": closed})
        out.append({"room": _room(entry.room), "days": days})
    return {"district": district.pk, "month": f"{year}-{month:02d}", "rooms": out}


class EquipmentQuery(Schema):
    district: int = Field(description="地区の ID（その地区のまちづくりセンターの貸出品）")


class ItemKindOut(Schema):
    code: str
    name: str
    lending_days: int
    deposit_yen: int
    stock: int
    out: int
    reserved: int
    free: int


class EquipmentOut(Schema):
    district: int
    centre: str
    date: dt.date
    kinds: list[ItemKindOut]


@router.get("/community/equipment", response={200: EquipmentOut, 404: Problem, 422: Problem},
            url_name="community_equipment", summary="センターの貸出品の空き（今日・公開）")
def equipment(request, query: Query[EquipmentQuery]):
    """Per kind of item at the district's centre: in stock, out, reserved today, free."""
    district = _district(query.district)
    centre = getattr(district, "centre", None)
    if centre is None:
        raise HttpError(404, _("この地区にはまちづくりセンターがありません。"))
    today = timezone.localdate()
    kinds = [{"code": row.kind.code, "name": row.kind.name,
              "lending_days": row.kind.lending_days, "deposit_yen": row.kind.deposit_yen,
              "stock": row.stock, "out": row.out, "reserved": row.reserved, "free": row.free}
             for row in selectors.centre_availability(centre=centre, day=today)]
    return {"district": district.pk, "centre": centre.label, "date": today, "kinds": kinds}


# --- a group's representative --------------------------------------------------------------


class RoomUseOut(Schema):
    """A room in one daypart of a day, for a purpose (a request's or a booking's)."""

    public_id: uuid.UUID
    room_id: int
    room: str
    date: dt.date
    daypart: str
    purpose: str
    attendees: int


class RoomRequestOut(RoomUseOut):
    group: str
    status: str
    status_text: str
    submitted_at: dt.datetime
    fee_yen: int = Field(description="使用料（減免の後。予約があればその予約の額）")
    fee_text: str = Field(description="使用料の説明（例: 250円（50%減額、500円））")


class RoomBookingOut(RoomUseOut):
    fee_yen: int
    exempt: bool
    conditions: str


class RoomRequestIn(Schema):
    room: int = Field(description="部屋の ID（/community/rooms の room.id）")
    date: dt.date
    daypart: Daypart
    purpose: str = Field(max_length=120)
    attendees: int = Field(ge=1, le=10_000)


def _request(row: BookingRequest, reductions: fees.Reductions | None = None) -> dict:
    fee = fees.of_request(row, reductions)
    return {"public_id": row.public_id, "group": row.group.name, "room_id": row.room_id,
            "room": str(row.room), "date": row.date, "daypart": row.daypart,
            "purpose": row.purpose, "attendees": row.attendees, "status": row.status,
            "status_text": row.get_status_display(), "submitted_at": row.submitted_at,
            "fee_yen": fee.yen, "fee_text": fee.text()}


def _requests(rows) -> list[dict]:
    rows = list(rows)
    reductions = fees.reductions_of({row.room for row in rows})
    return [_request(row, reductions) for row in rows]


def _group(request) -> Group:
    return request.group_contact.group


@router.get("/community/group/requests", auth=GroupSession(),
            response={200: list[RoomRequestOut], 401: Problem},
            url_name="community_group_requests", summary="団体の申込（団体のログイン）")
def group_requests(request):
    group = _group(request)
    return _requests(group.requests.select_related("room", "group", "room_booking").order_by(
        "-submitted_at")[:200])


@router.post("/community/group/requests", auth=GroupSession(),
             response={201: RoomRequestOut, 401: Problem, 403: Problem, 404: Problem,
                       422: Problem},
             url_name="community_request_submit", summary="部屋を申し込む（団体のログイン）")
def request_submit(request, payload: RoomRequestIn):
    """A request for a room in the application window; every rule of the room is checked
    now (422 with the Japanese reason; nothing is saved)."""
    room = Room.objects.filter(pk=payload.room, is_active=True).first()
    if room is None:
        raise HttpError(404, _("その部屋はありません。"))
    try:
        row = requests_svc.request_submit(group=_group(request), room=room, day=payload.date,
                                          daypart=payload.daypart, purpose=payload.purpose,
                                          attendees=payload.attendees)
    except CommunityError as error:
        return Status(422, {"detail": error.message, "code": error.code})
    return Status(201, _request(row))


@router.get("/community/group/bookings", auth=GroupSession(),
            response={200: list[RoomBookingOut], 401: Problem},
            url_name="community_group_bookings", summary="団体の部屋の予約（団体のログイン）")
def group_bookings(request):
    rows = RoomBooking.objects.filter(group=_group(request), cancelled_at__isnull=True
                                      ).select_related("room").order_by("date", "pk")[:500]
    return [{"public_id": b.public_id, "room_id": b.room_id, "room": str(b.room),
             "date": b.date, "daypart": b.daypart, "purpose": b.purpose,
             "attendees": b.attendees, "fee_yen": b.fee_yen, "exempt": b.exempt,
             "conditions": b.conditions} for b in rows]


# --- staff: the approval queue ----------------------------------------------------------


class RoomApproveIn(Schema):
    conditions: str = Field("", max_length=300, description="承認の条件（任意）")


@router.get("/community/approvals", auth=StaffSession(Action.COMMUNITY_ROOM_BOOK),
            response={200: list[RoomRequestOut], 401: Problem, 403: Problem},
            url_name="community_approvals", summary="承認待ちの申込（当選・先着）")
def approvals(request):
    return _requests(selectors.approval_queue(request.user))


@router.post("/community/approvals/{uuid:public_id}/approve",
             auth=StaffSession(Action.COMMUNITY_ROOM_BOOK),
             response={200: RoomRequestOut, 401: Problem, 403: Problem, 404: Problem,
                       422: Problem},
             url_name="community_approve", summary="申込を承認する（条件つき可）")
def approve(request, public_id: uuid.UUID, payload: RoomApproveIn):
    row = selectors.approvable_requests(request.user).filter(public_id=public_id).first()
    if row is None:
        raise HttpError(404, NOT_FOUND)
    try:
        row = requests_svc.request_approve(request=row, by=request.user,
                                           conditions=payload.conditions)
    except PermissionDenied as error:
        raise HttpError(403, str(error) or FORBIDDEN) from None
    except CommunityError as error:
        return Status(422, {"detail": error.message, "code": error.code})
    row = BookingRequest.objects.select_related("room", "group", "room_booking").get(pk=row.pk)
    return _request(row)
