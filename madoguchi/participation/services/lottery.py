"""The lottery: the draw itself (a pure, seeded function), drawing an event once and
recording the seed, checking a draw again, the sweep of lotteries due."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.participation import messages
from madoguchi.participation.models import Draw, Event, Mode, Registration, RegStatus, Status
from madoguchi.participation.services._common import ParticipationError


@dataclass(frozen=True)
class DrawResult:
    order: list[int]  # registration ids in drawn order
    confirmed: list[int]
    waitlisted: list[int]

    @property
    def digest(self) -> str:
        text = ",".join(map(str, self.order)) + "|" + ",".join(map(str, self.confirmed))
        return hashlib.sha256(text.encode()).hexdigest()


def draw_order(applicants: Sequence[tuple[int, int]], *, seed: int, capacity: int
               ) -> DrawResult:
    """The draw itself, a pure function: ``applicants`` are (id, people) in order of
    arrival; the same seed gives the same result. Drawn order is a shuffle with Python's
    Mersenne Twister seeded by ``seed``; places go down the order while a group fits,
    the rest make the waitlist in drawn order."""
    ordered = sorted(applicants)
    rng = random.Random(seed)
    rng.shuffle(ordered)
    confirmed, waitlisted, used = [], [], 0
    for reg_id, people in ordered:
        if used + people <= capacity:
            confirmed.append(reg_id)
            used += people
        else:
            waitlisted.append(reg_id)
    return DrawResult([reg_id for reg_id, _ in ordered], confirmed, waitlisted)


@transaction.atomic
def draw(*, event: Event, by=None, seed: int | None = None, link_base: str) -> DrawResult:
    """Draw the lottery once: record the seed on the event and in the draw history, set
    every applicant confirmed or waitlisted, mail them. Re-running with ``redraw_check``
    gives the same result from the recorded seed."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.mode != Mode.LOTTERY:
        raise ParticipationError(_("このイベントは抽選ではありません。"))
    if event.drawn_at is not None:
        raise ParticipationError(_("抽選は済んでいます。"))
    if timezone.now() < event.registration_deadline:
        raise ParticipationError(_("申込の締切前には抽選できません。"))
    seed = secrets.randbits(62) if seed is None else seed
    applicants = list(event.registrations.filter(status=RegStatus.APPLIED)
                      .values_list("pk", "people"))
    result = draw_order(applicants, seed=seed, capacity=event.capacity)
    people = dict(applicants)
    rank = {reg_id: number for number, reg_id in enumerate(result.order, 1)}
    confirmed = set(result.confirmed)
    _set_ranks(rank, confirmed)
    event.draw_seed, event.drawn_at = seed, timezone.now()
    event.confirmed_people = sum(people[reg_id] for reg_id in confirmed)
    event.save(update_fields=["draw_seed", "drawn_at", "confirmed_people"])
    Draw.objects.create(event=event, seed=seed, applicants=len(applicants),
                        confirmed=len(confirmed), result_digest=result.digest, by=by)
    messages.drawn(event_id=event.pk, link_base=link_base)
    return result


def _set_ranks(rank: dict[int, int], confirmed: set[int]) -> None:
    """Write every applicant's drawn rank and outcome: one UPDATE from arrays on
    PostgreSQL (a bulk_update of thousands of rows builds a CASE per row)."""
    status = {reg_id: RegStatus.CONFIRMED if reg_id in confirmed else RegStatus.WAITLISTED
              for reg_id in rank}
    if connection.vendor == "postgresql":
        ids = list(rank)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Registration._meta.db_table} AS r "  # noqa: S608 (our table name)
                "SET draw_rank = v.rank, status = v.status "
                "FROM unnest(%s::bigint[], %s::int[], %s::text[]) AS v(id, rank, status) "
                "WHERE r.id = v.id",
                [ids, [rank[i] for i in ids], [str(status[i]) for i in ids]])
        return
    rows = list(Registration.objects.filter(pk__in=rank).only("pk", "status", "draw_rank"))
    for row in rows:
        row.draw_rank, row.status = rank[row.pk], status[row.pk]
    Registration.objects.bulk_update(rows, ["draw_rank", "status"], batch_size=500)


def redraw_check(event: Event) -> bool:
    """Whether drawing again with the recorded seed gives the recorded result."""
    recorded = event.draws.order_by("-pk").first()
    if recorded is None:
        return False
    applicants = list(event.registrations.filter(draw_rank__isnull=False)
                      .values_list("pk", "people"))
    again = draw_order(applicants, seed=recorded.seed, capacity=event.capacity)
    return again.digest == recorded.result_digest


def draw_due(*, now: dt.datetime | None = None, link_base: str) -> int:
    """Draw every lottery whose time has come (the sweep task)."""
    now = now or timezone.now()
    count = 0
    for event in Event.objects.filter(mode=Mode.LOTTERY, status=Status.PUBLISHED,
                                      drawn_at__isnull=True, draw_at__lte=now):
        draw(event=event, link_base=link_base)
        count += 1
    return count
