"""The waiting-time estimate shown on a ticket (stated here, tested in tests/counter).

**Estimator.** The open counters take the waiting tickets as the clerks' 「次の方」 does:
each the first ticket, by service priority and then place in the queue, of the services it
serves. The estimate replays that with the handling times below: each counter is free after
the remaining time of the ticket it is serving (its service's handling time less the time
already spent, never below zero); the counter free first takes the first ticket it serves
of those ahead (the tickets of services sharing a counter with this one, ahead in that
order) and keeps it for that service's handling time; the ticket's wait is the moment a
counter serving its service takes it. Tickets issued later are not foreseen.

**Handling time of a service** (``handling_time``): the mean of its last ``RECENT``
served tickets once at least ``MIN_SAMPLES`` are known, else the service's expected time
(the data entered for the service). Times are in seconds throughout.

A ticket served for longer than its handling time is taken to need ``OVERRUN`` of it again
(a long service tends to run on). Tickets issued later (of a higher priority, they go
first) are not foreseen: in the bench, stretching the wait by their expected share of the
counters' time made the error larger, not smaller.

**Naive estimate** (for comparison in the bench only): people ahead for the same service ×
the service's expected time, as a single counter would take them.

An empty queue with a free counter is 0 seconds, shown 「0分」 (never a blank).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

RECENT = 10
MIN_SAMPLES = 3
# A ticket served for longer than its handling time is not done at once: it is taken to
# need this share of the handling time again (a long service tends to run on).
OVERRUN = 0.3


@dataclass(frozen=True)
class Desk:
    """An open counter: the services it serves and how long its current ticket has taken."""

    services: frozenset[str]
    serving: str | None = None  # service of the ticket being served
    elapsed: float = 0.0  # seconds since that ticket was called


@dataclass(frozen=True)
class Waiting:
    service: str
    priority: int
    place: float  # queue order (seconds since midnight, or any increasing key)
    for_desk: int | None = None  # index of the desk a transfer sent it to


def handling_time(recent: Sequence[float], expected: float) -> float:
    """Mean of the last ``RECENT`` handling times (oldest first) or ``expected``."""
    samples = list(recent)[-RECENT:]
    if len(samples) < MIN_SAMPLES:
        return float(expected)
    return sum(samples) / len(samples)


def ahead_of(mine: Waiting, queue: Iterable[Waiting], desks: Sequence[Desk]) -> list[Waiting]:
    """The waiting tickets a counter serving ``mine`` takes before it, in that order."""
    serving = [d for d in desks if mine.service in d.services]
    services = frozenset().union(*(d.services for d in serving)) if serving else {mine.service}
    key = (mine.priority, mine.place)
    return sorted((w for w in queue if w is not mine and w.service in services
                   and (w.priority, w.place) < key), key=lambda w: (w.priority, w.place))


def remaining(handling: float, elapsed: float) -> float:
    return max(handling - elapsed, OVERRUN * handling)


def estimate(*, mine: Waiting, queue: Iterable[Waiting], desks: Sequence[Desk],
             handling: Mapping[str, float]) -> int:
    """Seconds until ``mine`` is called (see the module). ``queue`` may include ``mine``."""
    return round(_replay(mine=mine, queue=list(queue), desks=desks, handling=handling))


def _replay(*, mine: Waiting, queue: Iterable[Waiting], desks: Sequence[Desk],
            handling: Mapping[str, float]) -> float:
    if not any(mine.service in d.services for d in desks):
        # nobody serves it now: as if one counter opened for it alone
        desks = [*desks, Desk(services=frozenset({mine.service}))]
    order = [mine, *ahead_of(mine, queue, desks)]
    order.sort(key=lambda w: (w.priority, w.place))
    # (free at, desk index): each desk is free once its current ticket is done
    free = [(remaining(handling.get(d.serving, 0.0), d.elapsed) if d.serving else 0.0, i)
            for i, d in enumerate(desks)]
    heapq.heapify(free)
    while free:
        at, desk = heapq.heappop(free)
        taken = next((w for w in order if w.service in desks[desk].services
                      and (w.for_desk is None or w.for_desk == desk)), None)
        if taken is None:
            continue  # nothing left that this desk serves
        if taken is mine:
            return at
        order.remove(taken)
        heapq.heappush(free, (at + handling.get(taken.service, 0.0), desk))
    return 0.0  # unreachable: a desk serving ``mine`` takes it at the latest when the rest are done


def naive(*, mine: Waiting, queue: Iterable[Waiting], expected: Mapping[str, float]) -> int:
    ahead = [w for w in queue if w is not mine and w.service == mine.service
             and w.place < mine.place]
    return round(len(ahead) * expected[mine.service])


def minutes(seconds: float) -> int:
    """Whole minutes shown to residents: rounded up, 0 only for no wait."""
    return 0 if seconds <= 0 else -(-int(seconds) // 60)
