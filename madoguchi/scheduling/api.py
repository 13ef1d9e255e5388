"""Slots and bookings in the JSON API: the same selectors, services and rules as the pages.

Errors carry a Japanese ``detail`` naming the reason; a slot that is not free answers 409
with the next free slot (``next_free``).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from madoguchi.accounts.models import User
from madoguchi.accounts.policy import Action, can
from madoguchi.api.auth import StaffSession
from madoguchi.api.errors import FORBIDDEN
from madoguchi.api.inputs import Day, Moment
from madoguchi.core.problem import Problem
from madoguchi.organisation.models import Booth, DistrictCentre, Section, Tier
from madoguchi.scheduling import selectors, services
from madoguchi.scheduling.availability import tz
from madoguchi.scheduling.errors import BookingRejected, SlotUnavailable
from madoguchi.scheduling.models import Booking, Participant, ParticipantKind

router = Router(tags=["scheduling"])

NOT_FOUND = gettext_lazy("予約が見つかりません。")
MAX_LIMIT = 50
TITLE_MAX = Booking._meta.get_field("title").max_length
CANCEL_REASON_MAX = Booking._meta.get_field("cancel_reason").max_length
GUEST_NAME_MAX = Participant._meta.get_field("name").max_length
GUEST_EMAIL_MAX = Participant._meta.get_field("email").max_length
GUEST_ORGANISATION_MAX = Participant._meta.get_field("organisation").max_length
CANCEL_FIELDS = ("status", "cancelled_at", "cancelled_by", "cancel_reason")


class Named(Schema):
    code: str
    name: str


class BoothOut(Schema):
    id: int
    name: str


class StaffOut(Schema):
    username: str
    name: str


class SlotOut(Schema):
    start: dt.datetime
    end: dt.datetime
    booth: BoothOut | None
    staff: StaffOut


class SlotsOut(Schema):
    slots: list[SlotOut]


class ParticipantOut(Schema):
    kind: str
    name: str
    organisation: str
    remote: bool
    is_organiser: bool


class BookingOut(Schema):
    public_id: uuid.UUID
    section: Named
    centre: Named | None
    booth: BoothOut | None
    start: dt.datetime
    end: dt.datetime
    status: str
    title: str
    created_by: str
    cancelled_at: dt.datetime | None
    cancel_reason: str
    rescheduled_from: uuid.UUID | None
    participants: list[ParticipantOut]


class GuestIn(Schema):
    name: str = Field(max_length=GUEST_NAME_MAX)
    email: str = Field("", max_length=GUEST_EMAIL_MAX)
    organisation: str = Field("", max_length=GUEST_ORGANISATION_MAX)
    remote: bool = True


class BookingIn(Schema):
    section: str = Field(description="課・機関のコード（例 setagaya/hoken-fukushi）。"
                                     "centre があれば種別コード（hoken-fukushi）でも可。")
    centre: str | None = Field(None, description="地区: region/district（例 setagaya/ikejiri）")
    start: Moment = Field(description="開始日時（タイムゾーンなしは日本時間）")
    staff: str | None = Field(None, description="担当職員のユーザー名（省略時は空いている職員）")
    other_users: list[str] = Field(default_factory=list, description="ほかの参加職員")
    booth: int | None = None
    booth_required: bool = True
    guests: list[GuestIn] = Field(default_factory=list)
    title: str = Field("オンライン相談", min_length=1, max_length=TITLE_MAX)
    idempotency_key: str | None = Field(None, max_length=80)


class CancelIn(Schema):
    reason: str = Field(max_length=CANCEL_REASON_MAX)


class UnavailableOut(Problem):
    next_free: SlotOut | None


def _invalid(message: str) -> HttpError:
    return HttpError(422, message)


def _centre(key: str | None) -> DistrictCentre | None:
    if not key:
        return None
    region, _slash, district = key.partition("/")
    centre = (DistrictCentre.objects.select_related("district__region")
              .filter(district__region__code=region, district__code=district).first())
    if centre is None:
        raise _invalid(_("地区「%(key)s」が見つかりません（region/district の形で指定）。")
                       % {"key": key})
    return centre


def _section(code: str, centre: DistrictCentre | None) -> Section:
    """A unit code (``setagaya/hoken-fukushi``), or a kind code resolved at the centre."""
    section = Section.objects.select_related("kind").filter(code=code, is_active=True).first()
    if section is None and centre is not None:
        sections = Section.objects.select_related("kind").filter(kind__code=code, is_active=True)
        tier = sections.values_list("kind__tier", flat=True).first()
        if tier == Tier.BRANCH:
            sections = sections.filter(region_id=centre.district.region_id)
        elif tier in (Tier.DISTRICT, Tier.PARTNER):
            sections = sections.filter(district_id=centre.district_id)
        section = sections.first() if sections.count() == 1 else None
    if section is None:
        raise _invalid(_("課・機関「%(code)s」が見つかりません。") % {"code": code})
    return section


def _user(username: str) -> User:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise _invalid(_("職員「%(name)s」が見つかりません。") % {"name": username})
    return user


def _slot(slot: selectors.Slot | None) -> dict | None:
    if slot is None:
        return None
    return {"start": slot.start, "end": slot.end,
            "booth": {"id": slot.booth.pk, "name": slot.booth.name} if slot.booth else None,
            "staff": {"username": slot.staff.username, "name": services.display(slot.staff)}}


def _booking(booking: Booking) -> dict:
    centre = booking.centre
    return {
        "public_id": booking.public_id,
        "section": {"code": booking.section.code, "name": booking.section.name},
        "centre": ({"code": centre.district.key, "name": centre.name} if centre else None),
        "booth": {"id": booking.booth.pk, "name": booking.booth.name} if booking.booth else None,
        "start": booking.start, "end": booking.end, "status": booking.status,
        "title": booking.title, "created_by": booking.created_by.username,
        "cancelled_at": booking.cancelled_at, "cancel_reason": booking.cancel_reason,
        "rescheduled_from": (booking.rescheduled_from.public_id
                             if booking.rescheduled_from_id else None),
        "participants": [
            {"kind": p.kind, "organisation": p.organisation, "remote": p.remote,
             "is_organiser": p.is_organiser,
             # No resident's name in a booking answer: the consultation record has it.
             "name": "" if p.kind == ParticipantKind.RESIDENT else (p.name or str(p))}
            for p in selectors.participants_of(booking)],
    }


class SlotQuery(Schema):
    section: str = Field(description="課・機関のコード（centre があれば種別コードでも可）")
    centre: str | None = Field(None, description="地区: region/district")
    staff: str | None = Field(None, description="担当職員のユーザー名（省略時は空いている職員）")
    others: str = Field("", description="ほかの参加職員のユーザー名（カンマ区切り）")
    start_from: Day | None = Field(None, alias="from", description="この日から探す")
    booth_required: bool = True
    limit: int = Field(10, ge=1, le=MAX_LIMIT)


@router.get("/slots", auth=StaffSession(Action.BOOKING_CREATE),
            response={200: SlotsOut, 401: Problem, 403: Problem, 422: Problem},
            url_name="slots", summary="空いている予約枠を探す")
def slots(request, query: Query[SlotQuery]):
    """The first free slots (booth, a staff member of the section, every other participant
    all free), from ``from`` (default: now), at most ``limit``."""
    place = _centre(query.centre)
    unit = _section(query.section, place)
    if query.booth_required and place is None:
        raise _invalid(_("相談ブースを使う場合は centre（region/district）を指定してください。"))
    found = selectors.find_slots(
        section=unit, centre=place, staff=_user(query.staff) if query.staff else None,
        other_users=[_user(name.strip()) for name in query.others.split(",") if name.strip()],
        booth_required=query.booth_required, start_from=query.start_from, limit=query.limit)
    return {"slots": [_slot(s) for s in found]}


@router.post("/bookings", auth=StaffSession(Action.BOOKING_CREATE),
             response={201: BookingOut, 401: Problem, 403: Problem, 409: UnavailableOut,
                       422: Problem},
             url_name="booking_create", summary="予約する")
def create(request, payload: BookingIn):
    """Book a slot. The same ``idempotency_key`` from the same user returns the booking
    made the first time. 409: not free (``next_free``); 422: not bookable (reason)."""
    place = _centre(payload.centre)
    start = payload.start
    if timezone.is_naive(start):
        start = timezone.make_aware(start, tz())
    booth = None
    if payload.booth is not None:
        booth = Booth.objects.select_related("centre").filter(pk=payload.booth).first()
        if booth is None:
            raise _invalid(_("相談ブースが見つかりません。"))
    try:
        booking = services.booking_create(
            section=_section(payload.section, place), start=start, centre=place, booth=booth,
            staff=_user(payload.staff) if payload.staff else None,
            other_users=[_user(name) for name in payload.other_users],
            booth_required=payload.booth_required,
            guests=[g.model_dump() for g in payload.guests], title=payload.title,
            by=request.user, idempotency_key=payload.idempotency_key or None)
    except SlotUnavailable as error:
        return Status(409, {"detail": error.message, "code": error.code,
                            "next_free": _slot(error.next_free)})
    except BookingRejected as error:
        return Status(422, {"detail": error.message, "code": error.code})
    except PermissionDenied as error:
        raise HttpError(403, str(error) or FORBIDDEN) from None
    return Status(201, _booking(booking))


def _visible(request, public_id: uuid.UUID) -> Booking:
    try:
        return selectors.booking_for(user=request.user, public_id=public_id)
    except Http404:
        raise HttpError(404, str(NOT_FOUND)) from None


@router.get("/bookings/{uuid:public_id}", auth=StaffSession(Action.BOOKING_VIEW),
            response={200: BookingOut, 401: Problem, 403: Problem, 404: Problem},
            url_name="booking_detail", summary="予約の詳細")
def detail(request, public_id: uuid.UUID):
    """The booking (audited as a view: its title and guests' names)."""
    booking = selectors.booking_shown(user=request.user, booking=_visible(request, public_id),
                                      source="api:booking_detail")
    return _booking(booking)


@router.post("/bookings/{uuid:public_id}/cancel", auth=StaffSession(Action.BOOKING_CANCEL),
             response={200: BookingOut, 401: Problem, 403: Problem, 404: Problem, 422: Problem},
             url_name="booking_cancel", summary="予約を取り消す")
def cancel(request, public_id: uuid.UUID, payload: CancelIn):
    """Cancel with a reason; the other participants are told."""
    booking = _visible(request, public_id)
    if not can(request.user, Action.BOOKING_CANCEL, booking):
        raise HttpError(403, FORBIDDEN)
    try:
        with transaction.atomic():
            booking = services.booking_cancel(booking=booking, by=request.user,
                                              reason=payload.reason)
            selectors.booking_shown(user=request.user, booking=booking,
                                    source="api:booking_cancel", changed=CANCEL_FIELDS)
    except BookingRejected as error:
        return Status(422, {"detail": error.message, "code": error.code})
    return _booking(booking)
