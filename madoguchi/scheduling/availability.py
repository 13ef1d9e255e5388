"""Who is free when: turns the database (working hours, absences, allocations, closed
days, centre hours) into a ``problem.Problem`` for a window of days.

Rules:
- Closed days come from ``core.dates`` (holidays, 年末年始, the ward's exceptions). With a
  centre, only its open weekdays between its opening and closing time can be booked.
- A resource without working-hours rows works the ward's standard hours (Mon–Fri,
  8:30–17:15); a booth without rows is bookable whenever its centre is open.
- A booking holds its resources from its start to its end plus the section's buffer; the
  buffer is working time (notes after the call), so it must fit in the hours too.
- Staff of a section: current members with role section_staff / section_manager (branch
  and head-office sections) or partner_staff (partner and specialist units) in it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q

from madoguchi.accounts.models import Membership, Role, User
from madoguchi.core.dates import closed_reason, is_open_day, load_exceptions
from madoguchi.organisation.models import Booth, DistrictCentre, Section
from madoguchi.scheduling.models import (
    Absence,
    Allocation,
    Resource,
    SectionSchedule,
)
from madoguchi.scheduling.problem import Day, Interval, Problem, ResourceCalendar

STANDARD_HOURS: dict[int, tuple[Interval, ...]] = {
    weekday: ((8 * 3600 + 30 * 60, 17 * 3600 + 15 * 60),) for weekday in range(5)
}
WHOLE_DAY: dict[int, tuple[Interval, ...]] = {weekday: ((0, 86_400),) for weekday in range(7)}
SECTION_STAFF_ROLES = (Role.SECTION_STAFF, Role.SECTION_MANAGER, Role.PARTNER_STAFF)
CHUNK_DAYS = 14  # days of busy time loaded per query; most searches need one


def tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(tz())


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tz())


def seconds_of(t: dt.time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def schedule_for(section: Section) -> SectionSchedule:
    """The section's settings, or the defaults (30 minutes) when it has none."""
    try:
        return section.schedule
    except SectionSchedule.DoesNotExist:
        return SectionSchedule(section=section)


def grid_minutes(duration: int) -> int:
    """Slots start on the half hour; a length that is no multiple of 30 sets its own grid."""
    return 30 if duration % 30 == 0 else duration


def section_staff(section: Section) -> list[User]:
    members = (Membership.objects.current().filter(unit=section, role__in=SECTION_STAFF_ROLES)
               .values("user_id"))
    return list(User.objects.filter(pk__in=members, is_active=True).order_by("pk"))


def is_section_staff(section: Section, user: User) -> bool:
    return (Membership.objects.current()
            .filter(unit=section, role__in=SECTION_STAFF_ROLES, user=user).exists())


def centre_booths(centre: DistrictCentre) -> list[Booth]:
    return list(Booth.objects.filter(centre=centre, is_active=True).order_by("name", "pk"))


@dataclass(frozen=True)
class Pool:
    """Alternatives of which one must be free: booths or users (one member = required)."""

    kind: str  # "booth" or "user"
    members: tuple  # Booth or User instances
    role: str  # "booth", "staff" or "other" (how the slot and messages name it)


def _busy_rows(ids: list[int], lo: dt.datetime, hi: dt.datetime):
    """Absences and active allocations of ``ids`` overlapping ``[lo, hi)``, in one query.

    This is the hot path of every search: the rows are read with a plain cursor, so that
    each timestamp is parsed once (SQLite returns ISO text in UTC, PostgreSQL datetimes)
    instead of through the ORM's per-value converters."""
    absences = (Absence.objects.filter(resource_id__in=ids, start__lt=hi, end__gt=lo)
                .order_by().values_list("resource_id", "start", "end"))
    # An allocation lies within one day (slots never cross midnight), so the index on
    # (resource, active, start) can skip past bookings: start >= lo - 1 day.
    allocations = (Allocation.objects.filter(resource_id__in=ids, active=True, start__lt=hi,
                                             start__gte=lo - dt.timedelta(days=1), end__gt=lo)
                   .order_by().values_list("resource_id", "start", "end"))
    sql, params = absences.union(allocations, all=True).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [(rid, _aware(start), _aware(end)) for rid, start, end in rows]


def _aware(value) -> dt.datetime:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _epoch_floor(moment: dt.datetime) -> int:
    return math.floor(moment.timestamp())


