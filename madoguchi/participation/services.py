"""Writes of the participation context: events and their workflow, registrations with
capacity, waitlist and lottery, attendance, erasure (issue 15 items 1 and 2).

Capacity is kept on the event row (``confirmed_people``, ``next_position``), changed only
while that row is locked (``SELECT … FOR UPDATE``): concurrent registrations for the last
places queue on the lock and each sees the count the one before it left, so no more people
are confirmed than the capacity and the waitlist keeps the order of arrival.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.policy import Action, can
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.community.errors import CommunityError
from madoguchi.community.services import staff_use
from madoguchi.core.tokens import digest
from madoguchi.notifications.ical import TOKYO
from madoguchi.participation import messages, online
from madoguchi.participation.models import (
    Channel,
    Draw,
    Event,
    Mode,
    Occurrence,
    Registration,
    RegStatus,
    Status,
    Transition,
)
from madoguchi.participation.series import plan

MAX_PEOPLE = 10
# Fields whose change registrants are told of.
TOLD_OF = ("first_date", "starts_at", "ends_at", "repeat", "repeat_count", "place",
           "room_id", "centre_id", "online_url", "video_room")
PLACE_FIELDS = ("place", "room_id", "centre_id", "online_url", "video_room")


class ParticipationError(ValidationError):
    """A refusal with a message for the person (Japanese first)."""


# ── events ────────────────────────────────────────────────────────────────────────────

def _occurrences(event: Event) -> None:
    found = plan(event.first_date, repeat=event.repeat, count=event.repeat_count,
                 on_closed=event.on_closed)
    if not any(item.held for item in found):
        raise ParticipationError(
            _("開催日がすべて休館日（祝日・年末年始など）に当たります。日付を変えてください。"))
    event.occurrences.all().delete()
    Occurrence.objects.bulk_create(
        Occurrence(event=event, number=item.number, planned=item.planned,
                   start=dt.datetime.combine(item.planned, event.starts_at, tzinfo=TOKYO),
                   end=dt.datetime.combine(item.planned, event.ends_at, tzinfo=TOKYO),
                   state=(Occurrence.State.HELD if item.held else
                          Occurrence.State.MOVED if item.moved else Occurrence.State.SKIPPED),
                   reason=item.reason)
        for item in found)


def _check_times(event: Event) -> None:
    if event.ends_at <= event.starts_at:
        raise ParticipationError(_("終了時刻は開始時刻より後にしてください。"))
    if event.mode == Mode.LOTTERY and event.draw_at is None:
        raise ParticipationError(_("抽選の場合は抽選日時を入れてください。"))
    if event.draw_at and event.draw_at < event.registration_deadline:
        raise ParticipationError(_("抽選日時は申込締切より後にしてください。"))
    if not (event.place or event.room_id or event.centre_id or event.is_online):
        raise ParticipationError(
            _("会場か、オンライン参加（区のビデオ会議室またはリンク）を入れてください。"))
    if event.room_id and event.place:
        raise ParticipationError(
            _("会場は、貸室を選ぶか文字で入れるかのどちらか一方にしてください。"))


def _hold_room(event: Event, *, by) -> None:
    """Hold the event's room for every session held (community's booking: no double
    booking), keeping what is held already and freeing what is no longer needed; free it
    all when the event has no room or is cancelled. In the caller's transaction: a
    refusal leaves nothing half-saved."""
    held = list(event.room_bookings.all())
    room = event.room
    if room is None or event.status == Status.CANCELLED:
        if held:
            staff_use.room_hold_release(held=held, by=by,
                                        reason=_("イベント「%(title)s」の会場の取消")
                                        % {"title": event.title})
        event.room_bookings.clear()
        return
    periods = [(o.start, o.end) for o in event.occurrences.filter(state=Occurrence.State.HELD)]
    try:
        now_held = staff_use.room_hold(room=room, periods=periods, by=by,
                                       purpose=_("イベント：%(title)s") % {"title": event.title},
                                       attendees=event.capacity, held=held)
    except CommunityError as error:
        raise ParticipationError(error.message, code=error.code) from None
    except PermissionDenied:
        raise ParticipationError(
            _("この貸室を予約する権限がありません。会場を管理するまちづくりセンターに相談してください。"),
            code="room_permission") from None
    event.room_bookings.set(now_held)


@transaction.atomic
def event_create(*, by, data: dict) -> Event:
    event = Event(created_by=by, status=Status.DRAFT, **data)
    _check_times(event)
    event.save()
    _occurrences(event)
    _hold_room(event, by=by)
    Transition.objects.create(event=event, from_status="", to_status=Status.DRAFT, by=by)
    return event


@transaction.atomic
def event_update(*, by, event: Event, data: dict) -> Event:
    """Change an event. A published event with registrations may change; when its time
    or place changes, every live registrant is told in the next daily digest (ADR 0054)."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    before = {name: getattr(event, name) for name in TOLD_OF}
    before_capacity = event.capacity
    for name, value in data.items():
        setattr(event, name, value)
    _check_times(event)
    if event.capacity < event.confirmed_people:
        raise ParticipationError(_("定員を参加確定の人数（%(n)d人）より少なくはできません。")
                                 % {"n": event.confirmed_people})
    event.save()
    changed = [name for name in TOLD_OF if getattr(event, name) != before[name]]
    if changed and any(name not in PLACE_FIELDS for name in changed):
        _occurrences(event)
    if "room_id" in changed or (event.room_id is not None and (
            changed or event.capacity != before_capacity)):
        # The room moves with the time (or to another room) in this transaction.
        _hold_room(event, by=by)
    if changed and event.status == Status.PUBLISHED:
        for reg_id, email in (event.registrations.filter(status__in=_LIVE).exclude(email="")
                              .values_list("pk", "email")):
            messages.changed(registration_id=reg_id, address=email)
    return event


