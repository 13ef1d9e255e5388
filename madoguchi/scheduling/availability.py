"""Who is free when: turns the database (working hours, absences, allocations, closed
days, centre hours) into a ``problem.Problem`` for a window of days.

Rules:
- Closed days come from ``core.dates`` (holidays, 年末年始, the ward's exceptions). With a
  centre, only its open weekdays between its opening and closing time can be booked.
- A resource without working-hours rows has its kind's hours (``scheduling.kinds``:
  people the ward's standard hours, Mon–Fri 8:30–17:15; a booth whenever its centre is
  open).
- A booking holds its resources from its start to its end plus the section's buffer; the
  buffer is working time (notes after the call), so it must fit in the hours too.
- Staff of a section: current members with role section_staff / section_manager (branch
  and head-office sections) or partner_staff (partner and specialist units) in it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone

from madoguchi.accounts.models import Membership, Role, User
from madoguchi.core.dates import closed_reason, is_open_day, load_exceptions
from madoguchi.organisation.models import Booth, DistrictCentre, Section
from madoguchi.scheduling import kinds
from madoguchi.scheduling.busy_sql import (
    as_time,
    busy_rows,
    by_resource,
    epoch_ceil,
    epoch_floor,
    resource_and_busy_rows,
    resource_rows,
)
from madoguchi.scheduling.models import (
    Resource,
    SectionSchedule,
)
from madoguchi.scheduling.problem import Day, Interval, Problem, ResourceCalendar

SECTION_STAFF_ROLES = (Role.SECTION_STAFF, Role.SECTION_MANAGER, Role.PARTNER_STAFF)
CHUNK_DAYS = 14  # days of busy time loaded per query; most searches need one
# Days a check of one start reads and looks through for the next free slot in the same
# pass: the start's day and the week after it, where a refused start's next free slot
# nearly always is (beyond it, the refusal searches on with the same calendars).
CHECK_DAYS = 7


def tz() -> ZoneInfo:
    """The ward's time zone (``TIME_ZONE``; Django keeps it, and forgets it when a test
    changes the setting)."""
    return timezone.get_default_timezone()


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
    """Alternatives of which one must be free (one member = required), all of one kind."""

    kind: str  # a registered kind's code ("booth", "person", …)
    members: tuple  # instances of the kind's owner model
    role: str  # "booth", "staff" or "other" (how the slot and messages name it)


def resources_of(pools: Sequence[Pool]):
    """The existing ``Resource`` rows of the pools' members (a member without one has never
    been booked and has its kind's hours)."""
    owners: dict[str, set[int]] = defaultdict(set)
    for pool in pools:
        owners[pool.kind].update(m.pk for m in pool.members)
    condition = Q(pk__in=[])
    for kind, keys in owners.items():
        condition |= Q(kind=kind, owner_id__in=keys)
    return Resource.objects.filter(condition).order_by()


_CENTRE_HOURS: dict[tuple, tuple[tuple[int, ...], int, int]] = {}


def _centre_hours(centre: DistrictCentre) -> tuple[tuple[int, ...], int, int]:
    """A centre's open weekdays, opening and closing second, worked out once per value of
    its three columns (every check builds them)."""
    key = (centre.open_weekdays, centre.opens_at, centre.closes_at)
    hours = _CENTRE_HOURS.get(key)
    if hours is None:
        if len(_CENTRE_HOURS) >= 1_024:
            _CENTRE_HOURS.clear()
        hours = _CENTRE_HOURS[key] = (tuple(sorted(centre.weekdays)),
                                      seconds_of(centre.opens_at), seconds_of(centre.closes_at))
    return hours


@lru_cache(maxsize=16_384)
def _day(day: dt.date, hours: tuple[tuple[int, ...], int, int] | None,
         exception: tuple[str, str] | None) -> Day:
    """A day of a search: its local midnight and when it can be booked (``hours``: the
    centre's open weekdays, opening and closing second; None: any time on an open day),
    given the day's closed-day exception. Pure, so kept: a search builds the same days for
    every attempt."""
    exceptions = {day: exception} if exception is not None else {}
    if hours is not None:
        weekdays, opens, closes = hours
        window = ((opens, closes)
                  if is_open_day(day, weekdays=weekdays, exceptions=exceptions) else None)
    else:
        window = None if closed_reason(day, exceptions=exceptions) else (0, 86_400)
    return Day(date=day, midnight=epoch_floor(midnight(day)), window=window)


