"""Interval arithmetic on sorted lists of half-open integer intervals."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

from madoguchi.scheduling.problem import Interval


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, with overlapping and touching intervals joined; empty ones dropped."""
    out: list[Interval] = []
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def subtract(base: list[Interval], cut: list[Interval]) -> list[Interval]:
    """``base`` minus ``cut``; both merged (sorted, disjoint)."""
    out: list[Interval] = []
    j, n = 0, len(cut)
    for start, end in base:
        while j < n and cut[j][1] <= start:
            j += 1
        k = j
        cursor = start
        while k < n and cut[k][0] < end:
            if cut[k][0] > cursor:
                out.append((cursor, cut[k][0]))
            cursor = max(cursor, cut[k][1])
            k += 1
        if cursor < end:
            out.append((cursor, end))
    return out


def intersect(a: list[Interval], b: list[Interval]) -> list[Interval]:
    """Common part of two merged lists."""
    out: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start = max(a[i][0], b[j][0])
        end = min(a[i][1], b[j][1])
        if start < end:
            out.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def starts_fitting(free: list[Interval], length: int) -> list[Interval]:
    """The starts ``t`` with ``[t, t + length)`` inside one free interval: ``[a, b - length]``,
    kept half-open as ``[a, b - length + 1)`` (whole seconds)."""
    return [(a, b - length + 1) for a, b in free if b - a >= length]


def contains(intervals: list[Interval], starts: list[int], point: int) -> bool:
    """Whether ``point`` lies in the merged ``intervals`` (``starts`` = their starts)."""
    i = bisect_right(starts, point) - 1
    return i >= 0 and point < intervals[i][1]
