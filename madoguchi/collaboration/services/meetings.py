"""Four-party meetings: recurring series, agenda, holding, minutes and action items."""

from __future__ import annotations

import datetime as dt
import difflib
from typing import TYPE_CHECKING

from dateutil.rrule import rrulestr
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.models import Membership
from madoguchi.accounts.policy import Action, can
from madoguchi.collaboration import workflow
from madoguchi.collaboration.models import (
    PARTY_KINDS,
    ActionItem,
    AgendaItem,
    EventKind,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Mode,
    Status,
    TroubleRecord,
)
from madoguchi.core import opendays
from madoguchi.core.dates import is_open_day, load_exceptions
from madoguchi.organisation.models import Section

if TYPE_CHECKING:
    from madoguchi.accounts.models import User
from madoguchi.collaboration.services._common import SERIES_AHEAD
from madoguchi.collaboration.services.records import _move


def next_open_day(day: dt.date, exceptions) -> dt.date:
    while not is_open_day(day, exceptions=exceptions):
        day += dt.timedelta(days=1)
    return day


def occurrences(*, rule: str, starts_on: dt.date, count: int = SERIES_AHEAD) -> list[dt.date]:
    """The days of a recurring rule (RFC 5545, python-dateutil), each moved to the next
    open day when it falls on a closed day (holiday, 年末年始, the ward's closed days)."""
    try:
        recurrence = rrulestr(rule, dtstart=dt.datetime.combine(starts_on, dt.time()))
    except (ValueError, TypeError):
        raise ValidationError({"rule": [_("繰り返しの指定が読めません。")]}) from None
    days = [moment.date() for _n, moment in zip(range(count), recurrence, strict=False)]
    if not days:
        return []
    exceptions = load_exceptions(days[0], days[-1] + dt.timedelta(days=14))
    moved: list[dt.date] = []
    for day in days:
        day = next_open_day(day, exceptions)
        if day not in moved:
            moved.append(day)
    return moved


RULES = {
    "monthly_first": "FREQ=MONTHLY;BYDAY=+1{day}",
    "monthly_second": "FREQ=MONTHLY;BYDAY=+2{day}",
    "monthly_third": "FREQ=MONTHLY;BYDAY=+3{day}",
    "monthly_fourth": "FREQ=MONTHLY;BYDAY=+4{day}",
    "biweekly": "FREQ=WEEKLY;INTERVAL=2;BYDAY={day}",
}
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR")


