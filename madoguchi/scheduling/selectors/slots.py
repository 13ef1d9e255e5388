"""Slot search: the pools a slot needs, the first free slots, and whether one start is free."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils import timezone

from madoguchi.accounts.models import User
from madoguchi.organisation.models import Booth, DistrictCentre, Section
from madoguchi.scheduling import slots
from madoguchi.scheduling.availability import (
    CHECK_DAYS,
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
    SectionSchedule,
)
from madoguchi.scheduling.problem import Choice

HORIZON_DAYS = 56


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
                  horizon_days: int = HORIZON_DAYS, exceptions: dict | None = None,
                  busy_days: int = CHUNK_DAYS) -> Calendars:
    """``exceptions``: the closed days from ``first_day`` over the horizon, if loaded.
    The busy times of the first chunk are read with the resources (every search and
    check needs them)."""
    last_day = first_day + dt.timedelta(days=horizon_days - 1)
    return Calendars(pools=spec.pools, centre=spec.centre, schedule=spec.schedule,
                     first_day=first_day, last_day=last_day,
                     loads_between=(now, midnight(last_day + dt.timedelta(days=1))),
                     exceptions=exceptions, busy_from=midnight(first_day),
                     busy_days=busy_days)


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
    # When the start is not free: the next free slot, if found in the days the check read
    # (its first chunk); None: not looked for beyond them (search with ``calendars``).
    next_free: Slot | None = None


def check_start(spec: SlotSpec, start: dt.datetime, *, now: dt.datetime | None = None,
                exceptions: dict | None = None) -> StartCheck:
    """Whether a booking can start at ``start`` (hours, closed days and grid are checked
    by the caller); which pools block it if not, and the next free slot within the days
    read for the check (the same pass: a refusal names it). ``exceptions``: the closed
    days from the start's day over the horizon, if the caller loaded them."""
    if any(not pool.members for pool in spec.pools):
        return StartCheck(None, tuple(p for p in spec.pools if not p.members))
    now = now or timezone.now()
    day = local(start).date()
    calendars = calendars_for(spec, first_day=day, now=now, exceptions=exceptions,
                              busy_days=CHECK_DAYS)
    problem = calendars.problem(first=day, days=min(CHECK_DAYS, (calendars.last_day - day).days
                                                    + 1), earliest=start, limit=1)
    epoch = int(start.timestamp())
    first, blocked = slots.check(problem, epoch)
    if first is not None and first.start == epoch:
        return StartCheck(spec.slot(first), (), calendars)
    return StartCheck(None, tuple(spec.pools[i] for i in blocked) or spec.pools, calendars,
                      next_free=spec.slot(first) if first is not None else None)
