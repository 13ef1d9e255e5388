"""Anonymous statistics events for the dashboards."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from madoguchi.consultations.models.consultation import Category, Urgency
from madoguchi.core.appendonly import AppendOnlyModel
from madoguchi.organisation.models import DistrictCentre, Section


class StatEvent(AppendOnlyModel):
    """One anonymous statistics event for dashboards: no resident, no consultation id."""

    class Kind(models.TextChoices):
        INTAKE = "intake", _("受付")
        ROUTED = "routed", _("回付")
        BOOKED = "booked", _("予約")
        RESCHEDULED = "rescheduled", _("予約の変更")
        CANCELLED = "cancelled", _("取消")
        COMPLETED = "completed", _("対応済み")

    at = models.DateTimeField(_("日時"), db_index=True)
    kind = models.CharField(_("種類"), max_length=12, choices=Kind.choices)
    centre = models.ForeignKey(DistrictCentre, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("まちづくりセンター"))
    district = models.ForeignKey("organisation.District", on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("地区"))
    section = models.ForeignKey(Section, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("回付先"))
    stage = models.PositiveSmallIntegerField(_("段階"), null=True, blank=True)
    category = models.CharField(_("分類"), max_length=20, choices=Category.choices)
    urgency = models.CharField(_("緊急度"), max_length=10, choices=Urgency.choices)
    waiting_days = models.PositiveIntegerField(_("待ち日数"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("相談時間（分）"), null=True,
                                                        blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["kind", "at"])]
        verbose_name = _("統計イベント")
        verbose_name_plural = _("統計イベント")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.kind}"
