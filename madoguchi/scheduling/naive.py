"""Reference slot search on a minute grid: the obvious, slow way.

For each resource it marks every minute of every day of the horizon free or not (working
hours, the day's window, absences, allocations), then walks the grid and checks every
minute of each candidate slot. It shares no code with slots.py beyond the input data;
the property test and `make bench` compare the two.
"""

from __future__ import annotations

from madoguchi.scheduling.problem import Choice, Problem, ResourceCalendar

MINUTES = 1440


def _free_minutes(member: ResourceCalendar, problem: Problem) -> list[bytearray]:
    """Per day of the problem: 1440 flags, 1 where the minute is bookable."""
    grids = []
    for day in problem.days:
        grid = bytearray(MINUTES)
        if day.window is not None:
            w_start, w_end = day.window
            rows = member.hours.get(day.date.weekday(), ())
            for minute in range(MINUTES):
                begin, end = minute * 60, minute * 60 + 60
                if w_start <= begin and end <= w_end and any(
                        a <= begin and end <= b for a, b in rows):
                    grid[minute] = 1
            for b_start, b_end in member.busy:
                first = max(0, (b_start - day.midnight) // 60)
                last = min(MINUTES, -(-(b_end - day.midnight) // 60))
                for minute in range(first, last):
                    grid[minute] = 0
        grids.append(grid)
    return grids


def search_naive(problem: Problem) -> list[Choice]:
    need = problem.need // 60
    step = problem.step // 60
    grids = [[(m.key, _free_minutes(m, problem)) for m in pool]
             for pool in problem.members_order]
    found: list[Choice] = []
    for index, day in enumerate(problem.days):
        for minute in range(MINUTES):
            if minute % step or day.midnight + minute * 60 < problem.earliest:
                continue
            if minute + need > MINUTES:
                break
            chosen = []
            for members in grids:
                for key, days in members:
                    if all(days[index][m] for m in range(minute, minute + need)):
                        chosen.append(key)
                        break
                else:
                    break
            if len(chosen) == len(grids):
                found.append(Choice(day.midnight + minute * 60, tuple(chosen)))
                if len(found) >= problem.limit:
                    return found
    return found
