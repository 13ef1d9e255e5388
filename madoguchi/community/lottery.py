"""The monthly draw, as a pure function of a seed and the requests (reproducible).

Each slot (room, date, daypart) with requests is given to one of its requesters. Slots are
taken in an order shuffled by the seeded generator; each goes to a requester with the
fewest wins so far in the slot's **kind** (day type × daypart: a weekday evening, a
holiday morning…), chosen at random among them: no group wins a second slot of a kind
while another group asking for that slot has fewer wins of that kind (the fairness rule).
A slot with one requester is simply theirs. The same seed and the same requests give the
same result, whatever order the requests are passed in.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

Slot = tuple[int, str, str]  # room id, ISO date, daypart


@dataclass(frozen=True)
class Entry:
    request_id: int
    group_id: int
    room_id: int
    date: str  # ISO
    daypart: str
    kind: str  # the slot kind: "<day type>/<daypart>"

    @property
    def slot(self) -> Slot:
        return (self.room_id, self.date, self.daypart)


@dataclass(frozen=True)
class Outcome:
    request_id: int
    won: bool
    rank: int  # for a win: the group's wins of this kind before it (0 = its first)
    order: int  # when the slot was decided in the draw


def inputs_digest(entries: Iterable[Entry]) -> str:
    """A fingerprint of the draw's inputs (sorted), recorded with the run."""
    rows = sorted((e.request_id, e.group_id, e.room_id, e.date, e.daypart, e.kind)
                  for e in entries)
    return hashlib.sha256(json.dumps(rows, separators=(",", ":")).encode()).hexdigest()


def draw(seed: str, entries: Iterable[Entry]) -> dict[int, Outcome]:
    """Each request's outcome, by request id."""
    rng = random.Random(seed)
    by_slot: dict[Slot, list[Entry]] = defaultdict(list)
    for entry in sorted(entries, key=lambda e: e.request_id):
        by_slot[entry.slot].append(entry)
    slots = sorted(by_slot)
    rng.shuffle(slots)
    wins: dict[tuple[int, str], int] = defaultdict(int)
    outcomes: dict[int, Outcome] = {}
    pending = slots
    order = 0
    level = 0
    while pending:
        later = []
        for slot in pending:
            candidates = by_slot[slot]
            kind = candidates[0].kind
            fewest = min(wins[(c.group_id, kind)] for c in candidates)
            if fewest > level:
                later.append(slot)  # everyone asking already has more: a later round
                continue
            best = [c for c in candidates if wins[(c.group_id, kind)] == fewest]
            winner = best[0] if len(best) == 1 else best[rng.randrange(len(best))]
            outcomes[winner.request_id] = Outcome(winner.request_id, True, fewest, order)
            wins[(winner.group_id, kind)] += 1
            for other in candidates:
                if other.request_id != winner.request_id:
                    outcomes[other.request_id] = Outcome(other.request_id, False, 0, order)
            order += 1
        pending = later
        level += 1
    return outcomes


def check(entries: Iterable[Entry], outcomes: dict[int, Outcome]) -> list[str]:
    """What is wrong with a result (empty when it is sound): a slot given twice or not at
    all, or the fairness rule broken (a group's n-th win of a kind over a loser of that
    slot who ends with fewer than n wins of the kind)."""
    entries = list(entries)
    problems = []
    winners: dict[Slot, list[Entry]] = defaultdict(list)
    slots = {e.slot for e in entries}
    for entry in entries:
        if outcomes[entry.request_id].won:
            winners[entry.slot].append(entry)
    for slot in slots:
        if len(winners[slot]) != 1:
            problems.append(f"slot {slot} given {len(winners[slot])} times")
    final: dict[tuple[int, str], int] = defaultdict(int)
    for found in winners.values():
        for entry in found:
            final[(entry.group_id, entry.kind)] += 1
    for entry in entries:
        outcome = outcomes[entry.request_id]
        if outcome.won:
            continue
        winner = winners[entry.slot][0] if winners[entry.slot] else None
        if winner is None or winner.group_id == entry.group_id:
            continue
        rank = outcomes[winner.request_id].rank
        if final[(entry.group_id, entry.kind)] < rank:
            problems.append(f"request {winner.request_id} was win {rank + 1} of its group "
                            f"over request {entry.request_id}")
    return problems