def _epoch_ceil(moment: dt.datetime) -> int:
    return math.ceil(moment.timestamp())


class Calendars:
    """Loads what a search over ``pools`` needs; the busy times lazily per window."""

    def __init__(self, *, pools: Sequence[Pool], centre: DistrictCentre | None,
                 schedule: SectionSchedule, first_day: dt.date, last_day: dt.date,
                 loads_between: tuple[dt.datetime, dt.datetime] | None = None) -> None:
        self.pools = list(pools)
        self.centre = centre
        self.first_day, self.last_day = first_day, last_day
        self.duration = schedule.duration_minutes * 60
        self.buffer = schedule.buffer_minutes * 60
        self.step = grid_minutes(schedule.duration_minutes) * 60
        booth_ids = {m.pk for p in self.pools if p.kind == "booth" for m in p.members}
        user_ids = {m.pk for p in self.pools if p.kind == "user" for m in p.members}
        self.resource_of: dict[tuple[str, int], int] = {}
        rows: dict[int, dict[int, list[Interval]]] = defaultdict(lambda: defaultdict(list))
        for pk, booth_id, user_id, weekday, start, end in Resource.objects.filter(
                Q(booth_id__in=booth_ids) | Q(user_id__in=user_ids)
        ).order_by().values_list("pk", "booth_id", "user_id", "working_hours__weekday",
                                 "working_hours__start", "working_hours__end"):
            self.resource_of[("booth", booth_id) if booth_id else ("user", user_id)] = pk
            if weekday is not None:
                rows[pk][weekday].append((seconds_of(start), seconds_of(end)))
        self.hours = {rid: {wd: tuple(iv) for wd, iv in by_day.items()}
                      for rid, by_day in rows.items()}
        self.exceptions = load_exceptions(first_day, last_day)
        self.loads: dict[int, int] = {}
        multi = [self.resource_of[(p.kind, m.pk)] for p in self.pools if len(p.members) > 1
                 for m in p.members if (p.kind, m.pk) in self.resource_of]
        if multi and loads_between is not None:
            self.loads = dict(
                Allocation.objects.filter(resource_id__in=multi, active=True,
                                          start__gte=loads_between[0],
                                          start__lt=loads_between[1])
                .values("resource_id").annotate(n=Count("id")).values_list("resource_id", "n"))

    def _window(self, day: dt.date) -> Interval | None:
        if self.centre is not None:
            if not is_open_day(day, weekdays=self.centre.weekdays, exceptions=self.exceptions):
                return None
            return seconds_of(self.centre.opens_at), seconds_of(self.centre.closes_at)
        if closed_reason(day, exceptions=self.exceptions):
            return None
        return 0, 86_400

    def _busy(self, lo: dt.datetime, hi: dt.datetime) -> dict[int, list[Interval]]:
        ids = list(self.resource_of.values())
        busy: dict[int, list[Interval]] = defaultdict(list)
        if not ids:
            return busy
        for resource_id, start, end in _busy_rows(ids, lo, hi):
            busy[resource_id].append((_epoch_floor(start), _epoch_ceil(end)))
        return busy

    def _calendar(self, kind: str, member, busy) -> ResourceCalendar:
        resource_id = self.resource_of.get((kind, member.pk))
        default = WHOLE_DAY if kind == "booth" else STANDARD_HOURS
        return ResourceCalendar(
            key=member.pk,
            hours=self.hours.get(resource_id, default) if resource_id else default,
            busy=tuple(busy.get(resource_id, ())) if resource_id else (),
            load=self.loads.get(resource_id, 0) if resource_id else 0,
        )

    def problem(self, *, first: dt.date, days: int, earliest: dt.datetime,
                limit: int) -> Problem:
        dates = [first + dt.timedelta(days=i) for i in range(days)]
        busy = self._busy(midnight(dates[0]), midnight(dates[-1] + dt.timedelta(days=1)))
        return Problem(
            days=tuple(Day(date=d, midnight=_epoch_floor(midnight(d)), window=self._window(d))
                       for d in dates),
            pools=tuple(tuple(self._calendar(p.kind, m, busy) for m in p.members)
                        for p in self.pools),
            earliest=_epoch_ceil(earliest), duration=self.duration, buffer=self.buffer,
            step=self.step, limit=limit,
        )
