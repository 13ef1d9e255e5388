"""Reads of the scheduling context: slot search and bookings a user may see."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.models import User
from madoguchi.accounts.policy import (
    Action,
    can,
    memberships,
    own_district_ids,
    own_section_ids,
    visible_residents,
)
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.organisation.models import Booth, DistrictCentre, Section
from madoguchi.people.models import Resident
from madoguchi.scheduling import slots
from madoguchi.scheduling.availability import (
    CHUNK_DAYS,
    Calendars,
    Pool,
    centre_booths,
    local,
    midnight,
    schedule_for,
    section_staff,
)
from madoguchi.scheduling.models import (
    Allocation,
    Booking,
    BookingStatus,
    Participant,
    ParticipantKind,
    SectionSchedule,
)
from madoguchi.scheduling.problem import Choice

HORIZON_DAYS = 56
RECORD = "booking"  # the audit trail's record type


@dataclass(frozen=True)
class Slot:
    start: dt.datetime
    end: dt.datetime
    booth: Booth | None
    staff: User  # the section's staff member: the named one, or the least loaded free one


@dataclass(frozen=True)
class SlotSpec:
    """What every slot of one search needs: pools in the order booth?, staff, others."""

    section: Section
    schedule: SectionSchedule
    centre: DistrictCentre | None
    pools: tuple[Pool, ...]

    def slot(self, choice: Choice) -> Slot:
        picked = {}
        for pool, key in zip(self.pools, choice.members, strict=True):
            picked.setdefault(pool.role, next(m for m in pool.members if m.pk == key))
        start = local(dt.datetime.fromtimestamp(choice.start, tz=dt.UTC))
        return Slot(start=start, end=start + dt.timedelta(minutes=self.schedule.duration_minutes),
                    booth=picked.get("booth"), staff=picked["staff"])

    @property
    def staff_pool(self) -> Pool:
        return next(p for p in self.pools if p.role == "staff")


def slot_spec(*, section: Section, centre: DistrictCentre | None = None,
              staff: User | None = None, other_users: Iterable[User] = (),
              booth_required: bool = True, booth: Booth | None = None,
              booths: Sequence[Booth] | None = None) -> SlotSpec:
    """The pools a slot needs. Raises ValueError when a booth is needed but no centre given.
    ``booths``: the centre's active booths, if the caller has them."""
    if booth is not None:
        centre = booth.centre
    pools = []
    if booth is not None:
        pools.append(Pool("booth", (booth,), "booth"))
    elif booth_required:
        if centre is None:
            raise ValueError("a booth is required but no centre was given")
        pools.append(Pool("booth", tuple(centre_booths(centre) if booths is None else booths),
                          "booth"))
    others = unique_users(other_users)
    if staff is not None:
        pools.append(Pool("person", (staff,), "staff"))
    else:
        pools.append(Pool("person", tuple(u for u in section_staff(section)
                                        if u.pk not in {o.pk for o in others}), "staff"))
    pools.extend(Pool("person", (user,), "other") for user in others
                 if staff is None or user.pk != staff.pk)
    return SlotSpec(section=section, schedule=schedule_for(section), centre=centre,
                    pools=tuple(pools))


def unique_users(users: Iterable[User]) -> list[User]:
    seen, out = set(), []
    for user in users:
        if user.pk not in seen:
            seen.add(user.pk)
            out.append(user)
    return out


def _as_datetime(value: dt.date | dt.datetime | None) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    return midnight(value)


def calendars_for(spec: SlotSpec, *, first_day: dt.date, now: dt.datetime,
                  horizon_days: int = HORIZON_DAYS, exceptions: dict | None = None
                  ) -> Calendars:
    """``exceptions``: the closed days from ``first_day`` over the horizon, if loaded.
    The busy times of the first chunk are read with the resources (every search and
    check needs them)."""
    last_day = first_day + dt.timedelta(days=horizon_days - 1)
    return Calendars(pools=spec.pools, centre=spec.centre, schedule=spec.schedule,
                     first_day=first_day, last_day=last_day,
                     loads_between=(now, midnight(last_day + dt.timedelta(days=1))),
                     exceptions=exceptions, busy_from=midnight(first_day))


def search(spec: SlotSpec, *, start_from: dt.date | dt.datetime | None = None, limit: int = 10,
           horizon_days: int = HORIZON_DAYS, now: dt.datetime | None = None,
           calendars: Calendars | None = None) -> list[Slot]:
    """The first ``limit`` slots of ``spec``; ``calendars`` (loaded for the same spec,
    starting on the search's first day) saves loading them again."""
    if any(not pool.members for pool in spec.pools) or limit <= 0:
        return []
    now = now or timezone.now()
    earliest = max(now + dt.timedelta(minutes=spec.schedule.min_notice_minutes),
                   _as_datetime(start_from) or now)
    first_day = local(earliest).date()
    if calendars is None or calendars.first_day != first_day:
        calendars = calendars_for(spec, first_day=first_day, now=now,
                                  horizon_days=horizon_days)
    last_day = calendars.last_day
    found: list[Slot] = []
    day = first_day
    while day <= last_day and len(found) < limit:
        days = min(CHUNK_DAYS, (last_day - day).days + 1)
        problem = calendars.problem(first=day, days=days, earliest=earliest,
                                    limit=limit - len(found))
        found.extend(spec.slot(choice) for choice in slots.search(problem))
        day += dt.timedelta(days=days)
    return found