_FLOW = {
    "submit": ({Status.DRAFT}, Status.SUBMITTED),
    "approve": ({Status.SUBMITTED}, Status.PUBLISHED),
    "return": ({Status.SUBMITTED}, Status.DRAFT),
    "cancel": ({Status.DRAFT, Status.SUBMITTED, Status.PUBLISHED}, Status.CANCELLED),
}


@transaction.atomic
def event_move(*, by, event: Event, step: str, note: str = "") -> Event:
    """Draft → submitted (承認待ち) → published by the centre head's approval (a ward-wide
    event: a section manager's or ward administrator's); returned to draft; cancelled. Each
    step is appended to the history. Approving and returning ask the policy (ADR 0058)."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    allowed, to = _FLOW[step]
    if event.status not in allowed:
        raise ParticipationError(_("この状態（%(status)s）ではその操作はできません。")
                                 % {"status": event.get_status_display()})
    if step == "approve" and event.created_by_id == by.pk:
        raise ParticipationError(
            _("自分が作成したイベントは承認できません。所長の承認が必要です。"))
    if step in ("approve", "return") and not can(by, Action.EVENT_APPROVE, event):
        raise PermissionDenied(_(
            "このイベントを承認・差し戻しする権限がありません。"
            "地区のイベントはその地区のまちづくりセンター所長が承認します。"))
    Transition.objects.create(event=event, from_status=event.status, to_status=to, by=by,
                              note=note[:300])
    event.status = to
    event.save(update_fields=["status", "updated_at"])
    if to == Status.PUBLISHED:
        messages.new_event(event)  # the district's news subscribers' digest (ADR 0060)
    if to == Status.CANCELLED:
        _hold_room(event, by=by)  # the room is free again
        online.release(event, by=by)  # and the sessions' video rooms (ADR 0064)
    return event


# ── registrations ─────────────────────────────────────────────────────────────────────

_LIVE = (RegStatus.APPLIED, RegStatus.CONFIRMED, RegStatus.WAITLISTED)


def contact_key(email: str, phone: str) -> str:
    return (email or "").strip().lower() or (phone or "").replace("-", "")


@dataclass(frozen=True)
class Registered:
    registration: Registration
    cancel_secret: str


def _secret(registration: Registration) -> str:
    secret = secrets.token_urlsafe(24)
    registration.cancel_digest = digest(secret)
    return secret


def register(*, event: Event, name: str, email: str, phone: str, people: int, needs: str,
             channel: str = Channel.WEB, by=None, link_base: str,
             online_choice: bool = False) -> Registered:
    """Register ``people`` people for ``event``: confirmed while places are left (first
    come), waitlisted after; applied until the draw for a lottery. ``link_base`` is the
    cancel page's URL without the secret. Raises ParticipationError, with nothing saved."""
    if not 1 <= people <= MAX_PEOPLE:
        raise ParticipationError(_("人数は1人から%(n)d人までです。") % {"n": MAX_PEOPLE})
    key = contact_key(email, phone)
    if not key:
        raise ParticipationError(_("メールアドレスか電話番号を入れてください。"))
    try:
        with transaction.atomic():
            locked = Event.objects.select_for_update().get(pk=event.pk)
            if locked.status != Status.PUBLISHED:
                raise ParticipationError(_("このイベントは申込を受け付けていません。"))
            if timezone.now() > locked.registration_deadline:
                raise ParticipationError(_("申込の締切を過ぎています。"))
            if locked.registrations.filter(contact_key=key, status__in=_LIVE).exists():
                raise ParticipationError(
                    _("同じ連絡先で既に申し込まれています。人数の変更は取り消してから申し込み直してください。"))
            if locked.mode == Mode.LOTTERY:
                status = RegStatus.APPLIED
            elif locked.places_left >= people:
                status = RegStatus.CONFIRMED
            elif locked.places_left > 0:
                raise ParticipationError(
                    _("残りの席は%(left)d人分です。人数を減らして申し込んでください。")
                    % {"left": locked.places_left})
            else:
                status = RegStatus.WAITLISTED
            registration = Registration(
                event=locked, position=locked.next_position, name=name.strip(),
                email=email.strip(), phone=phone.strip(), contact_key=key, people=people,
                needs=needs.strip(), channel=channel, status=status, entered_by=by,
                online=online.takes_part_online(locked, online_choice))
            secret = _secret(registration)
            registration.save()
            locked.next_position += 1
            if status == RegStatus.CONFIRMED:
                locked.confirmed_people += people
            locked.save(update_fields=["next_position", "confirmed_people"])
            _audit(by, registration, AuditAction.CREATE, "participation:register",
                   ["name", "email", "phone", "people", "needs"])
            if registration.email:
                messages.registered(registration_id=registration.pk,
                                    cancel_url=f"{link_base}{secret}/",
                                    room_url=online.confirmation_link(registration))
    except IntegrityError:
        raise ParticipationError(_("同じ連絡先で既に申し込まれています。")) from None
    return Registered(registration, secret)


