"""Equipment lent over the counter (issue 16 item 5): lend, return, remind, reserve.

An item is out at most once (a partial unique index on open loans): lending an item that
is already out is refused with its due date, whatever raced. A reservation holds an item
for its day and lending period through scheduling (kind ``equipment``). The borrower's
name and phone are personal data: every write and read is audited.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from madoguchi.accounts.models import User
from madoguchi.accounts.policy import Action, can
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.community import messages
from madoguchi.community.errors import CommunityError
from madoguchi.community.models import (
    Condition,
    Group,
    Item,
    ItemKind,
    Loan,
    Reservation,
)
from madoguchi.community.opening import ward_tz
from madoguchi.core.dates import day_text
from madoguchi.organisation.models import DistrictCentre
from madoguchi.scheduling import services as scheduling
from madoguchi.scheduling.errors import SchedulingError
from madoguchi.scheduling.selectors import resource_busy

BORROWER_FIELDS = ("borrower_name", "borrower_phone", "borrower_email")


def _error(message: str, code: str) -> CommunityError:
    return CommunityError(message, code=code)


def _borrower(name: str, phone: str) -> tuple[str, str]:
    name, phone = (name or "").strip(), (phone or "").strip()
    if not name:
        raise _error(_("借りる方の氏名を入力してください。"), "name")
    if len(name) > 80:
        raise _error(_("氏名は80文字以内で入力してください。"), "name")
    digits = phone.replace("-", "").replace("‐", "").replace("ー", "")
    if not digits.isdigit() or not 10 <= len(digits) <= 11:
        raise _error(_("電話番号を数字10桁または11桁で入力してください（例: 03-5432-1111）。"),
                     "phone")
    return name, phone


def _period(day: dt.date, days: int) -> tuple[dt.datetime, dt.datetime]:
    tz = ward_tz()
    return (dt.datetime.combine(day, dt.time(0), tz),
            dt.datetime.combine(day + dt.timedelta(days=days), dt.time(0), tz))


def _out_text(loan: Loan) -> str:
    return _("「%(item)s」はすでに貸出中です（返却期限: %(due)s）。"
             "別の品を選ぶか、返却をお待ちください。") % {
        "item": loan.item, "due": day_text(loan.due_on, weekday=True)}


def lend(*, item: Item, by: User, borrower_name: str, borrower_phone: str,
         id_checked: bool, borrower_email: str = "", group: Group | None = None,
         due_on: dt.date | None = None, today: dt.date | None = None) -> Loan:
    """Lend ``item`` over the counter, the borrower's ID checked. Raises PermissionDenied
    or CommunityError (nothing is written)."""
    if not can(by, Action.COMMUNITY_LEND, item):
        raise PermissionDenied(_("この貸出品を扱う権限がありません。"))
    today = today or timezone.localdate()
    if not id_checked:
        raise _error(_("本人確認書類（運転免許証など）を確認してから貸し出してください。"), "id")
    name, phone = _borrower(borrower_name, borrower_phone)
    if group is not None and not group.is_approved:
        raise _error(_("「%(group)s」はまだ登録が承認されていません。") % {"group": group.name},
                     "group_not_approved")
    if not item.is_active or item.condition == Condition.DAMAGED:
        raise _error(_("「%(item)s」は修理中または利用停止中のため貸し出せません。")
                     % {"item": item}, "condition")
    due_on = due_on or today + dt.timedelta(days=item.kind.lending_days)
    if due_on < today:
        raise _error(_("返却期限は今日以降の日付にしてください。"), "due")
    if (due_on - today).days > item.kind.lending_days:
        raise _error(_("%(kind)sの貸出期間は%(days)d日までです。")
                     % {"kind": item.kind.name, "days": item.kind.lending_days}, "due")
    current = Loan.objects.filter(item=item, returned_at__isnull=True).select_related(
        "item__kind").first()
    if current is not None:
        raise _error(_out_text(current), "already_out")
    lo, hi = _period(today, (due_on - today).days + 1)
    if resource_busy(kind="equipment", owner_ids=[item.pk], lo=lo, hi=hi).get(item.pk):
        raise _error(_("「%(item)s」は貸出期間中に予約が入っています。別の品を選んでください。")
                     % {"item": item}, "reserved")
    try:
        with transaction.atomic():
            loan = Loan.objects.create(
                item=item, group=group, borrower_name=name, borrower_phone=phone,
                borrower_email=(borrower_email or "").strip(), id_checked=True,
                deposit_yen=item.kind.deposit_yen, lent_by=by, due_on=due_on,
                condition_out=item.condition)
            audit.record(actor=by, action=AuditAction.CREATE, record_type="community.loan",
                         record_id=loan.public_id, source="community:counter",
                         fields=BORROWER_FIELDS)
    except IntegrityError:
        current = Loan.objects.filter(item=item, returned_at__isnull=True).first()
        if current is None:
            raise
        raise _error(_out_text(current), "already_out") from None
    return loan


def return_item(*, item: Item, by: User, condition: str, note: str = "") -> Loan:
    """Take ``item`` back with its condition (a damaged one is not lent again until
    repaired). Raises CommunityError when the item is not out."""
    if not can(by, Action.COMMUNITY_LEND, item):
        raise PermissionDenied(_("この貸出品を扱う権限がありません。"))
    if condition not in Condition.values:
        raise _error(_("返却時の状態を選んでください。"), "condition")
    with transaction.atomic():
        loan = Loan.objects.select_for_update().filter(
            item=item, returned_at__isnull=True).first()
        if loan is None:
            raise _error(_("「%(item)s」は貸出中ではありません（貸出の記録がありません）。"
                           "管理番号を確かめてください。") % {"item": item}, "not_out")
        loan.returned_at = timezone.now()
        loan.returned_by = by
        loan.condition_back = condition
        loan.return_note = (note or "").strip()[:200]
        loan.save(update_fields=["returned_at", "returned_by", "condition_back",
                                 "return_note"])
        Item.objects.filter(pk=item.pk).update(condition=condition)
    return loan


def remind_overdue(*, by: User, centre: DistrictCentre, today: dt.date | None = None) -> int:
    """Mail a reminder for each overdue loan of ``centre`` with an e-mail address not
    reminded today (the others are on the list to phone). Returns how many."""
    if not can(by, Action.COMMUNITY_LEND, Item(centre=centre)):
        raise PermissionDenied(_("このセンターの貸出を扱う権限がありません。"))
    today = today or timezone.localdate()
    start_of_day = dt.datetime.combine(today, dt.time(0), ward_tz())
    due = Loan.objects.filter(item__centre=centre, returned_at__isnull=True,
                              due_on__lt=today).exclude(borrower_email="").exclude(
        reminded_at__gte=start_of_day)
    count = 0
    with transaction.atomic():
        for loan_id in due.values_list("pk", flat=True):
            messages.loan_reminder_notice(loan_id=loan_id)
            count += 1
    return count


def reserve(*, kind: ItemKind, centre: DistrictCentre, day: dt.date, by: User,
            borrower_name: str, borrower_phone: str, group: Group | None = None,
            today: dt.date | None = None) -> Reservation:
    """Reserve an item of ``kind`` at ``centre`` for ``day`` (held for the kind's lending
    period): the first free item in order. Raises CommunityError when none is free."""
    if not can(by, Action.COMMUNITY_LEND, Item(centre=centre)):
        raise PermissionDenied(_("このセンターの貸出を扱う権限がありません。"))
    today = today or timezone.localdate()
    if day < today:
        raise _error(_("過去の日は予約できません。"), "past")
    name, phone = _borrower(borrower_name, borrower_phone)
    start, end = _period(day, kind.lending_days)
    items = list(Item.objects.filter(kind=kind, centre=centre, is_active=True).exclude(
        condition=Condition.DAMAGED).select_related("kind"))
    out = set(Loan.objects.filter(item__in=items, returned_at__isnull=True,
                                  due_on__gte=day).values_list("item_id", flat=True))
    busy = resource_busy(kind="equipment", owner_ids=[i.pk for i in items], lo=start, hi=end)
    for item in items:
        if item.pk in out or busy.get(item.pk):
            continue
        try:
            with transaction.atomic():
                booking = scheduling.resource_book(kind="equipment", owner=item, start=start,
                                                   end=end, by=by, title=str(item))
                reservation = Reservation.objects.create(
                    item=item, booking=booking, date=day, group=group, borrower_name=name,
                    borrower_phone=phone, created_by=by)
                audit.record(actor=by, action=AuditAction.CREATE,
                             record_type="community.reservation",
                             record_id=reservation.public_id, source="community:counter",
                             fields=("borrower_name", "borrower_phone"))
                return reservation
        except SchedulingError:
            continue  # taken meanwhile: the next item
    raise _error(_("%(day)sに%(centre)sで貸し出せる%(kind)sはありません。")
                 % {"day": day_text(day, weekday=True), "centre": centre.label,
                    "kind": kind.name}, "none_free")