def _check_mode(mode: str, video_link: str, place: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if mode not in Mode.values:
        errors["mode"] = [_("開催方法を選んでください。")]
    if mode in (Mode.ONLINE, Mode.HYBRID) and not video_link.strip():
        errors["video_link"] = [_("オンライン・ハイブリッドの会議には会議室のURLを入力して"
                                  "ください。")]
    if mode in (Mode.IN_PERSON, Mode.HYBRID) and not place.strip():
        errors["place"] = [_("対面・ハイブリッドの会議には場所を入力してください。")]
    return errors


def series_create(*, district, rule: str, starts_on: dt.date | None, at: dt.time | None,
                  mode: str, place: str = "", video_link: str = "", by: User,
                  count: int = SERIES_AHEAD) -> MeetingSeries:
    errors = _check_mode(mode, video_link, place)
    if starts_on is None:
        errors["starts_on"] = [_("開始日を入力してください。")]
    if at is None:
        errors["at"] = [_("開始時刻を入力してください。")]
    if errors:
        raise ValidationError(errors)
    assert starts_on is not None and at is not None
    if not can(by, Action.COLLAB_MEETING_SCHEDULE, district):
        raise PermissionDenied
    days = occurrences(rule=rule, starts_on=starts_on, count=count)
    with transaction.atomic():
        series = MeetingSeries.objects.create(district=district, rule=rule,
                                              starts_on=starts_on, at=at, mode=mode,
                                              place=place.strip(), created_by=by)
        zone = timezone.get_current_timezone()
        for day in days:
            Meeting.objects.get_or_create(
                district=district, starts_at=dt.datetime.combine(day, at, tzinfo=zone),
                defaults={"series": series, "mode": mode, "place": place.strip(),
                          "video_link": video_link.strip()})
    return series


def previous_meeting(meeting: Meeting) -> Meeting | None:
    return (Meeting.objects.filter(district_id=meeting.district_id,
                                   starts_at__lt=meeting.starts_at)
            .exclude(status=MeetingStatus.SCHEDULED).order_by("-starts_at").first())


@transaction.atomic
def agenda_build(*, meeting: Meeting) -> list[AgendaItem]:
    """Fill the agenda of a scheduled meeting: every open record of the district marked for
    sharing and not yet shared at a meeting, and every open action item of the district's
    meetings. Idempotent; lines already on the agenda stay where they are."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.SCHEDULED:
        return list(meeting.agenda.all())
    present = list(meeting.agenda.all())
    have_records = {a.record_id for a in present if a.record_id}
    have_actions = {a.action_id for a in present if a.action_id}
    position = max((a.position for a in present), default=0)
    records = (TroubleRecord.objects
               .filter(district_id=meeting.district_id, share=True,
                       shared_at_meeting__isnull=True, status__in=workflow.OPEN)
               .exclude(pk__in=have_records).order_by("created_at", "pk")
               .values_list("pk", flat=True))
    actions = (ActionItem.objects
               .filter(meeting__district_id=meeting.district_id, done_at__isnull=True)
               .exclude(meeting=meeting).exclude(pk__in=have_actions)
               .order_by("due_date", "pk").values_list("pk", flat=True))
    new = []
    for pk in records:
        position += 1
        new.append(AgendaItem(meeting=meeting, record_id=pk, position=position))
    for pk in actions:
        position += 1
        new.append(AgendaItem(meeting=meeting, action_id=pk, position=position))
    AgendaItem.objects.bulk_create(new)
    return list(meeting.agenda.all())


@transaction.atomic
def meeting_hold(*, meeting: Meeting, by: User) -> Meeting:
    """The meeting took place: its agenda is final and its records count as shared."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not can(by, Action.COLLAB_MINUTES_EDIT, meeting):
        raise PermissionDenied
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ValidationError(_("この会議はすでに開催済みです。"))
    agenda_build(meeting=meeting)
    record_ids = [a.record_id for a in meeting.agenda.all() if a.record_id]
    for record in TroubleRecord.objects.select_for_update().filter(pk__in=record_ids):
        record.shared_at_meeting = meeting
        if record.status == Status.NEW:
            _move(record, Status.SHARED, by=by, kind=EventKind.SHARED)
        else:
            record.save(update_fields=["shared_at_meeting"])
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["status"])
    return meeting


class MinutesConflict(ValidationError):
    """Someone else saved the minutes since this person opened them."""

    def __init__(self, *, theirs: str, mine: str, by: User | None):
        self.theirs, self.mine, self.by = theirs, mine, by
        self.diff = list(difflib.unified_diff(
            mine.splitlines(), theirs.splitlines(), fromfile=_("あなたの入力"),
            tofile=_("保存されている議事録"), lineterm=""))
        super().__init__(
            _("%(who)sさんが先に議事録を保存しました。あなたの変更は保存していません。"
              "下の相手の変更を確かめてから、もう一度入力してください。")
            % {"who": str(by) if by else _("他の職員")}, code="conflict")


def minutes_save(*, meeting: Meeting, text: str, version: int, by: User) -> Meeting:
    """Save the minutes if nobody saved them since ``version`` (optimistic concurrency: a
    conditional UPDATE; the second of two concurrent saves changes no row)."""
    if not can(by, Action.COLLAB_MINUTES_EDIT, meeting):
        raise PermissionDenied
    with transaction.atomic():
        changed = (Meeting.objects
                   .filter(pk=meeting.pk, minutes_version=version)
                   .exclude(status=MeetingStatus.APPROVED)
                   .update(minutes=text, minutes_version=version + 1, minutes_by=by))
        current = Meeting.objects.select_related("minutes_by").get(pk=meeting.pk)
    if changed:
        return current
    if current.status == MeetingStatus.APPROVED:
        raise ValidationError(_("議事録は所長が承認したため、変更できません。"), code="approved")
    raise MinutesConflict(theirs=current.minutes, mine=text, by=current.minutes_by)


