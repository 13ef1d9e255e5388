"""Booking boards: the centre's day board, a section's week, one's agenda.

Each list is loaded in a fixed number of queries whatever the number of bookings
(bookings, their participants, which residents the viewer may see, one audit INSERT).
A resident's name is shown only to staff the policy lets see that resident; everyone
else sees "区民（非表示）". Every resident name shown is written to the audit trail."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.models import User
from madoguchi.accounts.policy import (
    memberships,
    own_district_ids,
    own_section_ids,
    visible_residents,
)
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.organisation.models import Booth, DistrictCentre, Section
from madoguchi.people.models import Resident
from madoguchi.scheduling.models import (
    Booking,
    BookingStatus,
    Participant,
    ParticipantKind,
)

AGENDA_LIMIT = 100

# Which bookings' video call a user may enter, for the agenda: registered by meetings
# (MeetingsConfig.ready), which scheduling does not import.
RoomEntry = Callable[[User, list[Booking]], set[int]]
_room_entry: list[RoomEntry] = []


def room_entry_register(entry: RoomEntry) -> None:
    if entry not in _room_entry:
        _room_entry.append(entry)


@dataclass
class Person:
    label: str
    organisation: str = ""
    remote: bool = False
    hidden: bool = False


@dataclass
class BookingRow:
    booking: Booking
    moved: bool
    residents: list[Person] = field(default_factory=list)
    staff: list[Person] = field(default_factory=list)
    guests: list[Person] = field(default_factory=list)
    me_remote: bool = False  # the viewer takes part from elsewhere
    may_enter: bool = False  # the viewer may enter the video call (agenda only)

    @property
    def status(self) -> str:
        if self.booking.status in (BookingStatus.BOOKED, BookingStatus.FINISHED):
            return self.booking.status
        return "moved" if self.moved else "cancelled"

    @property
    def status_label(self) -> str:
        return {"booked": _("予約済み"), "finished": _("終了"), "moved": _("日時変更により取消し"),
                "cancelled": _("取消し")}[self.status]

    @property
    def place(self) -> str:
        b = self.booking
        if b.centre_id is None:
            return _("オンライン（会場なし）")
        return f"{b.centre.label} {b.booth.label}" if b.booth_id else b.centre.label


def local_day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_default_timezone()
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min), tz)
    end = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min), tz)
    return start, end


def _bookings():
    moved = Booking.objects.filter(rescheduled_from=OuterRef("pk"))
    return (Booking.objects.select_related("section", "centre", "booth")
            .annotate(moved=Exists(moved)))


def _rows(*, user: User, bookings: list[Booking], source: str) -> list[BookingRow]:
    """Rows with participants: three more queries at most, whatever the number."""
    if not bookings:
        return []
    by_booking: dict[int, list[Participant]] = defaultdict(list)
    participants = (Participant.objects.filter(booking_id__in=[b.pk for b in bookings])
                    .select_related("user", "resident").order_by("pk"))
    for participant in participants:
        by_booking[participant.booking_id].append(participant)
    resident_ids = {p.resident_id for ps in by_booking.values() for p in ps if p.resident_id}
    visible: set[int] = set()
    if resident_ids:
        visible = set(visible_residents(user, Resident.objects.filter(pk__in=resident_ids))
                      .values_list("pk", flat=True))
    rows: list[BookingRow] = []
    shown: dict[int, Resident] = {}
    for booking in bookings:
        row = BookingRow(booking=booking, moved=bool(getattr(booking, "moved", False)))
        for p in by_booking.get(booking.pk, []):
            if p.user_id is not None and p.user_id == user.pk:
                row.me_remote = bool(p.remote)
            if p.kind == ParticipantKind.RESIDENT:
                if p.resident_id in visible:
                    shown[p.resident_id] = p.resident
                    row.residents.append(Person(p.resident.full_name, remote=bool(p.remote)))
                else:
                    row.residents.append(Person(_("区民（非表示）"), remote=bool(p.remote),
                                                hidden=True))
            elif p.kind == ParticipantKind.STAFF:
                name = str(p.user) if p.user_id else p.name
                row.staff.append(Person(name, p.organisation, remote=bool(p.remote)))
            else:
                row.guests.append(Person(p.name or _("参加者"), p.organisation,
                                         remote=bool(p.remote)))
        rows.append(row)
    if shown:
        audit.record_many(actor=user, action=AuditAction.LIST, record_type="resident",
                          records=[(r.pk, r.public_id) for r in shown.values()], source=source)
    return rows


# The centre's day board ---------------------------------------------------------------

@dataclass
class BoothDay:
    booth: Booth | None
    rows: list[BookingRow]


@dataclass
class DayBoard:
    centre: DistrictCentre
    day: dt.date
    booths: list[BoothDay]

    @property
    def count(self) -> int:
        return sum(1 for b in self.booths for r in b.rows if r.status == BookingStatus.BOOKED)


def own_centres(user: User) -> list[DistrictCentre]:
    """The centres whose board ``user`` may see: those of the districts they staff."""
    return list(DistrictCentre.objects.select_related("district__region")
                .filter(district_id__in=own_district_ids(user)))


def board_centre(*, user: User, region: str, district: str,
                 centres: list[DistrictCentre] | None = None) -> DistrictCentre:
    """One of ``user``'s own centres by its district's codes, else 404 (other centres'
    boards are not theirs to see)."""
    for centre in own_centres(user) if centres is None else centres:
        if centre.district.code == district and centre.district.region.code == region:
            return centre
    raise Http404


def day_board(*, user: User, centre: DistrictCentre, day: dt.date, source: str) -> DayBoard:
    start, end = local_day_bounds(day)
    bookings = list(_bookings()
                    .filter(Q(centre=centre) | Q(booth__centre=centre))
                    .filter(start__lt=end, end__gt=start)
                    .order_by("start", "pk"))
    rows = _rows(user=user, bookings=bookings, source=source)
    booth_ids = {b.booth_id for b in bookings if b.booth_id}
    booths = list(Booth.objects.filter(Q(centre=centre, is_active=True) | Q(pk__in=booth_ids))
                  .order_by("name"))
    by_booth: dict[int | None, list[BookingRow]] = defaultdict(list)
    for row in rows:
        by_booth[row.booking.booth_id].append(row)
    days = [BoothDay(booth, by_booth.get(booth.pk, [])) for booth in booths]
    if by_booth.get(None):
        days.append(BoothDay(None, by_booth[None]))
    return DayBoard(centre=centre, day=day, booths=days)


# A section's calendar -------------------------------------------------------------------

def calendar_sections(user: User) -> list[Section]:
    """The sections whose calendar ``user`` may see: where they are section staff/manager."""
    sections = own_section_ids(user)
    return [m.unit for m in memberships(user) if m.unit_id in sections]


def calendar_section(*, user: User, section_id: int) -> Section:
    for section in calendar_sections(user):
        if section.pk == section_id:
            return section
    raise Http404


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@dataclass
class CalendarDay:
    day: dt.date
    rows: list[BookingRow]


def section_week(*, user: User, section: Section, monday: dt.date,
                 source: str) -> list[CalendarDay]:
    """Monday to Friday always, Saturday and Sunday only when something is booked."""
    start, _ = local_day_bounds(monday)
    _, end = local_day_bounds(monday + dt.timedelta(days=6))
    bookings = list(_bookings().filter(section=section, start__lt=end, end__gt=start)
                    .order_by("start", "pk"))
    by_day: dict[dt.date, list[BookingRow]] = defaultdict(list)
    for row in _rows(user=user, bookings=bookings, source=source):
        by_day[timezone.localtime(row.booking.start).date()].append(row)
    days = []
    for offset in range(7):
        day = monday + dt.timedelta(days=offset)
        if offset < 5 or by_day.get(day):
            days.append(CalendarDay(day, by_day.get(day, [])))
    return days


# One's own agenda -----------------------------------------------------------------------

@dataclass
class Agenda:
    rows: list[BookingRow]
    more: bool


def agenda(*, user: User, source: str, now: dt.datetime | None = None,
           limit: int = AGENDA_LIMIT) -> Agenda:
    """The user's bookings that have not ended yet, soonest first."""
    now = now or timezone.now()
    mine = Participant.objects.filter(booking=OuterRef("pk"), user=user)
    bookings = list(_bookings().filter(Exists(mine), status=BookingStatus.BOOKED, end__gt=now)
                    .order_by("start", "pk")[:limit + 1])
    rows = _rows(user=user, bookings=bookings[:limit], source=source)
    enterable: set[int] = set()
    for entry in _room_entry:
        enterable |= entry(user, bookings[:limit])
    for row in rows:
        row.may_enter = row.booking.pk in enterable
    return Agenda(rows=rows, more=len(bookings) > limit)
