"""Events and their workflow: the sessions planned from the series, the room held for
them, the change registrants are told of, draft → submitted → published (ADR 0058)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from madoguchi.accounts.policy import Action, can
from madoguchi.community.errors import CommunityError
from madoguchi.community.services import staff_use
from madoguchi.notifications.ical import TOKYO
from madoguchi.participation import messages, online
from madoguchi.participation.models import Event, Mode, Occurrence, Status, Transition
from madoguchi.participation.series import plan
from madoguchi.participation.services._common import _LIVE, ParticipationError

# Fields whose change registrants are told of.
TOLD_OF = ("first_date", "starts_at", "ends_at", "repeat", "repeat_count", "place",
           "room_id", "centre_id", "online_url", "video_room")
PLACE_FIELDS = ("place", "room_id", "centre_id", "online_url", "video_room")


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
        for reg_id, email, language in (
                event.registrations.filter(status__in=_LIVE).exclude(email="")
                .values_list("pk", "email", "language")):
            messages.changed(registration_id=reg_id, address=email, language=language)
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
