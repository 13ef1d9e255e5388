"""Bookings as the staff views show them: one's agenda and a centre's day board.

Same policy and selectors as the pages (``madoguchi.scheduling.selectors``): the role
gate is ``StaffSession``, the record-level rule (own centre only) answers 404.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy
from ninja import Router, Schema
from ninja.errors import HttpError

from madoguchi.accounts.policy import Action
from madoguchi.api.auth import StaffSession
from madoguchi.api.inputs import plausible
from madoguchi.core.problem import Problem
from madoguchi.scheduling import selectors

router = Router(tags=["bookings"])

CENTRE_NOT_FOUND = gettext_lazy("このまちづくりセンターの予定は表示できません。")
BAD_DATE = gettext_lazy("日付は YYYY-MM-DD（例：2026-06-01）の形で指定してください。")


class PersonOut(Schema):
    label: str
    organisation: str
    remote: bool
    hidden: bool


class BoardBookingOut(Schema):
    public_id: uuid.UUID
    start: dt.datetime
    end: dt.datetime
    status: str  # booked / cancelled / moved
    section: str
    centre: str | None
    booth: str | None
    residents: list[PersonOut]
    staff: list[PersonOut]
    guests: list[PersonOut]


class AgendaBookingOut(BoardBookingOut):
    me_remote: bool


class AgendaOut(Schema):
    bookings: list[AgendaBookingOut]
    more: bool


class BoothDayOut(Schema):
    booth: str | None
    bookings: list[BoardBookingOut]


class DayBoardOut(Schema):
    date: dt.date
    centre: str
    booths: list[BoothDayOut]


def _person(person: selectors.Person) -> dict:
    return {"label": person.label, "organisation": person.organisation,
            "remote": person.remote, "hidden": person.hidden}


def _booking(row: selectors.BookingRow) -> dict:
    b = row.booking
    return {
        "public_id": b.public_id, "start": timezone.localtime(b.start),
        "end": timezone.localtime(b.end), "status": row.status, "section": b.section.name,
        "centre": b.centre.name if b.centre_id else None,
        "booth": b.booth.name if b.booth_id else None,
        "residents": [_person(p) for p in row.residents],
        "staff": [_person(p) for p in row.staff],
        "guests": [_person(p) for p in row.guests],
        "me_remote": row.me_remote,
    }


@router.get("/agenda", auth=StaffSession(Action.AGENDA_VIEW),
            response={200: AgendaOut, 401: Problem, 403: Problem},
            url_name="agenda", summary="わたしの予定（これからの予約）")
def agenda(request):
    """The caller's bookings that have not ended yet, soonest first (at most 100)."""
    data = selectors.agenda(user=request.user, source="api:agenda")
    return {"bookings": [_booking(r) for r in data.rows], "more": data.more}


@router.get("/centres/{region}/{district}/day", auth=StaffSession(Action.BOARD_VIEW),
            response={200: DayBoardOut, 401: Problem, 403: Problem, 404: Problem, 422: Problem},
            url_name="centre_day", summary="まちづくりセンターの一日の予定")
def centre_day(request, region: str, district: str, date: str | None = None):
    """The day board of the caller's own centre; ``date`` is YYYY-MM-DD (default today)."""
    try:
        centre = selectors.board_centre(user=request.user, region=region, district=district)
    except Http404:
        raise HttpError(404, str(CENTRE_NOT_FOUND)) from None
    try:
        day = plausible(dt.date.fromisoformat(date)) if date else timezone.localdate()
    except ValueError:
        raise HttpError(422, str(BAD_DATE)) from None
    board = selectors.day_board(user=request.user, centre=centre, day=day,
                                source="api:centre_day")
    return {"date": day, "centre": centre.name,
            "booths": [{"booth": d.booth.name if d.booth else None,
                        "bookings": [_booking(r) for r in d.rows]} for d in board.booths]}