@transaction.atomic
def minutes_approve(*, meeting: Meeting, by: User) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not can(by, Action.COLLAB_MINUTES_APPROVE, meeting):
        raise PermissionDenied
    if meeting.status == MeetingStatus.APPROVED:
        raise ValidationError(_("この議事録はすでに承認されています。"))
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError(_("開催前の会議の議事録は承認できません。"))
    if not meeting.minutes.strip():
        raise ValidationError(_("議事録が空のため承認できません。"))
    meeting.status = MeetingStatus.APPROVED
    meeting.approved_by, meeting.approved_at = by, timezone.now()
    meeting.save(update_fields=["status", "approved_by", "approved_at"])
    return meeting


def _member_of(user: User | None, party: Section | None) -> bool:
    return user is not None and party is not None and Membership.objects.current().filter(
        user=user, unit=party).exists()


@transaction.atomic
def action_create(*, meeting: Meeting, task: str, party: Section | None, person: User | None,
                  due_date: dt.date | None, record: TroubleRecord | None = None,
                  by: User) -> ActionItem:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not can(by, Action.COLLAB_MINUTES_EDIT, meeting):
        raise PermissionDenied
    if meeting.status == MeetingStatus.APPROVED:
        raise ValidationError(_("議事録は所長が承認したため、決定事項を追加できません。"))
    errors: dict[str, list[str]] = {}
    if not task.strip():
        errors["task"] = [_("やることを入力してください。")]
    if party is None:
        errors["party"] = [_("担当機関を選んでください。")]
    elif party.district_id != meeting.district_id or party.kind.code not in PARTY_KINDS:
        errors["party"] = [_("担当機関はこの地区の四者から選んでください。")]
    if person is None:
        errors["person"] = [_("担当者を選んでください。")]
    elif party is not None and not _member_of(person, party):
        errors["person"] = [_("担当者は担当機関の職員から選んでください。")]
    if due_date is None:
        errors["due_date"] = [_("期限を入力してください。")]
    elif due_date < timezone.localdate(meeting.starts_at):
        errors["due_date"] = [_("期限は会議の日より後にしてください。")]
    if record is not None and record.district_id != meeting.district_id:
        errors["record"] = [_("この地区の記録を選んでください。")]
    if errors:
        raise ValidationError(errors)
    return ActionItem.objects.create(meeting=meeting, record=record, task=task.strip(),
                                     party=party, person=person, due_date=due_date,
                                     created_by=by)


@transaction.atomic
def action_done(*, item: ActionItem, by: User) -> ActionItem:
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    if not can(by, Action.COLLAB_ACTION_DONE, item):
        raise PermissionDenied
    if item.done_at is None:
        item.done_at = timezone.now()
        item.save(update_fields=["done_at"])
    return item


def actions_to_chase(today: dt.date) -> list[int]:
    return list(ActionItem.objects.filter(done_at__isnull=True, due_date__lt=today)
                .filter(Q(chased_on__isnull=True) | Q(chased_on__lt=today))
                .values_list("pk", flat=True))


def chase_overdue(*, today: dt.date | None = None) -> int:
    """Remind the person of every overdue open action item (once a day, on open days)."""
    from madoguchi.collaboration.messages import OVERDUE
    from madoguchi.notifications.notify import notify

    today = today or timezone.localdate()
    if not opendays.calendar(today).is_open(today):
        return 0
    chased = 0
    for pk in actions_to_chase(today):
        with transaction.atomic():
            claimed = (ActionItem.objects.filter(pk=pk, done_at__isnull=True)
                       .filter(Q(chased_on__isnull=True) | Q(chased_on__lt=today))
                       .update(chased_on=today))
            if claimed:
                notify(OVERDUE, about={"action": pk})
                chased += 1
    return chased
