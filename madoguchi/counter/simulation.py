"""A simulated day at a counter, to measure the waiting-time estimate (bench, tests).

Stated distributions: tickets arrive as a Poisson process over the opening hours (8:30 to
17:15, ``TICKETS`` in all, each service with its share); handling times are log-normal per
service with the stated mean and a coefficient of variation of 0.5. Three counters: 1 serves
every service, 2 certificates, insurance and lending, 3 maternal, school, insurance and
certificates. A counter takes the waiting ticket of highest service priority, then the
earliest, among its services, as the clerk's 「次の方」 does. At each issue the estimator
(``estimator.estimate`` with the handling times of the tickets served so far) and the naive
estimate are recorded, then compared with the wait the ticket actually had.
"""

from __future__ import annotations

import heapq
import math
import random
from collections import defaultdict
from dataclasses import dataclass

from madoguchi.counter.estimator import Desk, Waiting, estimate, handling_time, naive

OPEN_SECONDS = (17 * 60 + 15 - (8 * 60 + 30)) * 60
TICKETS = 300
CV = 0.5
# service: (share of arrivals, mean handling seconds, priority)
SERVICES = {
    "certificate": (0.40, 180, 5),
    "insurance": (0.20, 360, 5),
    "maternal": (0.10, 480, 4),
    "school": (0.10, 240, 5),
    "lending": (0.20, 150, 5),
}
DESKS = [frozenset(SERVICES),
         frozenset({"certificate", "insurance", "lending"}),
         frozenset({"maternal", "school", "insurance", "certificate"})]


@dataclass
class Outcome:
    estimated: int
    naive: int
    actual: float


def _lognormal(rng: random.Random, mean: float) -> float:
    sigma = math.sqrt(math.log(1 + CV ** 2))
    return rng.lognormvariate(math.log(mean) - sigma ** 2 / 2, sigma)


def simulate(*, seed: int = 17, tickets: int = TICKETS) -> list[Outcome]:
    rng = random.Random(seed)
    names = list(SERVICES)
    weights = [SERVICES[n][0] for n in names]
    rate = tickets / OPEN_SECONDS
    t, arrivals = 0.0, []
    for _ in range(tickets):
        t += rng.expovariate(rate)
        arrivals.append((t, rng.choices(names, weights)[0]))
    expected = {n: float(SERVICES[n][1]) for n in names}
    durations = [_lognormal(rng, SERVICES[s][1]) for _, s in arrivals]

    queue: list[tuple[Waiting, int]] = []  # (ticket, arrival index)
    busy: list[tuple[float, str, float] | None] = [None] * len(DESKS)  # (called, service, ends)
    recent: dict[str, list[float]] = defaultdict(list)
    outcomes: dict[int, Outcome] = {}
    events: list[tuple[float, int, str, int]] = []  # (time, order, kind, index)
    for i, (at, _service) in enumerate(arrivals):
        heapq.heappush(events, (at, 1, "arrive", i))

    def start(desk: int, now: float) -> None:
        candidates = [(w, i) for w, i in queue if w.service in DESKS[desk]]
        if not candidates:
            return
        w, i = min(candidates, key=lambda c: (c[0].priority, c[0].place))
        queue.remove((w, i))
        outcomes[i].actual = now - arrivals[i][0]
        busy[desk] = (now, w.service, now + durations[i])
        heapq.heappush(events, (now + durations[i], 0, "finish", desk))

    while events:
        now, _order, kind, index = heapq.heappop(events)
        if kind == "finish":
            called, service, _ends = busy[index]  # type: ignore[misc]
            recent[service].append(now - called)
            busy[index] = None
            start(index, now)
            continue
        service = arrivals[index][1]
        mine = Waiting(service=service, priority=SERVICES[service][2], place=now)
        desks = [Desk(services=DESKS[d], serving=b[1] if b else None,
                      elapsed=now - b[0] if b else 0.0) for d, b in enumerate(busy)]
        handling = {n: handling_time(recent[n], expected[n]) for n in names}
        waiting = [w for w, _ in queue]
        outcomes[index] = Outcome(
            estimated=estimate(mine=mine, queue=waiting, desks=desks, handling=handling),
            naive=naive(mine=mine, queue=waiting, expected=expected), actual=0.0)
        queue.append((mine, index))
        for desk, b in enumerate(busy):
            if b is None:
                start(desk, now)
    return [outcomes[i] for i in range(tickets)]


def figures(outcomes: list[Outcome]) -> dict:
    n = len(outcomes)
    mae = sum(abs(o.estimated - o.actual) for o in outcomes) / n
    naive_mae = sum(abs(o.naive - o.actual) for o in outcomes) / n
    within = sum(abs(o.estimated - o.actual) <= 300 for o in outcomes) / n
    return {
        "tickets": n,
        "mean_actual_wait_s": round(sum(o.actual for o in outcomes) / n, 1),
        "estimator_mae_s": round(mae, 1),
        "naive_mae_s": round(naive_mae, 1),
        "error_reduction": round(1 - mae / naive_mae, 3) if naive_mae else None,
        "within_5_minutes": round(within, 3),
        "naive_within_5_minutes": round(
            sum(abs(o.naive - o.actual) <= 300 for o in outcomes) / n, 3),
    }
