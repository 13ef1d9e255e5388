"""Fast slot search by interval arithmetic (no minute grid).

Per day: each resource's free time is its working hours inside the day's window, minus
its busy intervals. The starts at which it can take the whole need (duration + buffer)
are ``[a, b - need]`` for each free ``[a, b)``. A pool (any booth, any staff member) can
start where any member can (union); a slot needs every pool (intersection). Grid points
in the result are the slots; per slot each pool gets its least loaded free member.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator

from madoguchi.scheduling.intervals import contains, intersect, merge, starts_fitting, subtract
from madoguchi.scheduling.problem import Choice, Day, Interval, Problem, ResourceCalendar

MemberStarts = tuple[int, list[Interval], list[int]]  # key, allowed starts, their starts


class _Busy:
    """A resource's busy time, merged once; sliced per day with bisect."""

    def __init__(self, busy) -> None:
        self.intervals = merge(busy)
        self.ends = [end for _, end in self.intervals]

    def within(self, lo: int, hi: int) -> list[Interval]:
        i = bisect_right(self.ends, lo)  # first interval ending after lo
        out = []
        while i < len(self.intervals) and self.intervals[i][0] < hi:
            out.append(self.intervals[i])
            i += 1
        return out


def _member_starts(member: ResourceCalendar, busy: _Busy, day: Day, need: int
                   ) -> list[Interval]:
    w_start, w_end = day.window  # type: ignore[misc]
    lo, hi = day.midnight + w_start, day.midnight + w_end
    hours = merge((day.midnight + max(a, w_start), day.midnight + min(b, w_end))
                  for a, b in member.hours.get(day.date.weekday(), ()))
    if not hours:
        return []
    free = subtract(hours, busy.within(lo, hi))
    return starts_fitting(free, need)


def day_starts(problem: Problem, day: Day, busy: dict[int, _Busy]
               ) -> list[list[MemberStarts]]:
    """For each pool (members in preference order): each member's allowed starts."""
    pools = []
    for pool in problem.members_order:
        members = []
        for member in pool:
            allowed = _member_starts(member, busy[id(member)], day, problem.need)
            members.append((member.key, allowed, [a for a, _ in allowed]))
        pools.append(members)
    return pools


def _common(problem: Problem, day: Day, pools: list[list[MemberStarts]]) -> list[Interval]:
    w_start, w_end = day.window  # type: ignore[misc]
    common = starts_fitting([(day.midnight + w_start, day.midnight + w_end)], problem.need)
    for members in pools:
        union = merge(iv for _, allowed, _ in members for iv in allowed)
        common = intersect(common, union)
        if not common:
            break
    return common


def _choose(pools: list[list[MemberStarts]], t: int) -> tuple[int, ...] | None:
    chosen = []
    for members in pools:
        for key, allowed, starts in members:
            if contains(allowed, starts, t):
                chosen.append(key)
                break
        else:
            return None
    return tuple(chosen)


def busy_index(problem: Problem) -> dict[int, _Busy]:
    return {id(m): _Busy(m.busy) for pool in problem.members_order for m in pool}


def _day_choices(problem: Problem, day: Day, pools: list[list[MemberStarts]]
                 ) -> Iterator[Choice]:
    """The day's slots from ``problem.earliest``, in time order."""
    for lo, hi in _common(problem, day, pools):
        t = max(lo, problem.earliest)
        offset = (t - day.midnight) % problem.step
        if offset:
            t += problem.step - offset
        while t < hi:
            members = _choose(pools, t)
            if members is not None:  # always, by construction; kept as a guard
                yield Choice(t, members)
            t += problem.step


def _open(problem: Problem, day: Day) -> bool:
    return day.window is not None and day.midnight + day.window[1] > problem.earliest


def search(problem: Problem) -> list[Choice]:
    busy = busy_index(problem)
    found: list[Choice] = []
    for day in problem.days:
        if not _open(problem, day):
            continue
        for choice in _day_choices(problem, day, day_starts(problem, day, busy)):
            found.append(choice)
            if len(found) >= problem.limit:
                return found
    return found


def _blocked(pools: list[list[MemberStarts]], start: int) -> list[int]:
    return [i for i, members in enumerate(pools)
            if not any(contains(allowed, starts, start) for _, allowed, starts in members)]


def _day_of(problem: Problem, start: int) -> Day | None:
    return next((d for d in problem.days
                 if d.window and d.midnight <= start < d.midnight + 86_400), None)


def blocked_pools(problem: Problem, start: int) -> list[int]:
    """Indexes of the pools with no member free for a booking starting at ``start``."""
    day = _day_of(problem, start)
    if day is None:
        return list(range(len(problem.pools)))
    return _blocked(day_starts(problem, day, busy_index(problem)), start)


def check(problem: Problem, start: int) -> tuple[Choice | None, list[int]]:
    """The first slot of ``problem`` (from ``problem.earliest``, which is ``start``) and,
    when it is not at ``start``, the indexes of the pools blocking ``start``: checking a
    start and finding the next free slot in one pass (each day's members' starts are
    worked out once)."""
    busy = busy_index(problem)
    day_of_start = _day_of(problem, start)
    blocked: list[int] | None = None if day_of_start else list(range(len(problem.pools)))
    first: Choice | None = None
    for day in problem.days:
        is_start_day = day is day_of_start
        if not (_open(problem, day) or is_start_day):
            continue
        pools = day_starts(problem, day, busy)
        first = next(_day_choices(problem, day, pools), None) if _open(problem, day) else None
        if first is not None and first.start == start:
            return first, []
        if is_start_day:
            blocked = _blocked(pools, start)
        if first is not None:
            break
    if blocked is None:  # the start's day was not reached (a slot before it: not a check)
        blocked = blocked_pools(problem, start)
    return first, blocked
