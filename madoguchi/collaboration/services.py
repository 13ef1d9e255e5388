"""Writes of four-party collaboration: records, meetings, minutes, action items, escalations.

Every service is keyword-only, checks its input with Japanese messages before it writes,
and writes in one transaction (nothing half-saved). Permissions are asked here through
``policy.can`` (the record rules of ``access``).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dateutil.rrule import rrulestr
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.models import Membership
from madoguchi.accounts.policy import Action, can
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.collaboration import workflow
from madoguchi.collaboration.models import (
    PARTY_KINDS,
    ActionItem,
    AgendaItem,
    Basis,
    Escalation,
    EscalationMessage,
    EscalationStatus,
    EventKind,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Mode,
    RecordEvent,
    RecordForm,
    SocialResource,
    Status,
    Theme,
    TroubleRecord,
)
from madoguchi.core import opendays
from madoguchi.core.dates import is_open_day, load_exceptions
from madoguchi.organisation.models import Section, Tier

if TYPE_CHECKING:
    from madoguchi.accounts.models import User
    from madoguchi.procedures.formschema.spec import FormSpec

RECORD = "collaboration.record"
# Open days a branch or head-office section has to answer an escalation.
ESCALATION_OPEN_DAYS = 10
# How many meetings of a recurring schedule are put in the calendar at once.
SERIES_AHEAD = 12


def due_in_open_days(start: dt.date, days: int) -> dt.date:
    """The due date ``days`` ward open days after ``start`` (the project's calendar)."""
    return opendays.add_open_days(start, days)


# ── the standard form ──────────────────────────────────────────────────────────────────

def current_form() -> RecordForm:
    form = RecordForm.objects.order_by("-version").first()
    if form is None:
        raise ValidationError(_("記録様式が登録されていません。"
                                "区のシステム管理者に連絡してください。"))
    return form


def form_spec(form: RecordForm) -> FormSpec:
    from madoguchi.procedures.formschema.parse import parse_form

    return parse_form(form.definition)


@transaction.atomic
def record_form_publish(*, definition: dict, by: User | None) -> RecordForm:
    """A new version of the standard form; the definition is checked by the form engine."""
    from madoguchi.procedures.formschema.parse import parse_form

    if by is not None and not can(by, Action.COLLAB_SETTINGS):
        raise PermissionDenied
    parse_form(definition)  # raises DefinitionInvalid with Japanese messages
    last = RecordForm.objects.select_for_update().order_by("-version").first()
    return RecordForm.objects.create(version=(last.version + 1) if last else 1,
                                     definition=definition, created_by=by)


@transaction.atomic
def theme_save(*, code: str, name: str, name_en: str = "", is_active: bool = True,
               by: User) -> Theme:
    """Add a theme or change one (by its code); themes are never deleted, only retired."""
    if not can(by, Action.COLLAB_SETTINGS):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if not re.fullmatch(r"[a-z][a-z0-9_-]{0,39}", code.strip()):
        errors["code"] = [_("コードは半角英小文字で始まる40文字以内にしてください。")]
    if not name.strip():
        errors["name"] = [_("テーマの名称を入力してください。")]
    if errors:
        raise ValidationError(errors)
    theme, created = Theme.objects.get_or_create(code=code.strip(), defaults={
        "name": name.strip(), "name_en": name_en.strip(), "is_active": is_active,
        "sort_order": Theme.objects.count() + 1})
    if not created:
        theme.name, theme.name_en, theme.is_active = name.strip(), name_en.strip(), is_active
        theme.save(update_fields=["name", "name_en", "is_active"])
    return theme


# ── trouble records ────────────────────────────────────────────────────────────────────

@dataclass
class RecordInput:
    party: Section | None
    theme: Theme | None
    title: str
    noticed: str
    age_band: str
    household: str
    urgency: str = "normal"
    chome: str = ""
    facility: str = ""
    noticed_names_nobody: bool = False
    answers: dict[str, Any] | None = None
    resident: Any = None
    basis: str = ""
    basis_note: str = ""
    consultation_ids: Iterable[str] = ()
    share: bool = False
    due_days: int | None = None


def _check_record(data: RecordInput) -> None:
    errors: dict[str, list[str]] = {}
    if data.party is None:
        errors["party"] = [_("気づいた機関を選んでください。")]
    elif data.party.kind.code not in PARTY_KINDS or not data.party.district_id:
        errors["party"] = [_("記録できるのは地区の四者（まちづくりセンター・あんしんすこやか"
                             "センター・社会福祉協議会・児童館）だけです。")]
    if data.theme is None or not data.theme.is_active:
        errors["theme"] = [_("テーマを選んでください。")]
    if not data.title.strip():
        errors["title"] = [_("件名を入力してください。")]
    if not data.noticed.strip():
        errors["noticed"] = [_("気づいたことを入力してください。")]
    if data.resident is not None and data.basis not in (Basis.CONSENT, Basis.LAW):
        errors["basis"] = [_("区民を結び付けるには、本人の同意か法令の定めのどちらかの根拠を"
                             "選んでください。根拠がなければ結び付けられません。")]
    if data.resident is not None and data.basis and not data.basis_note.strip():
        errors["basis_note"] = [_("根拠の内容（同意を得た日と方法、または根拠となる法令）を"
                                  "書いてください。")]
    if errors:
        raise ValidationError(errors)


def _consultations(by: User, ids: Iterable[str]) -> list:
    from madoguchi.consultations.selectors import visible_consultation

    found = []
    for public_id in ids:
        if not str(public_id).strip():
            continue
        try:
            found.append(visible_consultation(user=by, public_id=str(public_id).strip()))
        except Exception:  # Http404 / PermissionDenied: not one the author may see
            raise ValidationError({"consultations": [
                _("関連する相談「%(id)s」が見つからないか、参照できません。") % {"id": public_id}
            ]}) from None
    return found


def record_create(*, by: User, data: RecordInput, source: str) -> TroubleRecord:
    _check_record(data)
    if not can(by, Action.COLLAB_RECORD_CREATE, data.party):
        raise PermissionDenied
    assert data.party is not None and data.theme is not None
    form = current_form()
    answers = dict(data.answers or {})
    if data.answers is not None:
        from madoguchi.procedures.formschema.engine import clean_answers

        outcome = clean_answers(form_spec(form), answers)
        if not outcome.ok:
            raise ValidationError({"answers": [m for ms in outcome.errors.values() for m in ms]})
        answers = outcome.answers
    consultations = _consultations(by, data.consultation_ids)
    today = timezone.localdate()
    with transaction.atomic():
        record = TroubleRecord.objects.create(
            form=form, party=data.party, district_id=data.party.district_id,
            chome=data.chome.strip(), facility=data.facility.strip(), title=data.title.strip(),
            noticed=data.noticed.strip(), noticed_names_nobody=data.noticed_names_nobody,
            age_band=data.age_band, household=data.household, theme=data.theme,
            urgency=data.urgency, answers=answers, resident=data.resident,
            basis=data.basis if data.resident is not None else "",
            basis_note=data.basis_note.strip() if data.resident is not None else "",
            share=data.share, owner=by, created_by=by,
            due_date=due_in_open_days(today, data.due_days) if data.due_days else None)
        if consultations:
            record.consultations.set(consultations)
        RecordEvent.objects.create(record=record, actor=by, to_status=Status.NEW,
                                   kind=EventKind.CREATED)
        audit.record(actor=by, action=AuditAction.CREATE, record_type=RECORD,
                     record_id=record.pk, source=source,
                     resident_ref=str(data.resident.public_id) if data.resident else "")
    return record


def _move(record: TroubleRecord, target: str, *, by: User, note: str = "",
          kind: str = EventKind.MOVED) -> None:
    RecordEvent.objects.create(record=record, actor=by, from_status=record.status,
                               to_status=target, note=note, kind=kind)
    record.status = target
    record.save(update_fields=["status", "close_reason", "shared_at_meeting"])


@transaction.atomic
def record_transition(*, record: TroubleRecord, name: str, by: User, reason: str = ""
                      ) -> TroubleRecord:
    record = TroubleRecord.objects.select_for_update().get(pk=record.pk)
    if not can(by, Action.COLLAB_RECORD_EDIT, record):
        raise PermissionDenied
    transition = workflow.require(record, name)
    if not transition.by_hand:
        raise ValidationError(_("「%(action)s」はこの画面からはできません。")
                              % {"action": transition.label})
    if transition.needs_reason and not reason.strip():
        raise ValidationError({"reason": [_("終了の理由を入力してください。")]})
    if transition.needs_reason:
        record.close_reason = reason.strip()
    _move(record, transition.target, by=by, note=reason.strip())
    return record


@transaction.atomic
def record_mark_share(*, record: TroubleRecord, by: User, share: bool = True) -> TroubleRecord:
    """Mark (or unmark) a record for the next four-party meeting of its district."""
    record = TroubleRecord.objects.select_for_update().get(pk=record.pk)
    if not can(by, Action.COLLAB_RECORD_EDIT, record):
        raise PermissionDenied
    if record.status not in workflow.OPEN:
        raise ValidationError(_("終わった記録は会議で共有できません。"))
    if record.share != share:
        record.share = share
        record.save(update_fields=["share"])
        RecordEvent.objects.create(
            record=record, actor=by, from_status=record.status, to_status=record.status,
            kind=EventKind.MARKED if share else EventKind.UNMARKED)
    return record


# ── meetings ───────────────────────────────────────────────────────────────────────────

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


# ── social resources ───────────────────────────────────────────────────────────────────

@transaction.atomic
def resource_create(*, district, need: str, resource: str, partners: str, by: User,
                    meeting: Meeting | None = None) -> SocialResource:
    if district is None or district.pk not in _party_districts(by):
        raise PermissionDenied
    errors = {key: [message] for key, value, message in (
        ("need", need, _("地域のニーズを入力してください。")),
        ("resource", resource, _("創出・発見した資源を入力してください。")),
        ("partners", partners, _("連携先を入力してください。"))) if not value.strip()}
    if errors:
        raise ValidationError(errors)
    return SocialResource.objects.create(district=district, meeting=meeting, need=need.strip(),
                                         resource=resource.strip(), partners=partners.strip(),
                                         created_by=by)


def _party_districts(user: User) -> set[int]:
    from madoguchi.collaboration.access import party_district_ids

    return party_district_ids(user, Action.COLLAB_MEETING_VIEW)


# ── escalation ─────────────────────────────────────────────────────────────────────────

def escalation_targets(district) -> list[Section]:
    """Sections a district may escalate to: its region's branch-office sections and the
    head office's sections (organisation data)."""
    return list(Section.objects.filter(is_active=True).filter(
        Q(kind__tier=Tier.BRANCH, region_id=district.region_id) | Q(kind__tier=Tier.HEAD))
        .select_related("kind", "region").order_by("kind__tier", "kind__sort_order", "code"))


def escalation_open(*, subject: TroubleRecord | ActionItem, to_section: Section | None,
                    title: str, body: str, by: User) -> Escalation:
    if not can(by, Action.COLLAB_ESCALATE, subject):
        raise PermissionDenied
    record = subject if isinstance(subject, TroubleRecord) else subject.record
    district = subject.district if isinstance(subject, TroubleRecord) else subject.meeting.district
    errors: dict[str, list[str]] = {}
    if to_section is None or to_section.pk not in {s.pk for s in escalation_targets(district)}:
        errors["to_section"] = [_("上申先を、総合支所または本庁の課から選んでください。")]
    if not title.strip():
        errors["title"] = [_("件名を入力してください。")]
    if not body.strip():
        errors["body"] = [_("上申の内容を入力してください。")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        escalation = Escalation.objects.create(
            district=district, record=record,
            action=subject if isinstance(subject, ActionItem) else None,
            to_section=to_section, subject=title.strip(), opened_by=by,
            due_date=due_in_open_days(timezone.localdate(), ESCALATION_OPEN_DAYS))
        EscalationMessage.objects.create(escalation=escalation, author=by, body=body.strip())
        if record is not None:
            locked = TroubleRecord.objects.select_for_update().get(pk=record.pk)
            if locked.status in workflow.BY_NAME["escalate"].sources:
                _move(locked, Status.ESCALATED, by=by, kind=EventKind.ESCALATED)
    return escalation


@transaction.atomic
def escalation_reply(*, escalation: Escalation, body: str, by: User,
                     close: bool = False) -> EscalationMessage:
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if not can(by, Action.COLLAB_ESCALATION_VIEW, escalation):
        raise PermissionDenied
    answering = can(by, Action.COLLAB_ESCALATION_ANSWER, escalation)
    from madoguchi.collaboration.access import party_district_ids

    asking = escalation.district_id in party_district_ids(by, Action.COLLAB_ESCALATE)
    if not answering and not asking:
        raise PermissionDenied
    if escalation.status == EscalationStatus.CLOSED:
        raise ValidationError(_("この上申は完了しています。"))
    if not body.strip():
        raise ValidationError({"body": [_("内容を入力してください。")]})
    message = EscalationMessage.objects.create(escalation=escalation, author=by,
                                               body=body.strip())
    if close and asking:
        escalation.status = EscalationStatus.CLOSED
    elif answering:
        escalation.status = EscalationStatus.ANSWERED
    else:
        escalation.status = EscalationStatus.OPEN
    escalation.save(update_fields=["status"])
    return message