class Calendars:
    """Loads what a search over ``pools`` needs; the busy times lazily per window."""

    def __init__(self, *, pools: Sequence[Pool], centre: DistrictCentre | None,
                 schedule: SectionSchedule, first_day: dt.date, last_day: dt.date,
                 loads_between: tuple[dt.datetime, dt.datetime] | None = None,
                 exceptions: dict | None = None, busy_from: dt.datetime | None = None,
                 busy_days: int = CHUNK_DAYS) -> None:
        """``busy_from``: read the busy times of the chunk from then with the resources
        (one round trip on PostgreSQL) rather than when a problem first needs them."""
        self.pools = list(pools)
        self.centre = centre
        self.first_day, self.last_day = first_day, last_day
        self.duration = schedule.duration_minutes * 60
        self.buffer = schedule.buffer_minutes * 60
        self.step = grid_minutes(schedule.duration_minutes) * 60
        self.busy_days = busy_days  # days of busy time read at once
        self.resource_of: dict[tuple[str, int], int] = {}
        rows: dict[int, dict[int, list[Interval]]] = defaultdict(lambda: defaultdict(list))
        multi = {(p.kind, m.pk) for p in self.pools if len(p.members) > 1 for m in p.members}
        self.loads: dict[int, int] = {}
        self._loaded: tuple[dt.datetime, dt.datetime, dict[int, list[Interval]]] | None = None
        if busy_from is not None:
            lo, hi = self._chunk(busy_from, busy_from)
            found, busy = resource_and_busy_rows(
                self.pools, loads_between if multi else None, lo, hi)
            self._loaded = (lo, hi, busy)
        else:
            found = resource_rows(self.pools, loads_between if multi else None)
        for pk, kind, owner_id, weekday, start, end, load in found:
            self.resource_of[(kind, owner_id)] = pk
            if (kind, owner_id) in multi:
                self.loads[pk] = load
            if weekday is not None:
                rows[pk][weekday].append((seconds_of(as_time(start)), seconds_of(as_time(end))))
        self.hours = {rid: {wd: tuple(iv) for wd, iv in by_day.items()}
                      for rid, by_day in rows.items()}
        # The caller may have loaded the closed days already (for these days or more).
        self.exceptions = (exceptions if exceptions is not None
                           else load_exceptions(first_day, last_day))
        self._centre_hours = None if centre is None else _centre_hours(centre)

    def _day(self, day: dt.date) -> Day:
        return _day(day, self._centre_hours, self.exceptions.get(day))

    def _busy(self, lo: dt.datetime, hi: dt.datetime) -> dict[int, list[Interval]]:
        """Busy times over at least ``[lo, hi)``: a whole chunk is read at once and kept, so
        that checking one start and then looking for the next free slot read it once
        (intervals outside a problem's days are ignored by the search)."""
        if self._loaded is not None and self._loaded[0] <= lo and hi <= self._loaded[1]:
            return self._loaded[2]
        lo, hi = self._chunk(lo, hi)
        busy = self._read_busy(lo, hi)
        self._loaded = (lo, hi, busy)
        return busy

    def _chunk(self, lo: dt.datetime, hi: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
        return lo, max(hi, min(lo + dt.timedelta(days=self.busy_days),
                               midnight(self.last_day + dt.timedelta(days=1))))

    def _read_busy(self, lo: dt.datetime, hi: dt.datetime) -> dict[int, list[Interval]]:
        ids = list(self.resource_of.values())
        return by_resource(busy_rows(ids, lo, hi)) if ids else {}

    def _calendar(self, kind: str, member, busy) -> ResourceCalendar:
        resource_id = self.resource_of.get((kind, member.pk))
        default = kinds.get(kind).hours
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
            days=tuple(self._day(d) for d in dates),
            pools=tuple(tuple(self._calendar(p.kind, m, busy) for m in p.members)
                        for p in self.pools),
            earliest=epoch_ceil(earliest), duration=self.duration, buffer=self.buffer,
            step=self.step, limit=limit,
        )