def find_slots(*, section: Section, centre: DistrictCentre | None = None,
               staff: User | None = None, other_users: Sequence[User] = (),
               booth_required: bool = True, start_from: dt.date | dt.datetime | None = None,
               limit: int = 10, horizon_days: int = HORIZON_DAYS, booth: Booth | None = None,
               now: dt.datetime | None = None) -> list[Slot]:
    """The first ``limit`` slots at which the booth (the given one, or any active booth of
    the centre), a staff member of ``section`` (``staff``, or the least loaded free one)
    and every one of ``other_users`` are free, from ``start_from`` (a date: its start;
    never before now plus the section's minimum notice) within ``horizon_days``."""
    spec = slot_spec(section=section, centre=centre, staff=staff, other_users=other_users,
                     booth_required=booth_required, booth=booth)
    return search(spec, start_from=start_from, limit=limit, horizon_days=horizon_days, now=now)


@dataclass(frozen=True)
class StartCheck:
    slot: Slot | None
    blocked: tuple[Pool, ...]  # pools with no member free (empty when slot is set)
    calendars: Calendars | None = None  # loaded from the start's day, for a next-free search


def check_start(spec: SlotSpec, start: dt.datetime, *, now: dt.datetime | None = None,
                exceptions: dict | None = None) -> StartCheck:
    """Whether a booking can start at ``start`` (hours, closed days and grid are checked
    by the caller); which pools block it if not. ``exceptions``: the closed days from
    the start's day over the horizon, if the caller loaded them."""
    if any(not pool.members for pool in spec.pools):
        return StartCheck(None, tuple(p for p in spec.pools if not p.members))
    now = now or timezone.now()
    day = local(start).date()
    calendars = calendars_for(spec, first_day=day, now=now, exceptions=exceptions)
    problem = calendars.problem(first=day, days=1, earliest=start, limit=1)
    choices = slots.search(problem)
    epoch = int(start.timestamp())
    if choices and choices[0].start == epoch:
        return StartCheck(spec.slot(choices[0]), (), calendars)
    blocked = slots.blocked_pools(problem, epoch)
    return StartCheck(None, tuple(spec.pools[i] for i in blocked) or spec.pools, calendars)


def booking_for(*, user: User, public_id: uuid.UUID) -> Booking:
    """The booking, if ``user`` may see it; Http404 otherwise (no hint that it exists).
    Not audited: a caller that shows it calls ``booking_shown``."""
    booking = (Booking.objects.select_related("section", "centre__district__region", "booth",
                                              "created_by", "cancelled_by")
               .filter(public_id=public_id).first())
    if booking is None or not can(user, Action.BOOKING_VIEW, booking):
        raise Http404
    return booking


def booking_shown(*, user: User, booking: Booking, source: str,
                  changed: Sequence[str] = ()) -> Booking:
    """Audit an answer that shows ``booking`` (title, guests' names) as a view — or, with
    ``changed`` field names, as the change it answers — naming the resident taking part."""
    resident = (booking.participants.filter(kind=ParticipantKind.RESIDENT)
                .values_list("resident__public_id", flat=True).first())
    audit.record(actor=user, action=AuditAction.UPDATE if changed else AuditAction.VIEW,
                 record_type=RECORD, record_id=booking.pk, resident_ref=str(resident or ""),
                 source=source, fields=changed)
    return booking


def participants_of(booking: Booking):
    return booking.participants.select_related("user").order_by("pk")


# ── Booking boards: the centre's day board, a section's week, one's agenda ────────────
# Each list is loaded in a fixed number of queries whatever the number of bookings
# (bookings, their participants, which residents the viewer may see, one audit INSERT).
# A resident's name is shown only to staff the policy lets see that resident; everyone
# else sees "区民（非表示）". Every resident name shown is written to the audit trail.

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


def resource_busy(*, kind: str, owner_ids, lo: dt.datetime, hi: dt.datetime
                  ) -> dict[int, list[tuple[dt.datetime, dt.datetime]]]:
    """The active allocations of the ``kind``'s resources owned by ``owner_ids`` that
    overlap ``[lo, hi)``, by owner id (one query): what an owning app's availability page
    shows (community rooms, equipment; ADR 0040)."""
    busy: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {}
    rows = Allocation.objects.filter(
        resource__kind=kind, resource__owner_id__in=list(owner_ids), active=True,
        start__lt=hi, end__gt=lo).values_list("resource__owner_id", "start", "end")
    for owner_id, start, end in rows:
        busy.setdefault(owner_id, []).append((start, end))
    return busy