def _audit(by, registration: Registration, action: str, source: str,
           fields: Sequence[str] = ()) -> None:
    # A resident on the public page has no account: the entry names the registration.
    audit.record(actor=by, action=action, record_type="participation.registration",
                 record_id=registration.public_id, source=source, fields=fields,
                 portal_ref="" if by else f"registration:{registration.public_id}")


def registration_by_secret(secret: str) -> Registration | None:
    if not secret or len(secret) > 100:
        return None
    return (Registration.objects.select_related("event")
            .filter(cancel_digest=digest(secret), erased_at__isnull=True).first())


@transaction.atomic
def cancel(*, registration: Registration, by=None, link_base: str) -> Registration:
    """Cancel a registration (by its personal link, or staff); the places it held go to
    the waitlist in order of arrival, each promoted registrant mailed."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == RegStatus.CANCELLED:
        raise ParticipationError(_("この申込は既に取り消されています。"))
    held = registration.status == RegStatus.CONFIRMED
    registration.status = RegStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.cancel_digest = ""
    registration.save(update_fields=["status", "cancelled_at", "cancel_digest"])
    _audit(by, registration, AuditAction.UPDATE, "participation:cancel", ["status"])
    online.withdraw(registration, by=by)  # its video-room links stop working (ADR 0064)
    if held:
        event.confirmed_people -= registration.people
        _promote(event, link_base=link_base)
        event.save(update_fields=["confirmed_people"])
    return registration


def _promote(event: Event, *, link_base: str) -> None:
    """Move waitlisted registrations up, first come first, while the next one fits (the
    event row is locked by the caller)."""
    waiting = (event.registrations.select_for_update()
               .filter(status=RegStatus.WAITLISTED)
               .order_by("draw_rank", "position"))
    for registration in waiting:
        if registration.people > event.capacity - event.confirmed_people:
            break
        registration.status = RegStatus.CONFIRMED
        secret = _secret(registration)
        registration.save(update_fields=["status", "cancel_digest"])
        event.confirmed_people += registration.people
        if registration.email:
            messages.promoted(registration_id=registration.pk, cancel_url=f"{link_base}{secret}/",
                              room_url=online.confirmation_link(registration))


@transaction.atomic
def mark_attended(*, by, registration: Registration, present: bool) -> Registration:
    registration.attended_at = timezone.now() if present else None
    registration.save(update_fields=["attended_at"])
    _audit(by, registration, AuditAction.UPDATE, "participation:attendance", ["attended_at"])
    return registration


# ── lottery ───────────────────────────────────────────────────────────────────────────

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


# ── retention ─────────────────────────────────────────────────────────────────────────

@transaction.atomic
def erase_expired(*, days: int, now: dt.datetime | None = None) -> int:
    """Erase the personal data of registrations for events whose last date is more than
    ``days`` days past: name, contact and needs are blanked (the counts stay)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=days)
    ended = (Occurrence.objects.filter(event=OuterRef("pk"))
             .order_by("-end").values("end")[:1])
    events = Event.objects.annotate(last_end=Subquery(ended)).filter(last_end__lt=cutoff)
    rows = list(Registration.objects.filter(event__in=events, erased_at__isnull=True))
    for row in rows:
        row.name, row.email, row.phone, row.needs = "", "", "", ""
        row.contact_key, row.cancel_digest, row.checkin_digest = "", "", ""
        row.erased_at = now
    Registration.objects.bulk_update(
        rows, ["name", "email", "phone", "needs", "contact_key", "cancel_digest",
               "checkin_digest", "erased_at"], batch_size=1000)
    if rows:
        audit.record_many(actor=None, action=AuditAction.UPDATE,
                          record_type="participation.registration",
                          records=[(row.public_id, "") for row in rows],
                          source="participation:erase", fields=["name", "email", "phone", "needs"],
                          portal_ref="retention")
    return len(rows)
