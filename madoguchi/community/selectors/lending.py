"""Reads of equipment: what a centre can lend on a day (public: counts only, no personal
data), and the counter's lists of loans (personal data: audited)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count

from madoguchi.accounts.models import User
from madoguchi.audit import services as audit
from madoguchi.audit.models import Action as AuditAction
from madoguchi.community.models import Condition, Item, ItemKind, Loan
from madoguchi.community.opening import ward_tz
from madoguchi.organisation.models import DistrictCentre
from madoguchi.scheduling.selectors import resource_busy


@dataclass(frozen=True)
class KindAvailability:
    kind: ItemKind
    stock: int
    out: int
    reserved: int

    @property
    def free(self) -> int:
        return max(0, self.stock - self.out - self.reserved)


def centre_availability(*, centre: DistrictCentre, day: dt.date) -> list[KindAvailability]:
    """Per kind of item at ``centre``: in stock (lendable), out on ``day``, reserved for
    it, free (four queries)."""
    stock = dict(Item.objects.filter(centre=centre, is_active=True).exclude(
        condition=Condition.DAMAGED).values("kind").annotate(n=Count("pk")).values_list(
            "kind", "n"))
    out = dict(Loan.objects.filter(item__centre=centre, returned_at__isnull=True).values(
        "item__kind").annotate(n=Count("pk")).values_list("item__kind", "n"))
    items = dict(Item.objects.filter(centre=centre, is_active=True).values_list("pk", "kind"))
    tz = ward_tz()
    lo = dt.datetime.combine(day, dt.time(0), tz)
    reserved: dict[int, int] = {}
    for item_id in resource_busy(kind="equipment", owner_ids=items.keys(), lo=lo,
                                 hi=lo + dt.timedelta(days=1)):
        reserved[items[item_id]] = reserved.get(items[item_id], 0) + 1
    kinds = ItemKind.objects.filter(pk__in=stock.keys()).order_by("name")
    return [KindAvailability(kind=k, stock=stock.get(k.pk, 0), out=out.get(k.pk, 0),
                             reserved=reserved.get(k.pk, 0)) for k in kinds]


def counter_items(*, centre: DistrictCentre) -> list[Item]:
    return list(Item.objects.filter(centre=centre, is_active=True).select_related("kind"))


def open_loans(*, user: User, centre: DistrictCentre, source: str,
               overdue_on: dt.date | None = None) -> list[Loan]:
    """The centre's loans not yet back (only the overdue ones with ``overdue_on``), with
    the borrowers' names and phones: each row read is audited."""
    rows = Loan.objects.filter(item__centre=centre, returned_at__isnull=True).select_related(
        "item__kind", "group")
    if overdue_on is not None:
        rows = rows.filter(due_on__lt=overdue_on)
    loans = list(rows.order_by("due_on", "pk"))
    if loans:
        audit.record_many(actor=user, action=AuditAction.LIST, record_type="community.loan",
                          records=[(loan.public_id, "") for loan in loans], source=source,
                          fields=("borrower_name", "borrower_phone"))
    return loans
