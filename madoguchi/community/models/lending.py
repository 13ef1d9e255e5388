"""Equipment lent over the counter: kinds of item, the items kept at each centre, loans
and reservations (an item reserved is held through scheduling, kind ``equipment``)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from madoguchi.community.models.groups import Group
from madoguchi.organisation.models import DistrictCentre


class Condition(models.TextChoices):
    GOOD = "good", _("良好")
    WORN = "worn", _("使用感あり")
    DAMAGED = "damaged", _("破損あり（要修理）")


class ItemKind(models.Model):
    """A kind of item lent (車いす, 高枝切ばさみ, PC, Wi-Fiルーター, プロジェクター, テント)."""

    code = models.SlugField(_("コード"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=80)
    lending_days = models.PositiveSmallIntegerField(_("貸出期間（日）"), default=7)
    deposit_yen = models.PositiveIntegerField(_("保証金（円）"), default=0)
    note = models.CharField(_("説明"), max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("貸出品の種類")
        verbose_name_plural = _("貸出品の種類")

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    """One piece of equipment kept at a centre (the stock is its rows)."""

    kind = models.ForeignKey(ItemKind, on_delete=models.PROTECT, related_name="items",
                             verbose_name=_("種類"))
    centre = models.ForeignKey(DistrictCentre, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("まちづくりセンター"))
    label = models.CharField(_("管理番号"), max_length=40)
    condition = models.CharField(_("状態"), max_length=10, choices=Condition.choices,
                                 default=Condition.GOOD)
    is_active = models.BooleanField(_("貸出可"), default=True)

    class Meta:
        ordering = ["centre", "kind", "label"]
        constraints = [models.UniqueConstraint(fields=["centre", "label"],
                                               name="item_label_per_centre")]
        verbose_name = _("貸出品")
        verbose_name_plural = _("貸出品")

    def __str__(self) -> str:
        return f"{self.kind.name} {self.label}"


class Loan(models.Model):
    """An item lent over the counter to a resident or a group (ID checked). The borrower's
    name and phone are personal data: written and read audited."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="loans",
                             verbose_name=_("貸出品"))
    group = models.ForeignKey(Group, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="loans", verbose_name=_("団体"))
    borrower_name = models.CharField(_("借りる方の氏名"), max_length=80)
    borrower_phone = models.CharField(_("電話番号"), max_length=20)
    borrower_email = models.EmailField(_("メールアドレス"), blank=True)
    id_checked = models.BooleanField(_("本人確認済み"), default=False)
    deposit_yen = models.PositiveIntegerField(_("預かった保証金（円）"), default=0)
    lent_at = models.DateTimeField(_("貸出日時"), auto_now_add=True)
    lent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("貸し出した職員"))
    due_on = models.DateField(_("返却期限"))
    condition_out = models.CharField(_("貸出時の状態"), max_length=10,
                                     choices=Condition.choices)
    returned_at = models.DateTimeField(_("返却日時"), null=True, blank=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("返却を受けた職員"))
    condition_back = models.CharField(_("返却時の状態"), max_length=10, blank=True,
                                      choices=Condition.choices)
    return_note = models.CharField(_("返却時のメモ"), max_length=200, blank=True)
    reminded_at = models.DateTimeField(_("督促日時"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            # An item is out at most once: the second lending of an item not yet back is
            # refused by the table, whatever raced.
            models.UniqueConstraint(fields=["item"], condition=Q(returned_at__isnull=True),
                                    name="loan_one_open_per_item"),
        ]
        indexes = [models.Index(fields=["returned_at", "due_on"])]
        verbose_name = _("貸出")
        verbose_name_plural = _("貸出")

    def __str__(self) -> str:
        return f"{self.item} {self.due_on}"

    @property
    def is_out(self) -> bool:
        return self.returned_at is None


class Reservation(models.Model):
    """An item reserved for a date: the item is held through scheduling (kind
    ``equipment``) from that day for the kind's lending period."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="reservations",
                             verbose_name=_("貸出品"))
    booking = models.OneToOneField("scheduling.Booking", on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("予約"))
    date = models.DateField(_("受取日"))
    group = models.ForeignKey(Group, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="reservations", verbose_name=_("団体"))
    borrower_name = models.CharField(_("予約した方の氏名"), max_length=80)
    borrower_phone = models.CharField(_("電話番号"), max_length=20)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("受け付けた職員"))
    created_at = models.DateTimeField(_("受付日時"), auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("貸出品の予約")
        verbose_name_plural = _("貸出品の予約")

    def __str__(self) -> str:
        return f"{self.item_id} {self.date}"
