"""The slot-search problem as plain data, with no database and no Django.

Both the fast search (slots.py) and the naive reference (naive.py) read this, so that a
property test can compare them on random calendars. Times are whole seconds: instants
since the epoch, times of day as seconds after local midnight.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

Interval = tuple[int, int]  # half-open [start, end)


@dataclass(frozen=True)
class ResourceCalendar:
    """One booth or person: working hours per weekday, times it is busy, bookings held."""

    key: int  # the booth's or user's pk
    hours: Mapping[int, tuple[Interval, ...]]  # weekday (Mon=0) -> seconds after midnight
    busy: tuple[Interval, ...] = ()  # absences and active allocations, epoch seconds
    load: int = 0  # bookings in the horizon; the least loaded is chosen first


@dataclass(frozen=True)
class Day:
    date: dt.date
    midnight: int  # epoch seconds of local midnight
    window: Interval | None  # when anyone may be booked (centre hours); None = closed


@dataclass(frozen=True)
class Problem:
    """Find the first ``limit`` starts ``t`` on the grid (``step`` after local midnight),
    ``t >= earliest``, inside an open day's window, at which every pool has a member free
    for ``[t, t + duration + buffer)``. A pool is a set of alternatives (any booth of the
    centre, any staff member of the section) or a single required resource."""

    days: tuple[Day, ...]
    pools: tuple[tuple[ResourceCalendar, ...], ...]
    earliest: int
    duration: int
    buffer: int = 0
    step: int = 1800
    limit: int = 10
    members_order: tuple[tuple[ResourceCalendar, ...], ...] = field(init=False)

    def __post_init__(self) -> None:
        # Within a pool, the least loaded member is preferred (fair spread), then by key.
        order = tuple(tuple(sorted(pool, key=lambda r: (r.load, r.key))) for pool in self.pools)
        object.__setattr__(self, "members_order", order)

    @property
    def need(self) -> int:
        return self.duration + self.buffer


@dataclass(frozen=True)
class Choice:
    start: int
    members: tuple[int, ...]  # the key chosen in each pool, in pool order
